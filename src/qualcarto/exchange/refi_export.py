# SPDX-License-Identifier: MIT
"""Write a study as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``).

Trees are built with lxml in the schemas' element order. Positions are our offsets
unchanged: Python ``str`` indices are Unicode code points, which is what REFI-QDA 1.5
(section 10.2) counts, with the end exclusive as every tool reads it. Each transcript
goes to ``sources/<guid>.txt`` exactly as stored (UTF-8, no BOM, ``\\n``). GUIDs are
uuid5 of what they name (a code's path of names, a user's name, a span), and archive
entries carry a fixed date, so exporting the same study twice gives identical bytes.

What the standard cannot hold is carried in its nearest standard place: a code's
inclusion and exclusion rules and example follow its definition in ``Description``;
facets become code sets named ``facet: value``; transcript groups become sets of
sources; typed participant attributes become typed variables; coding, transcript,
code and study memos become notes (``refi_notes``), participant memos the case's description. What
has no standard place at all (code ids, keywords, cartography settings, user roles,
machine layers, coding origins) goes in the ``qualcarto.json`` sidecar, which other
tools ignore and a qualcarto import reads back.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto import __version__
from qualcarto.codebook import Codebook, CodeDef, get_version, version_codebook
from qualcarto.errors import ValidationError
from qualcarto.exchange.data import StudyData
from qualcarto.exchange.refi_common import CODEBOOK_NS, PROJECT_NS, stable_guid, xml_datetime
from qualcarto.exchange.refi_media import add_media_sources
from qualcarto.exchange.refi_notes import MemoNotes, NoteRow, memo_notes
from qualcarto.exchange.sidecar import SIDECAR, make_sidecar
from qualcarto.store import Memo, Participant, Transcript, User, current_project
from qualcarto.transcripts.attributes import attribute_types
from qualcarto.transcripts.groups import list_groups

ORIGIN = f"qualcarto {__version__}"
Positions = Literal["codepoints", "utf16"]
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SECTIONS = (("include", "Include"), ("exclude", "Exclude"), ("example", "Example"))


@dataclass
class RefiExportReport:
    """What an export wrote, and what other tools may read differently."""

    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    notes: int = 0
    warnings: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)


def code_guids(codebook: Codebook) -> dict[str, str]:
    """A GUID per code from its path of names, so it survives any tool that keeps names."""
    guids: dict[str, str] = {}
    seen: set[str] = set()
    for code in codebook.codes:
        guid = stable_guid("code", *codebook.path(code.id))
        if guid in seen:  # two codes with one path: tell them apart by id
            guid = stable_guid("code", *codebook.path(code.id), code.id)
        seen.add(guid)
        guids[code.id] = guid
    return guids


def code_description(code: CodeDef) -> str:
    """The definition, then labelled paragraphs for inclusion, exclusion and example."""
    parts = [code.definition.strip()] if code.definition.strip() else []
    parts += [
        f"{label}: {getattr(code, key).strip()}"
        for key, label in SECTIONS
        if getattr(code, key).strip()
    ]
    return "\n\n".join(parts)


# What XML 1.0 cannot hold at all (most C0 controls, surrogates, U+FFFE/U+FFFF). Names
# are validated on the way in (``qualcarto.names``); a store written before that rule may
# still hold one, and one such name must not stop every export for everyone.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` with each character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _sub(parent: etree._Element, ns: str, tag: str, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_text(value))
    return element


def _text(parent: etree._Element, ns: str, tag: str, text: str) -> None:
    if text:
        _sub(parent, ns, tag).text = xml_text(text)


def _codes(
    parent: etree._Element,
    ns: str,
    codebook: Codebook,
    guids: dict[str, str],
    code_notes: dict[str, list[str]] | None = None,
) -> None:
    """The code tree, nested by parent; a retired code is not codable.

    Built with a stack, not recursion, so a tree of any depth is written; the depth
    itself is checked at publish (``refi_depth_problem``).
    """
    codes = _sub(_sub(parent, ns, "CodeBook"), ns, "Codes") if ns == PROJECT_NS else parent
    known = codebook.by_id()
    roots = [c for c in codebook.codes if c.parent is None or c.parent not in known]
    stack: list[tuple[etree._Element, CodeDef]] = [(codes, c) for c in reversed(roots)]
    while stack:
        into, code = stack.pop()
        element = _sub(
            into,
            ns,
            "Code",
            guid=guids[code.id],
            name=code.name,
            isCodable="true" if code.active else "false",
            color=code.color,
        )
        _text(element, ns, "Description", code_description(code))
        for note in (code_notes or {}).get(code.id, []):
            _sub(element, ns, "NoteRef", targetGUID=note)
        stack.extend((element, child) for child in reversed(codebook.children(code.id)))


def _facet_sets(
    parent: etree._Element,
    ns: str,
    codebook: Codebook,
    guids: dict[str, str],
    groups: dict[str, list[str]] | None = None,
) -> None:
    """Facets as code sets ``facet: value``; transcript groups as sets of sources."""
    if not codebook.facets and not groups:
        return
    sets = _sub(parent, ns, "Sets")
    for name, members in (groups or {}).items():
        element = _sub(sets, ns, "Set", guid=stable_guid("group", name), name=name)
        for member in members:
            _sub(element, ns, "MemberSource", targetGUID=member)
    for facet, values in codebook.facets.items():
        for value in values:
            element = _sub(
                sets, ns, "Set", guid=stable_guid("set", facet, value), name=f"{facet}: {value}"
            )
            for code in codebook.codes:
                if code.facets.get(facet) == value:
                    if ns == PROJECT_NS:
                        _sub(element, ns, "MemberCode", targetGUID=guids[code.id])
                    else:
                        _sub(element, ns, "MemberCode", guid=guids[code.id])


def codebook_tree(codebook: Codebook) -> etree._Element:
    """The ``.qdc`` document: the code tree and the facet sets."""
    _check_depth(codebook)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    guids = code_guids(codebook)
    _codes(_sub(root, CODEBOOK_NS, "Codes"), CODEBOOK_NS, codebook, guids)
    _facet_sets(root, CODEBOOK_NS, codebook, guids)
    return root


def _check_depth(codebook: Codebook) -> None:
    problem = codebook.refi_problem()
    if problem:
        raise ValidationError(problem)


def _to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_qdc(session: Session, path: Path, version: int | None = None) -> int:
    """Write a codebook version as ``.qdc``; returns the number of codes."""
    codebook = version_codebook(get_version(session, version))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_to_bytes(codebook_tree(codebook)))
    return len(codebook.codes)


def _exported_users(session: Session, data: StudyData) -> list[User]:
    users = list(session.scalars(select(User).order_by(User.name)))
    if data.layer != "all coders":
        users = [u for u in users if u.name in set(data.coders)]
    return users


VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def _value_text(kind: str, value: Any) -> str:
    if kind == "Boolean":
        return "true" if value is True or str(value).lower() in ("true", "1") else "false"
    if kind == "DateTime":
        moment = datetime.fromisoformat(str(value))
        return xml_datetime(moment) or str(value)
    return str(value)


def _cases(
    root: etree._Element,
    session: Session,
    transcripts: dict[str, Transcript],
    sources: dict[str, str],
) -> None:
    by_participant: dict[int, list[str]] = {}
    for name, transcript in transcripts.items():
        if transcript.participant_id is not None:
            by_participant.setdefault(transcript.participant_id, []).append(name)
    participants = [
        p
        for p in session.scalars(select(Participant).order_by(Participant.key))
        if p.id in by_participant
    ]
    variables = list(dict.fromkeys(k for p in participants for k in p.attributes))
    types = {k: v for k, v in attribute_types(session).items() if v in VALUE_ELEMENTS}
    described: dict[int, list[str]] = {}
    for participant_id, text in session.execute(
        select(Memo.participant_id, Memo.text)
        .join(User, User.id == Memo.author_id)
        .where(Memo.subject == "participant")
        .order_by(User.name, Memo.title)
    ):
        if participant_id is not None:
            described.setdefault(participant_id, []).append(text)
    if variables:
        element = _sub(root, PROJECT_NS, "Variables")
        for name in variables:
            _sub(
                element,
                PROJECT_NS,
                "Variable",
                guid=stable_guid("variable", name),
                name=name,
                typeOfVariable=types.get(name, "Text"),
            )
    if not participants:
        return
    cases = _sub(root, PROJECT_NS, "Cases")
    for participant in participants:
        case = _sub(
            cases,
            PROJECT_NS,
            "Case",
            guid=stable_guid("case", participant.key),
            name=participant.key,
        )
        _text(case, PROJECT_NS, "Description", "\n\n".join(described.get(participant.id, [])))
        for name in variables:
            if name in participant.attributes:
                kind = types.get(name, "Text")
                value = _sub(case, PROJECT_NS, "VariableValue")
                _sub(value, PROJECT_NS, "VariableRef", targetGUID=stable_guid("variable", name))
                _sub(value, PROJECT_NS, VALUE_ELEMENTS[kind]).text = xml_text(
                    _value_text(kind, participant.attributes[name])
                )
        for name in sorted(by_participant[participant.id]):
            _sub(case, PROJECT_NS, "SourceRef", targetGUID=sources[name])


# start, end, coder, code id, created, memo, origin, excerpt
CodingRow = tuple[int, int, str, str, datetime, str, str, str]


def _selections(
    source: etree._Element,
    codings: list[CodingRow],
    transcript: str,
    user_guids: dict[str, str],
    guids: dict[str, str],
    codebook: Codebook,
    notes: list[NoteRow],
    notebook: MemoNotes,
    origins: dict[str, str],
    position: Callable[[int], int],
) -> int:
    """One selection per distinct span, holding one ``Coding`` per coder and code."""
    count = 0
    names = codebook.by_id()
    spans: dict[tuple[int, int], list[CodingRow]] = {}
    for row in codings:
        spans.setdefault((row[0], row[1]), []).append(row)
    for (start, end), group in sorted(spans.items()):
        group.sort(key=lambda r: (r[2], guids[r[3]]))
        first = min(group, key=lambda r: (r[2], r[3]))
        selection = _sub(
            source,
            PROJECT_NS,
            "PlainTextSelection",
            guid=stable_guid("selection", transcript, str(start), str(end)),
            name=first[7],
            startPosition=str(position(start)),
            endPosition=str(position(end)),
            creatingUser=user_guids.get(first[2]),
            creationDateTime=xml_datetime(min(r[4] for r in group)),
        )
        seen: dict[str, int] = {}
        for _s, _e, coder, code_id, created, memo, origin, _text in group:
            key = stable_guid("coding", transcript, str(start), str(end), coder, guids[code_id])
            seen[key] = seen.get(key, 0) + 1
            guid = key if seen[key] == 1 else stable_guid(key, str(seen[key]))
            coding = _sub(
                selection,
                PROJECT_NS,
                "Coding",
                guid=guid,
                creatingUser=user_guids.get(coder),
                creationDateTime=xml_datetime(created),
            )
            _sub(coding, PROJECT_NS, "CodeRef", targetGUID=guids[code_id])
            if memo:
                note = stable_guid("note", guid)
                _sub(coding, PROJECT_NS, "NoteRef", targetGUID=note)
                notes.append((note, f"Memo: {names[code_id].name}", coder, None, memo))
            for note in notebook.refer_from_coding((transcript, start, end, coder, code_id)):
                _sub(coding, PROJECT_NS, "NoteRef", targetGUID=note)
            if origin != "manual":
                origins[guid] = origin
            count += 1
    return count


def _coding_rows(data: StudyData) -> dict[str, list[CodingRow]]:
    """The layer's codings as plain tuples per transcript, in one pass over the frame."""
    frame = data.codings
    by_transcript: dict[str, list[CodingRow]] = {}
    if frame.empty:
        return by_transcript
    created = [pd.Timestamp(t).to_pydatetime() for t in frame["created_at"]]
    memos = [m if isinstance(m, str) else "" for m in frame["memo"]]
    columns = zip(
        frame["transcript"],
        frame["start"].astype(int),
        frame["end"].astype(int),
        frame["coder"].astype(str),
        frame["code_id"].astype(str),
        created,
        memos,
        frame["origin"].astype(str),
        frame["text"].astype(str),
        strict=True,
    )
    for name, start, end, coder, code, moment, memo, origin, text in columns:
        by_transcript.setdefault(name, []).append(
            (int(start), int(end), coder, code, moment, memo, origin, text)
        )
    return by_transcript


def utf16_positions(text: str) -> Callable[[int], int]:
    """Code point index -> UTF-16 code unit index in ``text`` (for NVivo and QualCoder)."""
    if all(ord(c) <= 0xFFFF for c in text):
        return int
    bounds = [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]
    return bounds.__getitem__


def project_tree(
    session: Session,
    data: StudyData,
    progress: Callable[[str], None] | None = None,
    positions: Positions = "codepoints",
) -> tuple[etree._Element, dict[str, bytes], RefiExportReport]:
    """The ``project.qde`` tree, the source files it points at, and a report.

    ``positions="utf16"`` counts selection positions in UTF-16 code units, as NVivo and
    QualCoder read them; the default counts code points, as the standard says.
    """
    _check_depth(data.codebook)
    report = RefiExportReport()
    project = current_project(session)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", xml_text(project.name))
    root.set("origin", ORIGIN)
    users = _exported_users(session, data)
    user_guids = {u.name: stable_guid("user", u.name) for u in users}
    if users:
        element = _sub(root, PROJECT_NS, "Users")
        for user in users:
            _sub(
                element,
                PROJECT_NS,
                "User",
                guid=user_guids[user.name],
                name=user.name,
                id=user.name,
            )
    guids = code_guids(data.codebook)
    notebook = memo_notes(session, set(user_guids), guids)
    notes: list[NoteRow] = list(notebook.notes)
    if data.codebook.codes:
        _codes(root, PROJECT_NS, data.codebook, guids, notebook.on_codes)
        report.codes = len(data.codebook.codes)
    names = list(data.transcripts["transcript"])
    transcripts = {
        t.name: t for t in session.scalars(select(Transcript).where(Transcript.name.in_(names)))
    }
    sources = {name: stable_guid("source", name) for name in names}
    _cases(root, session, transcripts, sources)
    files: dict[str, bytes] = {}
    rows = _coding_rows(data)
    report.origins = {}
    memos = _memos(session, set(user_guids))
    if names:
        element = _sub(root, PROJECT_NS, "Sources")
        for name in names:
            transcript = transcripts[name]
            guid = sources[name]
            source = _sub(
                element,
                PROJECT_NS,
                "TextSource",
                guid=guid,
                name=name,
                plainTextPath=f"internal://{guid}.txt",
            )
            files[f"sources/{guid}.txt"] = transcript.text.encode("utf-8")
            astral = any(ord(c) > 0xFFFF for c in transcript.text)
            if astral and positions == "codepoints":
                report.warnings.append(
                    f"{name}: holds emoji or other characters beyond U+FFFF; NVivo and "
                    "QualCoder count positions in UTF-16 units and will shift later codings "
                    "(export with --positions utf16 for them)"
                )
            position = utf16_positions(transcript.text) if positions == "utf16" else int
            report.codings += _selections(
                source,
                rows.get(name, []),
                name,
                user_guids,
                guids,
                data.codebook,
                notes,
                notebook,
                report.origins,
                position,
            )
            for author, text in memos.get(transcript.id, []):
                note = stable_guid("memo", name, author)
                _sub(source, PROJECT_NS, "NoteRef", targetGUID=note)
                notes.append((note, f"Memo on {name}", author, None, text))
            report.transcripts += 1
            if progress:
                progress(name)
        add_media_sources(element, session, transcripts, files)
    notebook.unplaced_to_project()
    if notes:
        element = _sub(root, PROJECT_NS, "Notes")
        for guid, title, author, _when, text in notes:
            note = _sub(
                element,
                PROJECT_NS,
                "Note",
                guid=guid,
                name=title,
                creatingUser=user_guids.get(author),
            )
            _sub(note, PROJECT_NS, "PlainTextContent").text = xml_text(text)
        report.notes = len(notes)
    groups = {
        group: [sources[m] for m in members if m in sources]
        for group, members in list_groups(session).items()
    }
    groups = {group: members for group, members in groups.items() if members}
    _facet_sets(root, PROJECT_NS, data.codebook, guids, groups)
    _text(root, PROJECT_NS, "Description", project.description)
    for guid in notebook.on_project:
        _sub(root, PROJECT_NS, "NoteRef", targetGUID=guid)
    return root, files, report


def _memos(session: Session, authors: set[str]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    rows = session.execute(
        select(Memo.transcript_id, User.name, Memo.text)
        .join(User, User.id == Memo.author_id)
        .where(Memo.subject == "transcript")
        .order_by(User.name)
    )
    for transcript_id, author, text in rows:
        if author in authors and text and transcript_id is not None:
            found.setdefault(transcript_id, []).append((author, text))
    return found


def write_qdpx(
    session: Session,
    data: StudyData,
    path: Path,
    progress: Callable[[str], None] | None = None,
    *,
    positions: Positions = "codepoints",
) -> RefiExportReport:
    """Write the study as a ``.qdpx`` archive: ``project.qde``, ``sources/<guid>.txt`` and
    the ``qualcarto.json`` sidecar that only qualcarto reads (see ``exchange.sidecar``)."""
    if path.suffix.lower() != ".qdpx":
        raise ValidationError(f"{path}: a REFI-QDA project file ends in .qdpx")
    if positions not in ("codepoints", "utf16"):
        raise ValidationError(f"positions '{positions}': choose codepoints or utf16")
    root, files, report = project_tree(session, data, progress, positions)
    users = [(u.name, u.role, u.kind) for u in _exported_users(session, data)]
    authors = {name for name, _, _ in users}
    memos: dict[str, list[list[str]]] = {}
    for key, author, title, text in session.execute(
        select(Participant.key, User.name, Memo.title, Memo.text)
        .join(User, User.id == Memo.author_id)
        .join(Participant, Participant.id == Memo.participant_id)
        .where(Memo.subject == "participant")
        .order_by(User.name, Memo.title)
    ):
        if author in authors:
            memos.setdefault(key, []).append([author, title, text])
    sidecar = make_sidecar(data.codebook, code_guids(data.codebook), users, report.origins, memos)
    sidecar_bytes = json.dumps(sidecar.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
    entries: list[tuple[str, Any]] = [
        ("project.qde", _to_bytes(root)),
        *sorted(files.items()),
        (SIDECAR, sidecar_bytes.encode("utf-8")),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return report

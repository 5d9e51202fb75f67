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

This module assembles the project and writes the archive; the parts are built by noun in
``refi_export_codebook``, ``refi_export_cases`` and ``refi_export_sources``.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.codebook import get_version, version_codebook
from qualcarto.errors import ValidationError
from qualcarto.exchange.data import StudyData
from qualcarto.exchange.refi_common import PROJECT_NS, stable_guid
from qualcarto.exchange.refi_export_cases import add_cases
from qualcarto.exchange.refi_export_codebook import (
    add_codes,
    add_sets,
    check_depth,
    code_guids,
    codebook_tree,
)
from qualcarto.exchange.refi_export_sources import (
    RefiExportReport,
    add_selections,
    coding_rows,
    transcript_memos,
    utf16_positions,
)
from qualcarto.exchange.refi_media import add_media_sources
from qualcarto.exchange.refi_notes import NoteRow, memo_notes
from qualcarto.exchange.refi_write import ORIGIN, sub_element, text_element, xml_bytes, xml_text
from qualcarto.exchange.sidecar import SIDECAR, make_sidecar
from qualcarto.store import Memo, Participant, Transcript, User, current_project
from qualcarto.transcripts.groups import list_groups

Positions = Literal["codepoints", "utf16"]
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_qdc(session: Session, path: Path, version: int | None = None) -> int:
    """Write a codebook version as ``.qdc``; returns the number of codes."""
    codebook = version_codebook(get_version(session, version))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xml_bytes(codebook_tree(codebook)))
    return len(codebook.codes)


def _exported_users(session: Session, data: StudyData) -> list[User]:
    users = list(session.scalars(select(User).order_by(User.name)))
    if data.layer != "all coders":
        users = [u for u in users if u.name in set(data.coders)]
    return users


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
    check_depth(data.codebook)
    report = RefiExportReport()
    project = current_project(session)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", xml_text(project.name))
    root.set("origin", ORIGIN)
    users = _exported_users(session, data)
    user_guids = {u.name: stable_guid("user", u.name) for u in users}
    if users:
        element = sub_element(root, PROJECT_NS, "Users")
        for user in users:
            sub_element(
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
        add_codes(root, PROJECT_NS, data.codebook, guids, notebook.on_codes)
        report.codes = len(data.codebook.codes)
    names = list(data.transcripts["transcript"])
    transcripts = {
        t.name: t for t in session.scalars(select(Transcript).where(Transcript.name.in_(names)))
    }
    sources = {name: stable_guid("source", name) for name in names}
    add_cases(root, session, transcripts, sources)
    files: dict[str, bytes] = {}
    rows = coding_rows(data)
    report.origins = {}
    memos = transcript_memos(session, set(user_guids))
    if names:
        element = sub_element(root, PROJECT_NS, "Sources")
        for name in names:
            transcript = transcripts[name]
            guid = sources[name]
            source = sub_element(
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
            report.codings += add_selections(
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
                sub_element(source, PROJECT_NS, "NoteRef", targetGUID=note)
                notes.append((note, f"Memo on {name}", author, None, text))
            report.transcripts += 1
            if progress:
                progress(name)
        add_media_sources(element, session, transcripts, files)
    notebook.unplaced_to_project()
    if notes:
        element = sub_element(root, PROJECT_NS, "Notes")
        for guid, title, author, _when, text in notes:
            note = sub_element(
                element,
                PROJECT_NS,
                "Note",
                guid=guid,
                name=title,
                creatingUser=user_guids.get(author),
            )
            sub_element(note, PROJECT_NS, "PlainTextContent").text = xml_text(text)
        report.notes = len(notes)
    groups = {
        group: [sources[m] for m in members if m in sources]
        for group, members in list_groups(session).items()
    }
    groups = {group: members for group, members in groups.items() if members}
    add_sets(root, PROJECT_NS, data.codebook, guids, groups)
    text_element(root, PROJECT_NS, "Description", project.description)
    for guid in notebook.on_project:
        sub_element(root, PROJECT_NS, "NoteRef", targetGUID=guid)
    return root, files, report


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
        ("project.qde", xml_bytes(root)),
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

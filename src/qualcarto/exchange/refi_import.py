# SPDX-License-Identifier: MIT
"""Import a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into the study, all or nothing.

Lenient where real files deviate (units of positions, namespaces, dangling references,
names), strict where safety or the data's meaning is at stake: an unsafe or broken
file, a missing source file, a selection past the end of its text raise an
``InputError`` naming the file, and the caller's transaction rolls back so the store
is unchanged. Users, codebook (a new version via ``publish``), participants,
transcripts, codings (``origin="import"``) and memos all land in one transaction, each
in the audit log.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.codebook import Codebook, latest_version, publish, version_codebook
from qualcarto.coding import add_coding
from qualcarto.errors import InputError, QualcartoError
from qualcarto.exchange.data import CONSENSUS
from qualcarto.exchange.positions import READINGS, Score, SourceText, choose_reading, score
from qualcarto.exchange.refi_codebook import merge_codebook
from qualcarto.exchange.refi_common import SafeArchive, parse_xml
from qualcarto.exchange.refi_media import import_media_sources
from qualcarto.exchange.refi_read import (
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    read_codebook,
    read_project,
)
from qualcarto.store import Coding, Memo, Participant, Transcript, User, current_project, record
from qualcarto.transcripts.decode import read_bytes
from qualcarto.transcripts.importer import import_text

MAX_FILE_BYTES = 512 * 1024 * 1024
ATLAS_SYSTEM_USER = "c32a2bd5-537f-4838-8b17-df9efbafdf4b"
FALLBACK_USER = "imported"


@dataclass
class RefiImportReport:
    """What an import did, what it converted and what it could not take."""

    source: str
    codebook_version: int | None = None
    codes: int = 0
    users: list[str] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    codings: int = 0
    memos: int = 0
    reading: str = ""
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"{self.source}: {self.codes} codes (codebook version {self.codebook_version}), "
            f"{len(self.users)} new users, {len(self.transcripts)} transcripts, "
            f"{self.codings} codings, {self.memos} memos"
        ]
        if self.reading:
            lines.append(f"positions: {self.reading}")
        return lines + [f"warning: {w}" for w in self.warnings]


def import_refi(
    session: Session,
    path: Path,
    *,
    actor: str = "system",
    progress: Callable[[str], None] | None = None,
) -> RefiImportReport:
    """Import ``path`` (``.qdpx`` or ``.qdc``) in the caller's transaction."""
    suffix = path.suffix.lower()
    if suffix not in (".qdpx", ".qdc"):
        raise InputError(path, "not a REFI-QDA file (expected .qdpx or .qdc)")
    data = read_bytes(path, MAX_FILE_BYTES)
    archive: SafeArchive | None = None
    if suffix == ".qdc":
        project = read_codebook(parse_xml(data, path), path)
    else:
        archive = SafeArchive(data, path)
        project = read_project(parse_xml(archive.read(_project_member(archive, path)), path), path)
    try:
        report = _store(session, path, project, archive, actor, progress)
        if archive is not None:
            root = parse_xml(archive.read(_project_member(archive, path)), path)
            report.warnings += import_media_sources(session, root, archive, path)
        return report
    except InputError:
        raise
    except QualcartoError as exc:
        raise InputError(path, str(exc)) from exc


def _project_member(archive: SafeArchive, path: Path) -> zipfile.ZipInfo:
    roots = [m for name, m in archive.names.items() if "/" not in name and name.endswith(".qde")]
    if not roots:
        raise InputError(path, "holds no project.qde: not a REFI-QDA project")
    if len(roots) > 1:  # which one is the project would be a guess
        raise InputError(path, f"holds {len(roots)} .qde files; a project has exactly one")
    return roots[0]


def _store(
    session: Session,
    path: Path,
    project: RefiProject,
    archive: SafeArchive | None,
    actor: str,
    progress: Callable[[str], None] | None,
) -> RefiImportReport:
    report = RefiImportReport(source=path.name, warnings=project.warnings)
    study = current_project(session)
    empty = latest_version(session) is None and not session.scalar(
        select(func.count()).select_from(Transcript)
    )
    texts = _texts(project, archive, path) if archive is not None else {}
    spans = _convert_positions(project, texts, path, report)
    coded = {c.code for s in project.sources for sel in s.selections for c in sel.codings}
    coded |= {c.code for s in project.sources for c in s.whole_codings}
    users = _users(session, project, path, actor, report)
    previous = latest_version(session)
    existing = version_codebook(previous) if previous else Codebook()
    codebook, code_ids = merge_codebook(existing, project, coded, project.name or path.stem)
    author = actor if session.scalars(select(User.id).where(User.name == actor)).first() else None
    if codebook.codes:
        result = publish(
            session, codebook, f"imported from {path.name}", author=author, source_file=path.name
        )
        report.codebook_version, report.codes = result.number, len(project.codes)
    if empty and project.name:
        study.name = project.name[:200]
        study.description = project.description or study.description
    names = _participants_and_transcripts(session, project, texts, path, actor, report, progress)
    notes = _note_texts(project, archive, path)
    for source in project.sources:
        if source.guid in names:
            _codings(session, source, names[source.guid], spans, users, code_ids, notes, report)
            _memos(session, source, names[source.guid], users, notes, actor, report)
    if project.project_notes:
        report.warnings.append(f"{project.project_notes} project-level note(s) not imported")
    record(session, actor, "exchange.import", "file", path.name, summary=report.lines())
    return report


def _texts(project: RefiProject, archive: SafeArchive, path: Path) -> dict[str, SourceText]:
    texts: dict[str, SourceText] = {}
    for source in project.sources:
        if source.kind in ("AudioSource", "VideoSource"):
            continue  # their recordings are attached to their transcripts afterwards
        if source.kind != "TextSource":
            project.warnings.append(
                f"{source.kind} '{source.name}' skipped: only text sources are imported"
            )
            continue
        raw = source.content
        if source.plain_path:
            raw = _member_text(
                archive, source.plain_path, path, f"source '{source.name or source.guid}'"
            )
        if raw is None or not raw.strip():
            project.warnings.append(f"source '{source.name or source.guid}' has no text; skipped")
            continue
        texts[source.guid] = SourceText(raw)
    return texts


def _member_text(archive: SafeArchive | None, reference: str, path: Path, what: str) -> str | None:
    if reference.startswith(("relative://", "absolute://")) or archive is None:
        raise InputError(path, f"{what}: {reference} lies outside the archive")
    name = reference.removeprefix("internal://").lstrip("/")
    member = archive.find(f"sources/{name}") or archive.find(name)
    if member is None:
        raise InputError(path, f"{what}: {reference} is not in the archive")
    data = archive.read(member).removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"{member.filename} is not valid UTF-8 (offset {exc.start})"
        ) from exc


def _convert_positions(
    project: RefiProject, texts: dict[str, SourceText], path: Path, report: RefiImportReport
) -> dict[str, list[tuple[int, int]]]:
    """Detect the file's unit from all its selections, then map each to stored offsets."""
    spans = {
        s.guid: [(sel.start, sel.end, sel.name) for sel in s.selections]
        for s in project.sources
        if s.guid in texts
    }
    totals = {r: sum((score(texts[g], r, v) for g, v in spans.items()), Score()) for r in READINGS}
    reading = choose_reading(totals, project.origin)
    converted: dict[str, list[tuple[int, int]]] = {}
    changed = 0
    for source in project.sources:
        if source.guid not in texts:
            continue
        text = texts[source.guid]
        limit = text.length(reading)
        for selection in source.selections:
            if not 0 <= selection.start <= selection.end <= limit:
                raise InputError(
                    path,
                    f"selection {selection.guid} ({selection.start}-{selection.end}) is outside "
                    f"source '{source.name}' ({limit} positions)",
                )
        starts = text.convert(reading, [s.start for s in source.selections])
        ends = text.convert(reading, [s.end for s in source.selections])
        converted[source.guid] = list(zip(starts, ends, strict=True))
        changed += any(
            (s.start, s.end) != pair
            for s, pair in zip(source.selections, converted[source.guid], strict=True)
        )
    if changed:
        report.reading = (
            f"read as {reading.describe()}; converted to code points in {changed} source(s)"
        )
    return converted


def _user_name(raw: str, guid: str) -> str:
    name = "_".join(raw.split())[:100]
    return name or f"user-{guid[:8]}"


def _users(
    session: Session, project: RefiProject, path: Path, actor: str, report: RefiImportReport
) -> dict[str, str]:
    """File user GUID -> store user name; new users have no password until one is set."""
    used = {c.user for s in project.sources for sel in s.selections for c in sel.codings}
    used |= {c.user for s in project.sources for c in s.whole_codings}
    wanted = {g: n for g, n in project.users.items() if g != ATLAS_SYSTEM_USER or g in used}
    dangling = {g for g in used if g not in project.users}
    if dangling:
        report.warnings.append(
            f"{len(dangling)} coding user(s) not in <Users>; coded as '{FALLBACK_USER}'"
        )
    names = {g: _user_name(n, g) for g, n in wanted.items()}
    names |= dict.fromkeys(dangling, FALLBACK_USER)
    existing = set(session.scalars(select(User.name).where(User.name.in_(set(names.values())))))
    for name in sorted(set(names.values()) - existing):
        kind = "reference" if name == CONSENSUS else "human"
        user = User(name=name, role="coder", kind=kind, description=f"imported from {path.name}")
        session.add(user)
        session.flush()
        record(session, actor, "user.add", "user", user.id, name=name, role="coder", kind=kind)
        report.users.append(name)
    return names


def _participants_and_transcripts(
    session: Session,
    project: RefiProject,
    texts: dict[str, SourceText],
    path: Path,
    actor: str,
    report: RefiImportReport,
    progress: Callable[[str], None] | None,
) -> dict[str, Transcript]:
    study = current_project(session)
    taken: set[str] = set()
    titles: dict[str, str] = {}
    for source in project.sources:
        if source.guid in texts:
            base = (
                source.name or Path(source.plain_path or "").stem or f"source-{source.guid[:8]}"
            )[:190]
            title, n = base, 2
            while title in taken:
                title, n = f"{base} ({n})", n + 1
            taken.add(title)
            titles[source.guid] = title
    owners: dict[str, tuple[str, dict[str, str]]] = {}
    for case in project.cases:
        key = case.name or (titles.get(case.sources[0], "") if len(case.sources) == 1 else "")
        key = (key or f"case-{case.guid[:8]}")[:100]
        for ref in case.sources:
            if ref not in titles:
                report.warnings.append(
                    f"case '{key}' refers to source {ref}, which is not in the file"
                )
            else:
                owners.setdefault(ref, (key, case.variables))
    for source in project.sources:
        if source.guid in titles and source.guid not in owners and source.variables:
            owners[source.guid] = (titles[source.guid][:100], source.variables)
    participants = {
        p.key: p
        for p in session.scalars(select(Participant).where(Participant.project_id == study.id))
    }
    for key, attributes in owners.values():
        if key not in participants:
            participants[key] = Participant(project_id=study.id, key=key, attributes={})
            session.add(participants[key])
        participants[key].attributes = {**participants[key].attributes, **attributes}
    session.flush()
    stored: dict[str, Transcript] = {}
    for guid, title in titles.items():
        owner = participants[owners[guid][0]].id if guid in owners else None
        text = texts[guid]
        found = session.scalars(select(Transcript).where(Transcript.name == title)).first()
        if found is not None and found.text != text.text:
            raise InputError(path, f"transcript '{title}' already exists with another text")
        if found is None:
            found = import_text(
                session, title, text.text, source_file=path.name, participant_id=owner, actor=actor
            )
            report.transcripts.append(title)
        stored[guid] = found
        if progress:
            progress(title)
    return stored


def _note_texts(
    project: RefiProject, archive: SafeArchive | None, path: Path
) -> dict[str, tuple[str, str]]:
    """Note GUID -> (author GUID, text), reading note files from the archive if needed."""
    found: dict[str, tuple[str, str]] = {}
    for guid, note in project.notes.items():
        text = note.content
        if text is None and note.plain_path and archive is not None:
            text = _member_text(archive, note.plain_path, path, f"note '{note.name}'")
        if text and text.strip():
            found[guid] = (note.user, text.strip())
    return found


def _codings(
    session: Session,
    source: RefiSource,
    transcript: Transcript,
    spans: dict[str, list[tuple[int, int]]],
    users: dict[str, str],
    code_ids: dict[str, str],
    notes: dict[str, tuple[str, str]],
    report: RefiImportReport,
) -> None:
    done = {
        (c.coder_id, c.code_id, c.start, c.end)
        for c in session.scalars(select(Coding).where(Coding.transcript_id == transcript.id))
    }
    user_ids = {name: uid for name, uid in session.execute(select(User.name, User.id))}
    made_here: set[tuple[int | None, str, int, int]] = set()
    pairs = spans.get(source.guid, [])
    work: list[tuple[RefiSelection | None, tuple[int, int], list[RefiCoding]]] = [
        (sel, pairs[i], sel.codings) for i, sel in enumerate(source.selections)
    ]
    work.append((None, (0, transcript.length), source.whole_codings))
    skipped = {"empty": 0, "code": 0, "comment": 0, "duplicate": 0}
    for selection, (start, end), codings in work:
        if selection is not None and not codings and selection.description.strip():
            skipped["comment"] += 1
        for coding in codings:
            code_id = code_ids.get(coding.code)
            coder = users.get(coding.user) or FALLBACK_USER
            if code_id is None:
                skipped["code"] += 1
                continue
            if start >= end:
                skipped["empty"] += 1
                continue
            # The project may code one span twice with one code (two selections); our
            # store keeps one coding, which the first of them becomes.
            key = (user_ids.get(coder), code_id, start, end)
            if key in done:
                skipped["duplicate"] += key in made_here
                continue
            refs = coding.notes + (selection.notes if selection else [])
            memo = (
                [selection.description.strip()]
                if selection and selection.description.strip()
                else []
            )
            memo += [notes[r][1] for r in refs if r in notes]
            made = add_coding(
                session,
                transcript.id,
                start,
                end,
                code_id,
                coder,
                "\n\n".join(memo),
                origin="import",
            )
            done.add((made.coder_id, code_id, start, end))
            made_here.add((made.coder_id, code_id, start, end))
            created = coding.created or (selection.created if selection else None)
            if created is not None:
                made.created_at = made.updated_at = created
            report.codings += 1
    for what, message in (
        ("code", "coding(s) refer to a code not in the file; left out"),
        ("empty", "empty selection(s) left out"),
        ("comment", "selection comment(s) without a code left out"),
        ("duplicate", "exact duplicate coding(s) (same coder, span and code) kept once"),
    ):
        if skipped[what]:
            report.warnings.append(f"{transcript.name}: {skipped[what]} {message}")


def _memos(
    session: Session,
    source: RefiSource,
    transcript: Transcript,
    users: dict[str, str],
    notes: dict[str, tuple[str, str]],
    actor: str,
    report: RefiImportReport,
) -> None:
    by_author: dict[str, list[str]] = {}
    for ref in source.notes:
        if ref in notes:
            author, text = notes[ref]
            by_author.setdefault(users.get(author) or FALLBACK_USER, []).append(text)
    for author, texts in sorted(by_author.items()):
        user = session.scalars(select(User).where(User.name == author)).first()
        if user is None:
            report.warnings.append(f"{transcript.name}: a memo by an unknown user left out")
            continue
        memo = session.scalars(
            select(Memo).where(Memo.transcript_id == transcript.id, Memo.author_id == user.id)
        ).first()
        if memo is None:
            memo = Memo(transcript_id=transcript.id, author_id=user.id, text="")
            session.add(memo)
        memo.text = "\n\n".join(t for t in [memo.text, *texts] if t)
        session.flush()
        record(session, actor, "memo.import", "transcript", transcript.id, author=author)
        report.memos += 1

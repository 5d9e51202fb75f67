# SPDX-License-Identifier: MIT
"""Import a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into the study, all or nothing.

Lenient where real files deviate (units of positions, namespaces, dangling references,
names, control characters), strict where safety or the data's meaning is at stake: an
unsafe or broken file, a missing source file, a selection past the end of its text
raise an ``InputError`` naming the file, and the caller's transaction rolls back so
the store is unchanged. With ``skip_broken`` a broken source is left out instead, and
the report names it with its reason.

Nothing is dropped silently. Users, codebook (a new version via ``publish``),
participants with typed attributes, transcripts, transcript groups (document sets),
codings (``origin="import"``) and memos (on transcripts, codes, participants and the
study) all land in one transaction through the same services as everything else, each
in the audit log; what qualcarto cannot hold (links, graphs, non-text sources,
case-level codings, ...) is counted per kind in the report and the audit entry.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.codebook import Codebook, latest_version, publish, version_codebook
from qualcarto.coding import NewCoding, add_codings
from qualcarto.errors import InputError, QualcartoError
from qualcarto.exchange.data import CONSENSUS
from qualcarto.exchange.positions import READINGS, Reading, Score, SourceText, choose_reading, score
from qualcarto.exchange.refi_cases import add_groups, participants_and_transcripts
from qualcarto.exchange.refi_codebook import merge_codebook
from qualcarto.exchange.refi_codings import source_codings, source_memos
from qualcarto.exchange.refi_common import SafeArchive, parse_xml
from qualcarto.exchange.refi_media import import_media_sources
from qualcarto.exchange.refi_read import RefiProject, RefiSource, read_codebook, read_project
from qualcarto.exchange.refi_report import FALLBACK_USER, RefiImportReport, who, write_memo
from qualcarto.exchange.sidecar import SIDECAR, Sidecar, apply_sidecar
from qualcarto.store import Transcript, User, current_project, record
from qualcarto.transcripts.decode import read_bytes
from qualcarto.users import add_user

MAX_FILE_BYTES = 512 * 1024 * 1024
ATLAS_SYSTEM_USER = "c32a2bd5-537f-4838-8b17-df9efbafdf4b"
BARE_QDE = (
    "a bare project file: zip it with its sources/ folder into a .qdpx "
    "(cd project && zip -r ../project.qdpx project.qde sources), or import it with "
    "--sources DIR naming the folder that holds its source files"
)


def import_refi(
    session: Session,
    path: Path,
    *,
    actor: str = "system",
    progress: Callable[[str], None] | None = None,
    skip_broken: bool = False,
    sources: Path | None = None,
) -> RefiImportReport:
    """Import ``path`` (``.qdpx``, ``.qdc``, or ``.qde`` with ``sources``) in the caller's
    transaction."""
    suffix = path.suffix.lower()
    if suffix == ".qde" and sources is None:
        raise InputError(path, BARE_QDE)
    if suffix not in (".qdpx", ".qdc", ".qde"):
        raise InputError(path, "not a REFI-QDA file (expected .qdpx or .qdc)")
    data = read_bytes(path, MAX_FILE_BYTES)
    archive: SafeArchive | None = None
    if suffix == ".qdc":
        project = read_codebook(parse_xml(data, path), path)
    else:
        if suffix == ".qde":
            assert sources is not None
            data = _zip_folder(data, sources, path)
        archive = SafeArchive(data, path)
        project = read_project(parse_xml(archive.read(_project_member(archive, path)), path), path)
    try:
        report = _store(session, path, project, archive, actor, progress, skip_broken)
        if archive is not None:
            root = parse_xml(archive.read(_project_member(archive, path)), path)
            report.warnings += import_media_sources(session, root, archive, path)
        return report
    except InputError:
        raise
    except QualcartoError as exc:
        raise InputError(path, str(exc)) from exc


def _zip_folder(qde: bytes, folder: Path, path: Path) -> bytes:
    """A ``.qde`` and the files of ``folder`` as an in-memory ``.qdpx`` (checked like one)."""
    if not folder.is_dir():
        raise InputError(folder, "is not a folder (--sources names the folder of source files)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
        for file in sorted(folder.iterdir()):
            if file.is_file():
                archive.writestr(f"sources/{file.name}", read_bytes(file, MAX_FILE_BYTES))
    return buffer.getvalue()


def _project_member(archive: SafeArchive, path: Path) -> zipfile.ZipInfo:
    roots = [m for name, m in archive.names.items() if "/" not in name and name.endswith(".qde")]
    if not roots:
        raise InputError(path, "holds no project.qde: not a REFI-QDA project")
    if len(roots) > 1:  # which one is the project would be a guess
        raise InputError(path, f"holds {len(roots)} .qde files; a project has exactly one")
    return roots[0]


def _sidecar(project: RefiProject, archive: SafeArchive | None, path: Path) -> Sidecar | None:
    member = archive.find(SIDECAR) if archive is not None else None
    if member is None:
        return None
    try:
        return Sidecar.from_json(json.loads(archive.read(member)))  # type: ignore[union-attr]
    except (ValueError, KeyError, TypeError) as exc:
        project.warnings.append(f"{SIDECAR} unreadable ({exc}); the standard part was imported")
        return None


def _store(
    session: Session,
    path: Path,
    project: RefiProject,
    archive: SafeArchive | None,
    actor: str,
    progress: Callable[[str], None] | None,
    skip_broken: bool,
) -> RefiImportReport:
    report = RefiImportReport(source=path.name, warnings=project.warnings)
    study = current_project(session)
    empty = latest_version(session) is None and not session.scalar(
        select(func.count()).select_from(Transcript)
    )
    sidecar = _sidecar(project, archive, path)
    texts = _texts(project, archive, path, report, skip_broken) if archive is not None else {}
    spans, reading = _convert_positions(project, texts, path, report, skip_broken)
    report.controls_removed = sum(t.controls_removed for t in texts.values())
    if archive is not None:
        _other_files(project, archive, texts)
    coded = {c.code for s in project.sources for sel in s.selections for c in sel.codings}
    coded |= {c.code for s in project.sources for c in s.whole_codings}
    notes = _note_texts(project, archive, path)
    users = _users(session, project, notes, path, actor, report, sidecar, empty)
    previous = latest_version(session)
    existing = version_codebook(previous) if previous else Codebook()
    codebook, code_ids = merge_codebook(existing, project, coded, project.name or path.stem)
    if sidecar is not None:
        codebook, code_ids = apply_sidecar(sidecar, codebook, code_ids)
    author = actor if session.scalars(select(User.id).where(User.name == actor)).first() else None
    if codebook.codes:
        result = publish(
            session, codebook, f"imported from {path.name}", author=author, source_file=path.name
        )
        report.codebook_version, report.codes = result.number, len(project.codes)
    used_notes: set[str] = set()
    if empty and project.name:
        study.name = project.name[:200]
        study.description = project.description or study.description
    elif project.description.strip() and project.description.strip() != study.description:
        write_memo(session, FALLBACK_USER, project.description, "project", report, actor,
              title=f"Project description from {path.name}")  # fmt: skip
    names, owners = participants_and_transcripts(
        session, project, texts, path, actor, report, progress
    )
    add_groups(session, project, names, actor, report)
    origins = sidecar.origins if sidecar is not None else None
    rows: list[NewCoding] = []
    for source in project.sources:
        if source.guid in names:
            rows += source_codings(
                session, source, names[source.guid], spans, users, code_ids, notes, report,
                used_notes, origins, actor,
            )  # fmt: skip
            source_memos(session, source, names[source.guid], texts[source.guid], reading,
                          users, project, notes, used_notes, actor, report)  # fmt: skip
    report.codings = add_codings(session, rows, origin="import", actor=actor)
    for code in project.codes:
        for ref in code.notes:
            if ref in notes and code.guid in code_ids:
                used_notes.add(ref)
                author_guid, title, text = notes[ref]
                write_memo(session, who(users, author_guid), text, "code", report, actor,
                      code_id=code_ids[code.guid], title=title)  # fmt: skip
    written = sidecar.participant_memos if sidecar is not None else {}
    for case in project.cases:
        memos = written.get(case.name) or [[FALLBACK_USER, "Case description", case.description]]
        for author, title, text in memos if case.description and case.guid in owners else []:
            write_memo(session, author, text, "participant", report, actor,
                  participant_id=owners[case.guid], title=title)  # fmt: skip
        project.unsupported_add("case-level codings", case.codings)
    # Project notes, journals nothing refers to, notes only a link refers to: study memos.
    for guid in [*project.project_notes, *notes]:
        if guid in notes and guid not in used_notes:
            used_notes.add(guid)
            author_guid, title, text = notes[guid]
            write_memo(session, who(users, author_guid), text, "project", report, actor,
                  title=title or "Journal")  # fmt: skip
    report.unsupported = dict(project.unsupported)
    record(
        session,
        actor,
        "exchange.import",
        "file",
        path.name,
        summary=report.lines(),
        unsupported=report.unsupported,
        skipped=report.skipped,
    )
    return report


def _broken(
    report: RefiImportReport, skip_broken: bool, error: InputError, source: RefiSource
) -> None:
    if not skip_broken:
        raise error
    report.skipped.append(f"source '{source.name or source.guid}': {error.problem}")


def _texts(
    project: RefiProject,
    archive: SafeArchive,
    path: Path,
    report: RefiImportReport,
    skip_broken: bool,
) -> dict[str, SourceText]:
    texts: dict[str, SourceText] = {}
    for source in project.sources:
        if source.kind in ("AudioSource", "VideoSource"):
            continue  # their recordings are attached to their transcripts afterwards
        if source.kind != "TextSource":
            project.unsupported_add(f"non-text sources ({source.kind})")
            continue
        raw = source.content
        try:
            if source.plain_path:
                raw = _member_text(
                    archive, source.plain_path, path, f"source '{source.name or source.guid}'"
                )
        except InputError as error:
            _broken(report, skip_broken, error, source)
            continue
        if raw is None or not raw.strip():
            project.unsupported_add("sources without text")
            continue
        if "\x00" in raw:  # other control characters are removed; a NUL means binary
            binary = InputError(
                path,
                f"source '{source.name or source.guid}': control character U+0000 (NUL): "
                "a binary file, or UTF-16 without a BOM",
            )
            _broken(report, skip_broken, binary, source)
            continue
        texts[source.guid] = SourceText(raw)
    return texts


def _member(archive: SafeArchive, reference: str) -> zipfile.ZipInfo | None:
    name = reference.removeprefix("internal://").lstrip("/")
    return archive.find(f"sources/{name}") or archive.find(name)


def _other_files(project: RefiProject, archive: SafeArchive, texts: dict[str, SourceText]) -> None:
    """Count archive files the import does not read: rich-text copies, files nothing names."""
    read: set[str] = set()
    for reference in [s.plain_path for s in project.sources] + [
        n.plain_path for n in project.notes.values()
    ]:
        found = _member(archive, reference) if reference else None
        if found is not None:
            read.add(found.filename)
    rich = 0
    for source in project.sources:
        for reference in source.other_paths:
            found = _member(archive, reference)
            if found is not None and found.filename not in read:
                read.add(found.filename)
                rich += source.guid in texts  # a non-text source is counted already
    project.unsupported_add("rich-text copies of imported sources (formatting)", rich)
    stray = sorted(
        m.filename
        for m in archive.names.values()
        if m.file_size
        and not m.is_dir()
        and m.filename not in read
        and "/" in m.filename.strip("/")
        and m.filename != SIDECAR
    )
    project.unsupported_add("archive files nothing refers to", len(stray))
    if stray:
        shown = ", ".join(stray[:3]) + (" ..." if len(stray) > 3 else "")
        project.warnings.append(f"archive files nothing refers to: {shown}")


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
    project: RefiProject,
    texts: dict[str, SourceText],
    path: Path,
    report: RefiImportReport,
    skip_broken: bool,
) -> tuple[dict[str, list[tuple[int, int]]], Reading]:
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
        outside = next((s for s in source.selections if not 0 <= s.start <= s.end <= limit), None)
        if outside is not None:
            error = InputError(
                path,
                f"selection {outside.guid} ({outside.start}-{outside.end}) is outside "
                f"source '{source.name}' ({limit} positions)",
            )
            _broken(report, skip_broken, error, source)
            del texts[source.guid]
            continue
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
    return converted, reading


def _user_name(raw: str, guid: str) -> str:
    name = "_".join(raw.split())[:100]
    return name or f"user-{guid[:8]}"


def _users(
    session: Session,
    project: RefiProject,
    notes: dict[str, tuple[str, str, str]],
    path: Path,
    actor: str,
    report: RefiImportReport,
    sidecar: Sidecar | None,
    empty: bool,
) -> dict[str, str]:
    """File user GUID -> store user name; new users have no password until one is set."""
    used = {c.user for s in project.sources for sel in s.selections for c in sel.codings}
    used |= {c.user for s in project.sources for c in s.whole_codings}
    authors = {a for a, _, _ in notes.values()} | {
        sel.user for s in project.sources for sel in s.selections if sel.description.strip()
    }
    wanted = {g: n for g, n in project.users.items() if g != ATLAS_SYSTEM_USER or g in used}
    project.unsupported_add("tool system users (ATLAS.ti)", len(project.users) - len(wanted))
    dangling = {g for g in used if g not in project.users}
    if dangling:
        report.warnings.append(
            f"{len(dangling)} coding user(s) not in <Users>; coded as '{FALLBACK_USER}'"
        )
    names = {g: _user_name(n, g) for g, n in wanted.items()}
    names |= dict.fromkeys(dangling, FALLBACK_USER)
    needed = set(names.values())
    if dangling or any(a not in names for a in authors) or _needs_fallback(project, empty, sidecar):
        needed.add(FALLBACK_USER)
    existing = set(session.scalars(select(User.name).where(User.name.in_(needed))))
    kinds = sidecar.user_kinds() if sidecar is not None else {}
    roles = sidecar.user_roles() if sidecar is not None else {}
    for name in sorted(needed - existing):
        kind = kinds.get(name, "reference" if name == CONSENSUS else "human")
        add_user(
            session,
            name,
            roles.get(name, "coder"),
            kind=kind,
            description=f"imported from {path.name}",
            actor=actor,
            imported=True,
        )
        report.users.append(name)
    return names


def _needs_fallback(project: RefiProject, empty: bool, sidecar: Sidecar | None) -> bool:
    """Whether a memo without an author (a case or project description) will be written."""
    described = bool(project.description.strip()) and not (empty and project.name)
    known = sidecar.participant_memos if sidecar is not None else {}
    return described or any(c.description and c.name not in known for c in project.cases)


def _note_texts(
    project: RefiProject, archive: SafeArchive | None, path: Path
) -> dict[str, tuple[str, str, str]]:
    """Note GUID -> (author GUID, title, text), reading note files from the archive if needed."""
    found: dict[str, tuple[str, str, str]] = {}
    for guid, note in project.notes.items():
        text = note.content
        if text is None and note.plain_path and archive is not None:
            text = _member_text(archive, note.plain_path, path, f"note '{note.name}'")
        if text and text.strip():
            found[guid] = (note.user, note.name.strip(), text.strip())
    return found

# SPDX-License-Identifier: MIT
"""A REFI-QDA file read before anything is written: its project, source texts in stored
offsets (normalized and segmented into turns and sentences), and notes.

All of this is done outside any transaction: a large file is parsed and its positions
converted without holding the store's write lock.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from qualcarto.errors import InputError
from qualcarto.exchange.positions import READINGS, Reading, Score, SourceText, choose_reading, score
from qualcarto.exchange.refi_common import SafeArchive, parse_xml
from qualcarto.exchange.refi_read import RefiProject, RefiSource, read_codebook, read_project
from qualcarto.exchange.refi_report import RefiImportReport
from qualcarto.exchange.sidecar import SIDECAR, Sidecar
from qualcarto.transcripts.decode import normalize_text, read_bytes
from qualcarto.transcripts.importer import Structure, find_structure

MAX_FILE_BYTES = 512 * 1024 * 1024
BARE_QDE = (
    "a bare project file: zip it with its sources/ folder into a .qdpx "
    "(cd project && zip -r ../project.qdpx project.qde sources), or import it with "
    "--sources DIR naming the folder that holds its source files"
)


@dataclass
class RefiFile:
    """What an import will write, read and converted: nothing here touches the store."""

    path: Path
    project: RefiProject
    archive: SafeArchive | None
    sidecar: Sidecar | None
    texts: dict[str, SourceText]
    spans: dict[str, list[tuple[int, int]]]
    reading: Reading
    notes: dict[str, tuple[str, str, str]]  # note GUID -> (author GUID, title, text)
    report: RefiImportReport
    titles: dict[str, str]  # source GUID -> transcript name
    structures: dict[str, Structure]  # source GUID -> normalized text, turns, sentences
    root: etree._Element | None  # the project's XML (a .qdc has none): its recordings


def read_refi(path: Path, sources: Path | None, skip_broken: bool) -> RefiFile:
    """Read ``path`` (``.qdpx``, ``.qdc``, or ``.qde`` with ``sources``) and its texts."""
    suffix = path.suffix.lower()
    if suffix == ".qde" and sources is None:
        raise InputError(path, BARE_QDE)
    if suffix not in (".qdpx", ".qdc", ".qde"):
        raise InputError(path, "not a REFI-QDA file (expected .qdpx or .qdc)")
    data = read_bytes(path, MAX_FILE_BYTES)
    archive: SafeArchive | None = None
    root: etree._Element | None = None
    if suffix == ".qdc":
        project = read_codebook(parse_xml(data, path), path)
    else:
        if suffix == ".qde":
            assert sources is not None
            data = _zip_folder(data, sources, path)
        archive = SafeArchive(data, path)
        root = parse_xml(archive.read(project_member(archive, path)), path)
        project = read_project(root, path)
    report = RefiImportReport(source=path.name, warnings=project.warnings)
    sidecar = _sidecar(project, archive, path)
    texts = _texts(project, archive, path, report, skip_broken) if archive is not None else {}
    spans, reading = _convert_positions(project, texts, path, report, skip_broken)
    report.controls_removed = sum(t.controls_removed for t in texts.values())
    if archive is not None:
        _other_files(project, archive, texts)
    notes = _note_texts(project, archive, path)
    titles = transcript_titles(project, texts)
    structures = {
        guid: find_structure(normalize_text(texts[guid].text, f"{path.name}: {title}"))
        for guid, title in titles.items()
    }
    return RefiFile(
        path,
        project,
        archive,
        sidecar,
        texts,
        spans,
        reading,
        notes,
        report,
        titles,
        structures,
        root,
    )


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


def project_member(archive: SafeArchive, path: Path) -> zipfile.ZipInfo:
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


def transcript_titles(project: RefiProject, texts: dict[str, SourceText]) -> dict[str, str]:
    """A unique transcript name for each text source, by source GUID."""
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
    return titles

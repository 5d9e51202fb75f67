# SPDX-License-Identifier: MIT
"""Import transcripts and participants into the store, all or nothing.

All or nothing: if any file is bad, the store stays exactly as it was and the error
names that file. ``import_transcripts`` writes in the caller's one transaction;
``import_transcripts_in_batches`` (the CLI's) writes each new file in its own short
transaction, hidden from everyone until the import is done (``qualcarto.store.staging``).
Files are read, segmented and written one at a time, and the session is cleared after
each, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from qualcarto.errors import InputError
from qualcarto.store import (
    Coding,
    ImportRun,
    Participant,
    Segment,
    Transcript,
    Turn,
    current_project,
    record,
    staged_import,
)
from qualcarto.transcripts.attributes import set_participants
from qualcarto.transcripts.decode import normalize_text, read_bytes
from qualcarto.transcripts.participants import read_participants
from qualcarto.transcripts.readers import SUFFIXES, read_transcript
from qualcarto.transcripts.segment import sentences
from qualcarto.transcripts.turns import TurnSpan, find_turns


@dataclass
class ImportReport:
    """What an import did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    participants: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {self.participants} participants"
        )


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their transcript files (sorted); keep named files as they are."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files


def import_transcripts(
    session: Session,
    files: Sequence[Path],
    *,
    participants_csv: Path | None = None,
    actor: str = "system",
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import ``files`` (and participant attributes) in the caller's transaction.

    A transcript is named by its file stem; it is linked to the participant whose id
    equals that stem. Re-importing an unchanged file does nothing; a changed file
    replaces the old text only while no coding refers to it.
    """
    return import_with(ImportRun(session), files, participants_csv, actor, progress)


def import_transcripts_in_batches(
    engine: Engine,
    files: Sequence[Path],
    *,
    participants_csv: Path | None = None,
    actor: str = "system",
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """``import_transcripts`` in short transactions (one per new file), so coders keep
    working while a large corpus imports; nobody sees it until all of it is in, and a
    failure or a killed process leaves the store as it was."""
    label = files[0].name if len(files) == 1 else f"{len(files)} transcript files"
    with staged_import(engine, label, actor) as run:
        return import_with(run, files, participants_csv, actor, progress)


def import_with(
    run: ImportRun,
    files: Sequence[Path],
    participants_csv: Path | None,
    actor: str,
    progress: Callable[[Path], None] | None,
    then: Callable[[], None] | None = None,
) -> ImportReport:
    """New transcripts one batch each (and ``then``, more new rows: recordings); then, in
    the last transaction, what changes rows that exist (participants, older transcripts)."""
    session = run.session
    report = ImportReport()
    attributes = read_participants(participants_csv) if participants_csv else {}
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        dup = next(s for s in stems if stems.count(s) > 1)
        raise InputError(dup, "two files share this name; transcript names must be unique")
    project_id = current_project(session).id
    known = set(session.scalars(select(Transcript.name).where(Transcript.project_id == project_id)))
    if participants_csv:
        _check_participants_known(participants_csv, attributes, set(stems) | known)
    added: dict[str, int] = {}
    for path in files:
        if path.stem not in known:
            data = read_bytes(path)  # read and segmented before the batch takes the lock
            structure = find_structure(read_transcript(path, data))
            checksum = hashlib.sha256(data).hexdigest()
            added[path.stem] = _add_one(
                session, project_id, path, checksum, structure, actor, report
            )
            run.checkpoint()
            if progress:
                progress(path)
    if then is not None:
        then()
    run.checkpoint(force=True)  # the last transaction: rows that exist already change
    if participants_csv:
        set_participants(session, attributes, actor=actor)
        report.participants = len(attributes)
    participant_ids: dict[str, int] = {
        key: pid
        for key, pid in session.execute(
            select(Participant.key, Participant.id).where(Participant.project_id == project_id)
        )
    }
    for stem, transcript_id in added.items():
        if stem in participant_ids:
            session.execute(
                update(Transcript)
                .where(Transcript.id == transcript_id)
                .values(participant_id=participant_ids[stem])
            )
    for path in files:
        if path.stem in known:
            _import_one(session, project_id, path, participant_ids.get(path.stem), actor, report)
            if progress:
                progress(path)
            session.flush()
            session.expunge_all()
    return report


def _check_participants_known(
    csv_path: Path, attributes: dict[str, dict[str, str]], names: set[str]
) -> None:
    unknown = [key for key in attributes if key not in names]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise InputError(
            csv_path,
            f"participant id(s) {shown} match no transcript file name "
            "(a transcript is linked to the participant whose id equals its file name)",
        )


def _add_one(
    session: Session,
    project_id: int,
    path: Path,
    source_checksum: str,
    structure: Structure,
    actor: str,
    report: ImportReport,
) -> int:
    """A new transcript from ``path``, read and segmented already; its id."""
    transcript = Transcript(project_id=project_id, name=path.stem)
    session.add(transcript)
    report.added.append(path.stem)
    _set_text(transcript, path, source_checksum, structure.text)
    _store_structure_and_audit(session, transcript, actor, structure)
    session.flush()
    session.expunge_all()  # memory stays flat however large the corpus
    return transcript.id


def _import_one(
    session: Session,
    project_id: int,
    path: Path,
    participant_id: int | None,
    actor: str,
    report: ImportReport,
) -> None:
    """A file whose transcript exists: unchanged, or its text replaced (if not coded)."""
    data = read_bytes(path)
    source_checksum = hashlib.sha256(data).hexdigest()
    existing = session.scalars(
        select(Transcript).where(Transcript.project_id == project_id, Transcript.name == path.stem)
    ).one()
    if existing.source_checksum == source_checksum:
        if participant_id is not None:
            existing.participant_id = participant_id
        report.unchanged.append(path.stem)
        return
    text = read_transcript(path, data)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    n_codings = session.scalar(
        select(func.count()).select_from(Coding).where(Coding.transcript_id == existing.id)
    )
    if n_codings and existing.checksum != checksum:
        raise InputError(
            path,
            f"changed since it was imported and transcript '{path.stem}' has {n_codings} "
            "codings; import the new version under another file name",
        )
    session.execute(delete(Turn).where(Turn.transcript_id == existing.id))
    session.execute(delete(Segment).where(Segment.transcript_id == existing.id))
    report.updated.append(path.stem)
    _set_text(existing, path, source_checksum, text)
    existing.participant_id = participant_id
    _store_structure_and_audit(session, existing, actor)


def _set_text(transcript: Transcript, path: Path, source_checksum: str, text: str) -> None:
    transcript.source_file = path.name
    transcript.source_checksum = source_checksum
    transcript.checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    transcript.text = text
    transcript.length = len(text)


def import_text(
    session: Session,
    name: str,
    text: str,
    *,
    source_file: str,
    participant_id: int | None = None,
    actor: str = "system",
    structure: Structure | None = None,
) -> Transcript:
    """Store a text already in memory (e.g. from a REFI-QDA archive) as a new transcript.

    The text is normalized like a file's; a transcript of that name must not exist yet.
    ``structure``: its turns and sentences, if found already (``find_structure``).
    """
    project = current_project(session)
    where = f"{source_file}: {name}"
    text = normalize_text(text, where)
    if session.scalars(
        select(Transcript.id).where(Transcript.project_id == project.id, Transcript.name == name)
    ).first():
        raise InputError(where, f"a transcript called '{name}' already exists")
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    transcript = Transcript(
        project_id=project.id,
        name=name,
        source_file=source_file,
        source_checksum=checksum,
        checksum=checksum,
        text=text,
        length=len(text),
        participant_id=participant_id,
    )
    session.add(transcript)
    _store_structure_and_audit(session, transcript, actor, structure)
    return transcript


def _store_structure_and_audit(
    session: Session, transcript: Transcript, actor: str, structure: Structure | None = None
) -> None:
    """Store the turns and segments of a transcript whose text was just set, and audit
    its import: the last steps of every import, from a file or from memory."""
    session.flush()
    store_structure(session, transcript.id, transcript.text, structure)
    record_transcript_import(session, transcript, actor)


def record_transcript_import(session: Session, transcript: Transcript, actor: str) -> None:
    """The audit entry of a new transcript, whether it came from a file, from memory or
    from a recording."""
    record(
        session,
        actor,
        "transcript.import",
        "transcript",
        transcript.id,
        name=transcript.name,
        file=transcript.source_file,
        checksum=transcript.checksum,
        length=transcript.length,
    )


@dataclass(frozen=True)
class Structure:
    """A text's speaker turns and sentences, found before a batch takes the write lock."""

    text: str
    turns: list[TurnSpan]
    sentences: list[tuple[int, int, int]]


def find_structure(text: str) -> Structure:
    """The turns and sentences of ``text`` (normalized), ready to store."""
    turns = find_turns(text)
    return Structure(text, turns, list(sentences(text, turns)))


def store_structure(
    session: Session, transcript_id: int, text: str, structure: Structure | None = None
) -> None:
    """Store the speaker turns and sentences of ``text`` (found already, or now)."""
    if structure is None or structure.text != text:
        structure = find_structure(text)
    turns = structure.turns
    session.execute(
        insert(Turn),
        [
            {
                "transcript_id": transcript_id,
                "index": i,
                "speaker": t.speaker,
                "start": t.start,
                "body_start": t.body_start,
                "end": t.end,
            }
            for i, t in enumerate(turns)
        ],
    )
    rows = [
        {"transcript_id": transcript_id, "index": i, "turn_index": turn, "start": s, "end": e}
        for i, (turn, s, e) in enumerate(structure.sentences)
    ]
    if rows:
        session.execute(insert(Segment), rows)

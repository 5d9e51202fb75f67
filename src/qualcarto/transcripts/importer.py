# SPDX-License-Identifier: MIT
"""Import transcripts and participants into the store, all or nothing.

One import is one transaction: if any file is bad, the store stays exactly as it was
and the error names that file. Files are read, segmented and written one at a time,
and the session is cleared after each, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from qualcarto.errors import InputError
from qualcarto.store import Coding, Participant, Segment, Transcript, Turn, current_project, record
from qualcarto.transcripts.attributes import set_participants
from qualcarto.transcripts.decode import normalize_text, read_bytes
from qualcarto.transcripts.participants import read_participants
from qualcarto.transcripts.readers import SUFFIXES, read_transcript
from qualcarto.transcripts.segment import sentences
from qualcarto.transcripts.turns import find_turns


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
    project = current_project(session)
    report = ImportReport()
    attributes = read_participants(participants_csv) if participants_csv else {}
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        dup = next(s for s in stems if stems.count(s) > 1)
        raise InputError(dup, "two files share this name; transcript names must be unique")
    if participants_csv:
        _check_participants_known(session, project.id, participants_csv, attributes, stems)
        set_participants(session, attributes, actor=actor)
        report.participants = len(attributes)
    participant_ids: dict[str, int] = {
        key: pid
        for key, pid in session.execute(
            select(Participant.key, Participant.id).where(Participant.project_id == project.id)
        )
    }
    for path in files:
        _import_one(session, project.id, path, participant_ids.get(path.stem), actor, report)
        if progress:
            progress(path)
        session.flush()
        session.expunge_all()
    return report


def _check_participants_known(
    session: Session,
    project_id: int,
    csv_path: Path,
    attributes: dict[str, dict[str, str]],
    stems: Sequence[str],
) -> None:
    known = set(stems) | set(
        session.scalars(select(Transcript.name).where(Transcript.project_id == project_id))
    )
    unknown = [key for key in attributes if key not in known]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise InputError(
            csv_path,
            f"participant id(s) {shown} match no transcript file name "
            "(a transcript is linked to the participant whose id equals its file name)",
        )


def _import_one(
    session: Session,
    project_id: int,
    path: Path,
    participant_id: int | None,
    actor: str,
    report: ImportReport,
) -> None:
    data = read_bytes(path)
    source_checksum = hashlib.sha256(data).hexdigest()
    existing = session.scalars(
        select(Transcript).where(Transcript.project_id == project_id, Transcript.name == path.stem)
    ).first()
    if existing is not None and existing.source_checksum == source_checksum:
        if participant_id is not None:
            existing.participant_id = participant_id
        report.unchanged.append(path.stem)
        return
    text = read_transcript(path, data)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if existing is not None:
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
        transcript = existing
        report.updated.append(path.stem)
    else:
        transcript = Transcript(project_id=project_id, name=path.stem)
        session.add(transcript)
        report.added.append(path.stem)
    transcript.source_file = path.name
    transcript.source_checksum = source_checksum
    transcript.checksum = checksum
    transcript.text = text
    transcript.length = len(text)
    transcript.participant_id = participant_id
    _store_structure_and_audit(session, transcript, actor)


def import_text(
    session: Session,
    name: str,
    text: str,
    *,
    source_file: str,
    participant_id: int | None = None,
    actor: str = "system",
) -> Transcript:
    """Store a text already in memory (e.g. from a REFI-QDA archive) as a new transcript.

    The text is normalized like a file's; a transcript of that name must not exist yet.
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
    _store_structure_and_audit(session, transcript, actor)
    return transcript


def _store_structure_and_audit(session: Session, transcript: Transcript, actor: str) -> None:
    """Store the turns and segments of a transcript whose text was just set, and audit
    its import: the last steps of every import, from a file or from memory."""
    session.flush()
    store_structure(session, transcript.id, transcript.text)
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


def store_structure(session: Session, transcript_id: int, text: str) -> None:
    """Store the speaker turns and sentences found in ``text`` for a transcript."""
    turns = find_turns(text)
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
        for i, (turn, s, e) in enumerate(sentences(text, turns))
    ]
    if rows:
        session.execute(insert(Segment), rows)

# SPDX-License-Identifier: MIT
"""Import recordings: check, transcribe or pair with captions, store text with times, keep the file.

One import is one transaction, like a transcript import: a bad file leaves the store as it
was and the error names it. Recordings are copied into the media folder only after every
file has passed, just before the transaction commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcarto.errors import InputError
from qualcarto.media.captions import CAPTION_SUFFIXES, read_timed_captions
from qualcarto.media.library import file_sha256, keep
from qualcarto.media.probe import MEDIA_SUFFIXES, MediaInfo, probe
from qualcarto.media.timing import TimedText, TimedTurn, compose, time_range
from qualcarto.media.transcribe import Transcriber
from qualcarto.store import (
    ImportRun,
    MediaFile,
    Participant,
    Segment,
    Transcript,
    Turn,
    current_project,
    record,
)
from qualcarto.transcripts.decode import normalize_text
from qualcarto.transcripts.importer import record_transcript_import
from qualcarto.transcripts.readers import SUFFIXES
from qualcarto.transcripts.segment import sentences


@dataclass
class MediaImportReport:
    """What a recordings import did, file by file."""

    transcribed: list[str] = field(default_factory=list)
    captioned: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.transcribed)} transcribed, {len(self.captioned)} paired with captions, "
            f"{len(self.attached)} attached to a transcript, {len(self.unchanged)} unchanged "
            f"({self.seconds / 60:.1f} minutes of recordings)"
        )


def is_media(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_SUFFIXES


def split_media(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Recordings (folders expanded) and the other paths; a .vtt/.srt beside a recording of the
    same stem belongs to the recording and is left out of the other paths."""
    media: list[Path] = []
    others: list[Path] = []
    for path in paths:
        if path.is_dir():
            media.extend(sorted(p for p in path.iterdir() if is_media(p)))
            others.append(path)
        elif is_media(path):
            media.append(path)
        else:
            others.append(path)
    paired = {(p.parent.resolve(), p.stem) for p in media}
    kept: list[Path] = []
    for path in others:
        if path.is_dir():
            loose = [
                p
                for p in sorted(path.iterdir())
                if p.suffix.lower() in SUFFIXES and (p.parent.resolve(), p.stem) not in paired
            ]
            kept.extend(loose)
        elif not (
            path.suffix.lower() in CAPTION_SUFFIXES and (path.parent.resolve(), path.stem) in paired
        ):
            kept.append(path)
    return media, kept


def caption_beside(path: Path) -> Path | None:
    """The .vtt or .srt of the same stem next to a recording, if there is one."""
    for suffix in CAPTION_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def import_recordings(
    session: Session,
    files: Sequence[Path],
    media_dir: Path,
    *,
    transcriber: Transcriber | None = None,
    actor: str = "system",
    progress: Callable[[Path], None] | None = None,
) -> MediaImportReport:
    """Import recordings in the caller's transaction; keep their files in ``media_dir``.

    Each recording's text comes from, in this order: a .vtt/.srt of the same stem beside
    it (times kept), local transcription when a ``transcriber`` is given, or an already
    imported transcript of the same name (the recording is attached, without times).
    """
    return import_recordings_with(
        ImportRun(session), files, media_dir, transcriber, actor, progress
    )


def import_recordings_with(
    run: ImportRun,
    files: Sequence[Path],
    media_dir: Path,
    transcriber: Transcriber | None,
    actor: str,
    progress: Callable[[Path], None] | None,
) -> MediaImportReport:
    """``import_recordings`` through ``run``: in an import in batches, each recording is
    probed and transcribed before its batch takes the lock, then written and committed."""
    session = run.session
    project = current_project(session)
    report = MediaImportReport()
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        dup = next(s for s in stems if stems.count(s) > 1)
        raise InputError(dup, "two recordings share this name; transcript names must be unique")
    participants: dict[str, int] = {
        key: pid
        for key, pid in session.execute(
            select(Participant.key, Participant.id).where(Participant.project_id == project.id)
        )
    }
    names = set(session.scalars(select(Transcript.name).where(Transcript.project_id == project.id)))
    run.checkpoint(force=True)  # probing and transcribing take no lock
    to_keep: list[tuple[Path, str]] = []
    for path in files:
        info = probe(path)
        sha = file_sha256(path)
        timed = None if path.stem in names else _timed_turns(path, transcriber)
        existing = session.scalars(
            select(Transcript).where(
                Transcript.project_id == project.id, Transcript.name == path.stem
            )
        ).first()
        old_media = (
            session.scalars(select(MediaFile).where(MediaFile.transcript_id == existing.id)).first()
            if existing is not None
            else None
        )
        if old_media is not None and old_media.sha256 == sha:
            report.unchanged.append(path.stem)
        elif old_media is not None:
            raise InputError(
                path, f"transcript '{path.stem}' already has another recording ({old_media.name})"
            )
        elif existing is not None:
            _add_media(session, existing.id, path, info, sha, "attached", [], actor)
            report.attached.append(path.stem)
        else:
            turns, source = timed or _timed_turns(path, transcriber)
            composed = compose(turns)
            transcript = _store_timed(
                session, project.id, path, sha, composed, participants.get(path.stem), actor
            )
            _add_media(
                session,
                transcript.id,
                path,
                info,
                sha,
                source,
                [list(t) for t in composed.timings],
                actor,
            )
            (report.captioned if source.startswith("captions") else report.transcribed).append(
                path.stem
            )
        report.seconds += info.duration
        to_keep.append((path, sha))
        if progress:
            progress(path)
        session.flush()
        session.expunge_all()
        run.checkpoint(force=True)
    for path, sha in to_keep:
        keep(path, media_dir, sha, path.suffix)
    return report


def _timed_turns(path: Path, transcriber: Transcriber | None) -> tuple[list[TimedTurn], str]:
    captions = caption_beside(path)
    if captions is not None:
        return read_timed_captions(captions), f"captions: {captions.name}"
    if transcriber is not None:
        turns = transcriber.transcribe(path)
        if not turns:
            raise InputError(path, "no speech was recognized")
        return turns, f"transcribed: {transcriber.model_name}"
    raise InputError(
        path,
        f"no transcript for it: pass --transcribe, put {path.stem}.vtt or .srt beside it, "
        "or import its transcript first",
    )


def _store_timed(
    session: Session,
    project_id: int,
    path: Path,
    sha: str,
    timed: TimedText,
    participant_id: int | None,
    actor: str,
) -> Transcript:
    text = normalize_text(timed.text, path)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    transcript = Transcript(
        project_id=project_id,
        name=path.stem,
        source_file=path.name,
        source_checksum=sha,
        checksum=checksum,
        text=text,
        length=len(text),
        participant_id=participant_id,
    )
    session.add(transcript)
    session.flush()
    session.execute(
        insert(Turn),
        [
            {
                "transcript_id": transcript.id,
                "index": i,
                "speaker": t.speaker,
                "start": t.start,
                "body_start": t.body_start,
                "end": t.end,
                "media_start": seconds[0],
                "media_end": seconds[1],
            }
            for i, (t, seconds) in enumerate(zip(timed.turns, timed.turn_times, strict=True))
        ],
    )
    rows = []
    for i, (turn, start, end) in enumerate(sentences(text, timed.turns)):
        seconds = time_range(timed.timings, start, end)
        rows.append(
            {
                "transcript_id": transcript.id,
                "index": i,
                "turn_index": turn,
                "start": start,
                "end": end,
                "media_start": seconds[0] if seconds else None,
                "media_end": seconds[1] if seconds else None,
            }
        )
    if rows:
        session.execute(insert(Segment), rows)
    record_transcript_import(session, transcript, actor)
    return transcript


def _add_media(
    session: Session,
    transcript_id: int,
    path: Path,
    info: MediaInfo,
    sha: str,
    source: str,
    timings: list[list[float]],
    actor: str,
) -> None:
    add_media_file(
        session, transcript_id, path.name, path.suffix.lower(), info, sha, source, timings, actor
    )


def add_media_file(
    session: Session,
    transcript_id: int,
    name: str,
    suffix: str,
    info: MediaInfo,
    sha: str,
    source: str,
    timings: list[list[float]],
    actor: str,
) -> MediaFile:
    """Record a transcript's recording (kept already in the media folder); audited."""
    media = MediaFile(
        transcript_id=transcript_id,
        name=name,
        sha256=sha,
        suffix=suffix,
        kind=info.kind,
        duration=info.duration,
        size=info.size,
        source=source,
        timings=timings,
    )
    session.add(media)
    record(
        session,
        actor,
        "media.import",
        "transcript",
        transcript_id,
        file=name,
        sha256=sha,
        seconds=round(info.duration, 3),
        source=source,
    )
    return media

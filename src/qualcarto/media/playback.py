# SPDX-License-Identifier: MIT
"""What a player needs for one transcript: its recording's file and the turns' seconds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.media.library import media_path
from qualcarto.media.timing import time_range
from qualcarto.store import MediaFile, Transcript, Turn, current_project


@dataclass(frozen=True)
class TimedTurnView:
    """A turn to list beside the player: where it is in the text and in the recording."""

    index: int
    speaker: str | None
    start: int
    end: int
    seconds: float
    until: float


@dataclass(frozen=True)
class Recording:
    """A transcript's recording: the kept file, its kind, and the text-to-seconds map."""

    path: Path
    kind: str
    duration: float
    turns: list[TimedTurnView]
    timings: list[list[float]]

    def seconds_of(self, start: int, end: int) -> tuple[float, float] | None:
        """Seconds of the recording where ``text[start:end]`` is said, if timed."""
        return time_range(self.timings, start, end)


def transcript_recording(session: Session, name: str, media_dir: Path) -> Recording | None:
    """The recording of transcript ``name``, or ``None`` when it has none (or it is missing)."""
    project = current_project(session)
    row = session.execute(
        select(MediaFile, Transcript.id)
        .join(Transcript, Transcript.id == MediaFile.transcript_id)
        .where(Transcript.project_id == project.id, Transcript.name == name)
    ).first()
    if row is None:
        return None
    media, transcript_id = row
    path = media_path(media_dir, media.sha256, media.suffix)
    if not path.is_file():
        return None
    turns = [
        TimedTurnView(t.index, t.speaker, t.start, t.end, t.media_start, t.media_end)
        for t in session.scalars(
            select(Turn).where(Turn.transcript_id == transcript_id).order_by(Turn.index)
        )
        if t.media_start is not None and t.media_end is not None
    ]
    return Recording(path, media.kind, media.duration, turns, list(media.timings))


def with_media_times(session: Session, codings: pd.DataFrame) -> pd.DataFrame:
    """``codings`` (with ``transcript_id``, ``start``, ``end``) plus ``media_start``/``media_end``:
    the seconds of each span in its transcript's recording, ``None`` where untimed."""
    timings: dict[int, list[list[float]]] = dict(
        session.execute(
            select(MediaFile.transcript_id, MediaFile.timings).where(
                MediaFile.transcript_id.in_(
                    {int(t) for t in codings["transcript_id"]} if len(codings) else set()
                )
            )
        ).all()
    )
    seconds = [
        time_range(timings.get(int(t), []), int(s), int(e))
        for t, s, e in zip(codings["transcript_id"], codings["start"], codings["end"], strict=True)
    ]
    out = codings.copy()
    out["media_start"] = [r[0] if r else None for r in seconds]
    out["media_end"] = [r[1] if r else None for r in seconds]
    return out

# SPDX-License-Identifier: MIT
"""Transcripts and participants as DataFrames, for reports, the app and notebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qualcarto.store import Participant, Transcript, current_project

if TYPE_CHECKING:
    import pandas as pd


def participants_frame(session: Session) -> pd.DataFrame:
    """One row per participant: ``participant_id`` and one column per attribute."""
    import pandas as pd  # deferred: `qualcarto status` and --help need no pandas

    project = current_project(session)
    rows = [
        {"participant_id": p.key, **p.attributes}
        for p in session.scalars(
            select(Participant).where(Participant.project_id == project.id).order_by(Participant.id)
        )
    ]
    frame = pd.DataFrame(rows)
    return frame if not frame.empty else pd.DataFrame(columns=["participant_id"])


def transcripts_frame(session: Session) -> pd.DataFrame:
    """One row per transcript: id, name, length, participant and the participant's attributes."""
    import pandas as pd  # deferred: `qualcarto status` and --help need no pandas

    project = current_project(session)
    rows = [
        {
            "transcript_id": t.id,
            "transcript": t.name,
            "length": t.length,
            "participant_id": t.participant.key if t.participant else None,
            **(t.participant.attributes if t.participant else {}),
        }
        for t in session.scalars(
            select(Transcript)
            .options(joinedload(Transcript.participant))
            .where(Transcript.project_id == project.id)
            .order_by(Transcript.id)
        )
    ]
    columns = ["transcript_id", "transcript", "length", "participant_id"]
    frame = pd.DataFrame(rows)
    return frame if not frame.empty else pd.DataFrame(columns=columns)

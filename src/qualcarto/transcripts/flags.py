# SPDX-License-Identifier: MIT
"""Codings a correction flagged for review, as a frame for the lead's page and the CLI."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.store import Coding, CodingFlag, Transcript, User


def flagged_codings(session: Session, transcript: str | None = None) -> pd.DataFrame:
    """One row per flagged coding: transcript, coder, code, where it sits now, and why."""
    query = (
        select(
            Coding.id, Transcript.name, User.name, Coding.code_id, Coding.start, CodingFlag.reason
        )
        .join(Transcript, Transcript.id == Coding.transcript_id)
        .join(User, User.id == Coding.coder_id)
        .join(CodingFlag, CodingFlag.coding_id == Coding.id)
        .order_by(Transcript.name, Coding.start, Coding.id)
    )
    if transcript is not None:
        query = query.where(Transcript.name == transcript)
    rows = session.execute(query).all()
    return pd.DataFrame(
        [tuple(r) for r in rows],
        columns=["coding_id", "transcript", "coder", "code_id", "at", "flag"],
    )

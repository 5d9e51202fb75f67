# SPDX-License-Identifier: MIT
"""Codings read out as a DataFrame (what the reports, pages and notebooks start from)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.store import CodebookVersion, Coding, Participant, Transcript, User
from qualcarto.study_settings import visible_coders

CODINGS_COLUMNS = [
    "coding_id",
    "transcript_id",
    "transcript",
    "participant_id",
    "coder",
    "code_id",
    "start",
    "end",
    "text",
    "memo",
    "codebook_version",
    "origin",
    "created_at",
]


def codings_frame(
    session: Session,
    coders: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
    *,
    viewer: str | None = None,
) -> pd.DataFrame:
    """Every coding (optionally of some coders or transcripts) with its excerpt text.

    Columns: ``coding_id, transcript_id, transcript, participant_id, coder, code_id, start,
    end, text, memo, codebook_version, origin, created_at``, sorted by transcript and start.
    With ``viewer``, only the codings that person may see (``visible_coders``).
    """
    if viewer is not None:
        allowed = visible_coders(session, viewer)
        if allowed is not None:
            coders = [c for c in coders if c in allowed] if coders else allowed
            if not coders:
                return pd.DataFrame(columns=CODINGS_COLUMNS)
    # Plain columns, not ORM objects: joining whole transcripts would copy each one's
    # full text once per coding (1,000 codings of a long interview took over a second).
    query = (
        select(
            Coding.id,
            Coding.transcript_id,
            Transcript.name,
            Participant.key,
            User.name,
            Coding.code_id,
            Coding.start,
            Coding.end,
            Coding.text,
            Coding.memo,
            CodebookVersion.number,
            Coding.origin,
            Coding.created_at,
        )
        .join(User, Coding.coder_id == User.id)
        .join(Transcript, Coding.transcript_id == Transcript.id)
        .outerjoin(Participant, Transcript.participant_id == Participant.id)
        .join(CodebookVersion, Coding.codebook_version_id == CodebookVersion.id)
        .order_by(Transcript.name, Coding.start, Coding.end, Coding.id)
    )
    if coders:
        query = query.where(User.name.in_(list(coders)))
    if transcripts:
        query = query.where(Transcript.name.in_(list(transcripts)))
    rows = [tuple(row) for row in session.execute(query)]
    return pd.DataFrame(rows, columns=CODINGS_COLUMNS)


def code_counts(session: Session, coders: Sequence[str]) -> dict[str, int]:
    """How many codings each code has in the whole study, counting only ``coders``' codings."""
    query = (
        select(Coding.code_id, func.count(Coding.id))
        .join(User, Coding.coder_id == User.id)
        .where(User.name.in_(list(coders)))
        .group_by(Coding.code_id)
    )
    return {code_id: int(count) for code_id, count in session.execute(query)}

# SPDX-License-Identifier: MIT
"""Backlinks: the memos whose ``[[...]]`` links name a code, memo, coding or transcript.

Pages show them wherever the linked thing is shown (the Codebook page under each code,
the Code page under a coding and a transcript); ``qualcarto memo show`` lists them.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.memos import memos_frame
from qualcarto.store import Coding, MemoLink
from qualcarto.transcripts.lookup import get_transcript


def backlinks(
    session: Session,
    *,
    code: str | None = None,
    transcript: str | None = None,
    span: tuple[int, int] | None = None,
    memo: int | None = None,
    coding: int | None = None,
    viewer: str | None = None,
) -> pd.DataFrame:
    """The memos linking to a code, memo, coding, transcript, or span of a transcript.

    For a transcript, links to the transcript and to any span of it count; with ``span``
    only span links overlapping it. A coding counts links to it and to overlapping spans.
    """
    conditions: list[ColumnElement[bool]] = []
    if code is not None:
        conditions.append((MemoLink.kind == "code") & (MemoLink.target == code))
    if memo is not None:
        conditions.append((MemoLink.kind == "memo") & (MemoLink.target == str(memo)))
    if coding is not None:
        found = session.get(Coding, coding)
        if found is None:
            raise NotFoundError(f"coding {coding} does not exist")
        conditions.append((MemoLink.kind == "coding") & (MemoLink.target == str(coding)))
        transcript, span = found.transcript.name, (found.start, found.end)
    if transcript is not None:
        doc = get_transcript(session, transcript)
        in_doc = MemoLink.transcript_id == doc.id
        if span is None:
            conditions.append(in_doc)
        else:
            conditions.append(in_doc & (MemoLink.start < span[1]) & (MemoLink.end > span[0]))
    if not conditions:
        raise ValidationError("name a code, memo, coding or transcript to find backlinks to")
    ids = set(session.scalars(select(MemoLink.memo_id).where(or_(*conditions))))
    frame = memos_frame(session, viewer)
    return frame[frame["memo_id"].isin(ids)].reset_index(drop=True)


def code_backlinks(session: Session, viewer: str | None = None) -> dict[str, pd.DataFrame]:
    """For every code some memo links to, those memos (one query, for the codebook page)."""
    pairs = session.execute(
        select(MemoLink.target, MemoLink.memo_id).where(MemoLink.kind == "code")
    ).all()
    if not pairs:
        return {}
    frame = memos_frame(session, viewer)
    found: dict[str, pd.DataFrame] = {}
    for code_id in sorted({code for code, _ in pairs}):
        ids = {memo for code, memo in pairs if code == code_id}
        linked = frame[frame["memo_id"].isin(ids)].reset_index(drop=True)
        if len(linked):
            found[code_id] = linked
    return found

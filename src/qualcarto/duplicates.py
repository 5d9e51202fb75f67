# SPDX-License-Identifier: MIT
"""Exact duplicate codings: finding one, and folding one into the other.

A duplicate is a second coding with the same coder, transcript, start, end and code; it
would count twice in every export, agreement figure and cartography. ``add_coding`` and
``edit_coding`` refuse them, the unique index ``uq_codings_span`` backs that up, and
``merge_duplicate`` folds one into the other where two codings become identical (a code
merged into another in a new codebook version).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qualcarto.store import Coding, ReconciliationDecision, Review, record


def find_duplicate(
    session: Session,
    transcript_id: int,
    coder_id: int,
    start: int,
    end: int,
    code_id: str,
    *,
    besides: int | None = None,
) -> Coding | None:
    """The coding that already has this coder, transcript, span and code (other than ``besides``)."""
    query = select(Coding).where(
        Coding.transcript_id == transcript_id,
        Coding.coder_id == coder_id,
        Coding.start == start,
        Coding.end == end,
        Coding.code_id == code_id,
    )
    if besides is not None:
        query = query.where(Coding.id != besides)
    return session.scalars(query.limit(1)).first()


def merge_duplicate(session: Session, keep: Coding, drop: Coding, actor: str) -> None:
    """Fold ``drop`` into its exact duplicate ``keep``: reviews, decisions and memo move over.

    The codebook calls this when merging two codes makes one coder's codings identical;
    migration 0004 does the same to duplicates stored before the unique index existed.
    """
    session.execute(update(Review).where(Review.coding_id == drop.id).values(coding_id=keep.id))
    for column in (ReconciliationDecision.coding_a_id, ReconciliationDecision.coding_b_id):
        session.execute(
            update(ReconciliationDecision).where(column == drop.id).values({column: keep.id})
        )
    for decision in session.scalars(select(ReconciliationDecision)):
        if drop.id in decision.consensus_ids:
            decision.consensus_ids = [
                keep.id if i == drop.id else i for i in decision.consensus_ids
            ]
    if drop.memo.strip() and drop.memo.strip() not in keep.memo:
        keep.memo = f"{keep.memo}\n\n{drop.memo}".strip()
    before = {
        "transcript_id": drop.transcript_id,
        "code_id": drop.code_id,
        "start": drop.start,
        "end": drop.end,
        "memo": drop.memo,
        "origin": drop.origin,
    }
    session.delete(drop)
    session.flush()
    record(session, actor, "coding.merge", "coding", keep.id, merged=drop.id, before=before)

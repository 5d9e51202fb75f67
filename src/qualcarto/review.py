# SPDX-License-Identifier: MIT
"""Review mode: a second person accepts, rejects or comments on the first coder's codings.

This is the study's own method (one author codes, another reviews). A reviewer is the
lead or someone the lead assigned to review that transcript; nobody reviews their own
codings. Each decision is a new row, so the history of a coding's reviews is kept, and
the newest decision is the one that counts.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.assignments import assigned_users
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import Coding, Review, User, record
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user

DECISIONS = ("accept", "reject", "comment")
REVIEW_COLUMNS = ["coding_id", "decision", "comment", "reviewer", "reviewed_at"]


def may_review(session: Session, transcript_id: int, reviewer: str) -> bool:
    """True for the lead and for people assigned to review this transcript."""
    user = get_user(session, reviewer)
    return user.role == "lead" or reviewer in assigned_users(session, transcript_id, "review")


def review_coding(
    session: Session, coding_id: int, reviewer: str, decision: str, comment: str = ""
) -> Review:
    """Record ``reviewer``'s decision on a coding; a rejection or comment needs words."""
    if decision not in DECISIONS:
        raise ValidationError(f"decision '{decision}' is not one of {DECISIONS}")
    coding = session.get(Coding, coding_id)
    if coding is None:
        raise NotFoundError(f"coding {coding_id} does not exist")
    user = get_user(session, reviewer)
    if coding.coder_id == user.id:
        raise ValidationError("a coder cannot review their own codings")
    if not may_review(session, coding.transcript_id, reviewer):
        raise ValidationError(f"'{reviewer}' is not assigned to review '{coding.transcript.name}'")
    comment = comment.strip()
    if decision != "accept" and not comment:
        raise ValidationError(f"say why: a '{decision}' needs a comment")
    review = Review(coding_id=coding_id, reviewer_id=user.id, decision=decision, comment=comment)
    session.add(review)
    session.flush()
    record(
        session,
        reviewer,
        f"review.{decision}",
        "coding",
        coding_id,
        review_id=review.id,
        comment=comment,
    )
    return review


def reviews_frame(session: Session, coding_ids: list[int] | None = None) -> pd.DataFrame:
    """The newest review of each coding: ``coding_id, decision, comment, reviewer, reviewed_at``."""
    query = select(Review, User.name).join(User, Review.reviewer_id == User.id).order_by(Review.id)
    if coding_ids is not None:
        query = query.where(Review.coding_id.in_(coding_ids))
    latest: dict[int, dict[str, object]] = {}
    for review, name in session.execute(query):
        latest[review.coding_id] = {
            "coding_id": review.coding_id,
            "decision": review.decision,
            "comment": review.comment,
            "reviewer": name,
            "reviewed_at": review.created_at,
        }
    return pd.DataFrame(list(latest.values()), columns=REVIEW_COLUMNS)


def review_queue(session: Session, transcript: str, coder: str, reviewer: str) -> pd.DataFrame:
    """``coder``'s codings of a transcript with the newest review of each, for ``reviewer``.

    Columns: those of ``codings_frame`` plus ``decision, comment, reviewer, reviewed_at``
    (empty where nobody has reviewed yet).
    """
    doc = get_transcript(session, transcript)
    if not may_review(session, doc.id, reviewer):
        raise ValidationError(f"'{reviewer}' is not assigned to review '{doc.name}'")
    if coder == reviewer:
        raise ValidationError("a coder cannot review their own codings")
    codings = codings_frame(session, [coder], [doc.name])
    reviews = reviews_frame(session, [int(c) for c in codings["coding_id"]])
    return codings.merge(reviews, on="coding_id", how="left")

# SPDX-License-Identifier: MIT
"""Review mode and reconciliation in the core: who may decide, what is stored, what is audited."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.assignments import assign
from qualcarto.coding import add_coding, codings_frame
from qualcarto.errors import ValidationError
from qualcarto.reconcile import CONSENSUS, accept_agreements, decide, units_frame
from qualcarto.review import review_coding, review_queue
from qualcarto.store import AuditEvent, ReconciliationDecision
from qualcarto.users import add_user


@pytest.fixture
def lead(session: Session) -> str:
    add_user(session, "lena", "lead", "lena-password")
    return "lena"


def test_an_assigned_reviewer_accepts_and_rejects_with_reasons(session: Session, lead: str) -> None:
    first = add_coding(session, "P1", 0, 11, "access", "ana")
    second = add_coding(session, "P1", 13, 20, "docs", "ana")
    assign(session, "P1", "ben", lead, task="review")
    review_coding(session, first.id, "ben", "accept")
    with pytest.raises(ValidationError, match="needs a comment"):
        review_coding(session, second.id, "ben", "reject")
    review_coding(session, second.id, "ben", "reject", "This is about docs, not access.")
    queue = review_queue(session, "P1", "ana", "ben")
    assert queue[["coding_id", "decision", "reviewer"]].values.tolist() == [
        [first.id, "accept", "ben"],
        [second.id, "reject", "ben"],
    ]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "ben")).all()
    assert actions == ["review.accept", "review.reject"]


def test_the_newest_review_of_a_coding_is_the_one_that_counts(session: Session, lead: str) -> None:
    coding = add_coding(session, "P1", 0, 11, "access", "ana")
    review_coding(session, coding.id, lead, "comment", "Check the boundary.")
    review_coding(session, coding.id, lead, "accept")
    assert review_queue(session, "P1", "ana", lead)["decision"].tolist() == ["accept"]


@pytest.mark.parametrize(
    ("reviewer", "message"),
    [("ana", "cannot review their own"), ("ben", "not assigned to review")],
)
def test_nobody_reviews_their_own_or_unassigned_codings(
    session: Session, lead: str, reviewer: str, message: str
) -> None:
    coding = add_coding(session, "P1", 0, 11, "access", "ana")
    with pytest.raises(ValidationError, match=message):
        review_coding(session, coding.id, reviewer, "accept")


def test_units_pair_codings_by_code_and_overlap(session: Session) -> None:
    same_a = add_coding(session, "P1", 0, 11, "access", "ana")
    same_b = add_coding(session, "P1", 0, 11, "access", "ben")
    wide_a = add_coding(session, "P1", 30, 60, "docs", "ana")
    wide_b = add_coding(session, "P1", 35, 70, "docs", "ben")
    only_b = add_coding(session, "P1", 80, 90, "money", "ben")
    units = units_frame(session, "P1", "ana", "ben")
    got = [
        [None if pd.isna(v) else v for v in row]
        for row in units[["kind", "code_id", "a_id", "b_id"]].values.tolist()
    ]
    assert got == [
        ["agree", "access", same_a.id, same_b.id],
        ["boundaries", "docs", wide_a.id, wide_b.id],
        ["only_b", "money", None, only_b.id],
    ]


def test_decisions_write_the_consensus_layer_and_the_audit_log(session: Session, lead: str) -> None:
    add_coding(session, "P1", 0, 11, "access", "ana")
    add_coding(session, "P1", 0, 11, "access", "ben")
    wide_a = add_coding(session, "P1", 30, 60, "docs", "ana")
    wide_b = add_coding(session, "P1", 35, 70, "docs", "ben")
    only_b = add_coding(session, "P1", 80, 90, "money", "ben")
    assert accept_agreements(session, "P1", "ana", "ben", lead) == 1
    decide(session, "P1", wide_a.id, wide_b.id, "edit", lead, span=(32, 65))
    decide(session, "P1", None, only_b.id, "neither", lead, comment="Not about funding.")
    consensus = codings_frame(session, [CONSENSUS])
    assert list(zip(consensus["start"], consensus["end"], consensus["code_id"], strict=True)) == [
        (0, 11, "access"),
        (32, 65, "docs"),
    ]
    assert set(consensus["origin"]) == {"consensus"}
    assert units_frame(session, "P1", "ana", "ben")["decision"].tolist() == [
        "take_a",
        "edit",
        "neither",
    ]
    audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "reconcile.decide"))
    assert [(e.actor, e.payload["decision"]) for e in audited] == [
        (lead, "take_a"), (lead, "edit"), (lead, "neither"),
    ]  # fmt: skip


def test_deciding_a_unit_again_replaces_its_consensus(session: Session, lead: str) -> None:
    a = add_coding(session, "P1", 30, 60, "docs", "ana")
    b = add_coding(session, "P1", 35, 70, "docs", "ben")
    decide(session, "P1", a.id, b.id, "both", lead)
    assert len(codings_frame(session, [CONSENSUS])) == 2
    decide(session, "P1", a.id, b.id, "take_b", lead)
    consensus = codings_frame(session, [CONSENSUS])
    assert list(zip(consensus["start"], consensus["end"], strict=True)) == [(35, 70)]
    assert len(session.scalars(select(ReconciliationDecision)).all()) == 2


def test_only_a_lead_reconciles(session: Session) -> None:
    a = add_coding(session, "P1", 30, 60, "docs", "ana")
    with pytest.raises(ValidationError, match="only a lead reconciles"):
        decide(session, "P1", a.id, None, "take_a", "ben")


def test_two_units_settled_on_one_span_share_one_consensus_coding(
    session: Session, lead: str
) -> None:
    a_exact = add_coding(session, "P1", 0, 11, "access", "ana")
    a_wide = add_coding(session, "P1", 0, 20, "access", "ana")
    b_exact = add_coding(session, "P1", 0, 11, "access", "ben")
    decide(session, "P1", a_exact.id, b_exact.id, "take_a", lead)
    decide(session, "P1", a_wide.id, None, "edit", lead, span=(0, 11))
    consensus = codings_frame(session, [CONSENSUS])
    assert consensus[["start", "end"]].values.tolist() == [[0, 11]]
    decide(session, "P1", a_wide.id, None, "neither", lead)
    assert codings_frame(session, [CONSENSUS])[["start", "end"]].values.tolist() == [[0, 11]]

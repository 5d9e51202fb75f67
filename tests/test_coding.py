# SPDX-License-Identifier: MIT
"""Codings: exact spans with their excerpt, validation, ownership, optimistic concurrency."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import ODD_TRANSCRIPT
from qualcarto.coding import add_coding, codings_frame, delete_coding, edit_coding
from qualcarto.errors import ConflictError, NotFoundError, ValidationError
from qualcarto.store import AuditEvent

# What the store holds: NFC (so "e" + combining diaeresis is one character) and \n newlines.
TEXT = unicodedata.normalize("NFC", ODD_TRANSCRIPT.replace("\r\n", "\n"))


def test_a_coding_stores_the_excerpt_at_python_str_offsets(session: Session) -> None:
    start = TEXT.index("It took months")
    end = TEXT.index("!") + 1
    coding = add_coding(session, "P1", start, end, "access", "ana", memo="long wait")
    assert coding.text == "It took months \U0001f605!"
    assert TEXT[coding.start : coding.end] == coding.text


@pytest.mark.parametrize(
    ("start", "end", "code", "coder", "error", "message"),
    [
        (5, 5, "access", "ana", ValidationError, r"need 0 <= start < end <= \d+"),
        (-1, 5, "access", "ana", ValidationError, "is not inside transcript 'P1'"),
        (0, 10_000, "access", "ana", ValidationError, "is not inside"),
        (0, 5, "nope", "ana", ValidationError, "code 'nope' is not in codebook version 1"),
        (0, 5, "access", "zoe", NotFoundError, "no user called 'zoe'"),
    ],
)
def test_invalid_codings_are_refused_with_a_reason(
    session: Session, start: int, end: int, code: str, coder: str, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        add_coding(session, "P1", start, end, code, coder)


def test_an_edit_moves_the_span_and_refreshes_the_excerpt(session: Session) -> None:
    coding = add_coding(session, "P1", 0, 11, "access", "ana")
    edited = edit_coding(session, coding.id, "ana", start=13, end=20, code_id="docs", memo="m")
    assert (edited.text, edited.code_id, edited.memo, edited.row_version) == (
        TEXT[13:20],
        "docs",
        "m",
        2,
    )


def test_a_coder_cannot_edit_or_delete_another_coders_coding(session: Session) -> None:
    coding = add_coding(session, "P1", 0, 11, "access", "ana")
    with pytest.raises(ValidationError, match="belongs to 'ana', not 'ben'"):
        edit_coding(session, coding.id, "ben", memo="mine now")
    with pytest.raises(ValidationError, match="belongs to 'ana'"):
        delete_coding(session, coding.id, "ben")


def test_an_edit_over_a_newer_change_is_refused(session: Session) -> None:
    coding = add_coding(session, "P1", 0, 11, "access", "ana")
    edit_coding(session, coding.id, "ana", memo="first", expected_version=1)
    with pytest.raises(ConflictError, match="changed meanwhile"):
        edit_coding(session, coding.id, "ana", memo="stale", expected_version=1)


def test_a_deletion_keeps_the_whole_coding_in_the_audit_log(session: Session) -> None:
    coding = add_coding(session, "P1", 3, 9, "docs", "ben", memo="why")
    coding_id = coding.id
    delete_coding(session, coding_id, "ben")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "coding.delete")).one()
    assert event.actor == "ben"
    assert event.payload["before"] | {} == {
        "transcript_id": coding.transcript_id,
        "code_id": "docs",
        "start": 3,
        "end": 9,
        "memo": "why",
        "origin": "manual",
        "row_version": 1,
    }
    assert codings_frame(session).empty


def test_the_codings_frame_lists_excerpts_sorted_and_filtered(session: Session) -> None:
    add_coding(session, "P1", 20, 30, "docs", "ben")
    add_coding(session, "P1", 0, 11, "access", "ana")
    frame = codings_frame(session)
    assert list(frame["start"]) == [0, 20]
    assert list(frame["text"]) == [TEXT[0:11], TEXT[20:30]]
    assert list(codings_frame(session, coders=["ben"])["coder"]) == ["ben"]
    assert frame.loc[0, "codebook_version"] == 1

# SPDX-License-Identifier: MIT
"""Codings: exact spans with their excerpt, validation, ownership, optimistic concurrency."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import ODD_TRANSCRIPT
from qualcarto.coding import add_coding, code_spans, codings_frame, delete_coding, edit_coding
from qualcarto.errors import (
    ConflictError,
    DuplicateCodingError,
    InputError,
    NotFoundError,
    ValidationError,
)
from qualcarto.layers import load_layer
from qualcarto.store import AuditEvent, session_scope

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


def test_an_exact_duplicate_is_refused_with_one_line(session: Session) -> None:
    first = add_coding(session, "P1", 0, 11, "access", "ana")
    with pytest.raises(DuplicateCodingError) as refused:
        add_coding(session, "P1", 0, 11, "access", "ana", memo="again")
    assert str(refused.value) == (
        f"P1 0-11: 'ana' already coded this span with 'access' (coding {first.id})"
    )
    assert isinstance(refused.value, ValidationError)
    # Another coder, code or span is not a duplicate.
    add_coding(session, "P1", 0, 11, "access", "ben")
    add_coding(session, "P1", 0, 11, "docs", "ana")
    add_coding(session, "P1", 0, 12, "access", "ana")
    assert len(codings_frame(session)) == 4


def test_an_edit_into_a_duplicate_is_refused_and_changes_nothing(session: Session) -> None:
    add_coding(session, "P1", 0, 11, "access", "ana")
    moving = add_coding(session, "P1", 0, 11, "docs", "ana")
    other = add_coding(session, "P1", 0, 12, "access", "ana")
    with pytest.raises(DuplicateCodingError, match="already coded this span with 'access'"):
        edit_coding(session, moving.id, "ana", code_id="access")
    with pytest.raises(DuplicateCodingError):
        edit_coding(session, other.id, "ana", end=11)
    assert (moving.code_id, other.end) == ("docs", 12)
    edited = edit_coding(session, moving.id, "ana", memo="a memo is no duplicate")
    assert edited.memo == "a memo is no duplicate"


def test_coding_many_spans_skips_and_reports_the_duplicates(session: Session) -> None:
    add_coding(session, "P1", 0, 11, "access", "ana")
    spans = [("P1", 0, 11), ("P1", 20, 30), ("P1", 20, 30), ("P1", 40, 45)]
    result = code_spans(session, spans, "access", "ana")
    assert result.duplicates == [("P1", 0, 11), ("P1", 20, 30)]
    frame = codings_frame(session, ["ana"])
    assert frame[["start", "end"]].values.tolist() == [[0, 11], [20, 30], [40, 45]]
    assert sorted(result.made) == sorted(frame["coding_id"].tolist()[1:])
    summary = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "coding.add_many")
    ).one()
    assert summary.payload["duplicates"] == [["P1", 0, 11], ["P1", 20, 30]]


def test_coding_many_spans_is_all_or_nothing(study: Engine) -> None:
    with pytest.raises(ValidationError, match="is not inside"), session_scope(study) as session:
        code_spans(session, [("P1", 0, 5), ("P1", 3, 10_000)], "access", "ana")
    with session_scope(study) as session:
        assert codings_frame(session).empty


def test_a_layer_listing_one_coding_twice_is_refused_naming_the_file(
    session: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "layer"
    folder.mkdir()
    (folder / "layer.yaml").write_text("coder: ref\nkind: reference\n", encoding="utf-8")
    item = "- {code: access, quote: 'It took months'}\n"
    (folder / "P1.yaml").write_text(item * 2, encoding="utf-8")
    with pytest.raises(InputError, match=r"P1\.yaml: P1 \d+-\d+: 'ref' already coded this span"):
        load_layer(session, folder)

# SPDX-License-Identifier: MIT
"""Import and coding on SQLite and PostgreSQL: the same offsets, excerpts, audit trail and refusals."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from backends import *  # noqa: F403 (the backend fixtures)
from conftest import ODD_TRANSCRIPT
from qualcarto.coding import add_coding, codings_frame, delete_coding, edit_coding
from qualcarto.errors import ConflictError, DuplicateCodingError, InputError, ValidationError
from qualcarto.store import AuditEvent, Segment, Transcript, Turn, session_scope
from qualcarto.transcripts import import_transcripts, participants_frame, transcripts_frame

TEXT = unicodedata.normalize("NFC", ODD_TRANSCRIPT.replace("\r\n", "\n"))


def test_import_keeps_text_turns_sentences_and_attributes(
    backend_store: Engine, tmp_path: Path
) -> None:
    (tmp_path / "P1.txt").write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
    people = tmp_path / "people.csv"
    people.write_text('id,organization,region\nP1,"Lab «Ω», Inc",תל אביב\n', encoding="utf-8")
    with session_scope(backend_store) as session:
        report = import_transcripts(session, [tmp_path / "P1.txt"], participants_csv=people)
    assert report.participants == 1
    with session_scope(backend_store) as session:
        doc = session.scalars(select(Transcript)).one()
        assert (doc.text, doc.length) == (TEXT, len(TEXT))
        turns = session.scalars(select(Turn).order_by(Turn.index)).all()
        assert [t.speaker for t in turns] == ["Interviewer", "P1"]
        sentences = session.scalars(select(Segment).order_by(Segment.index)).all()
        assert sentences and all(0 <= s.start < s.end <= doc.length for s in sentences)
        assert transcripts_frame(session).loc[0, "region"] == "תל אביב"
        assert participants_frame(session).loc[0, "organization"] == "Lab «Ω», Inc"


def test_a_refused_import_leaves_the_store_unchanged(backend_store: Engine, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("P1: fine words.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00broken \x00 bytes")
    with pytest.raises(InputError, match=r"bad\.txt"), session_scope(backend_store) as session:
        import_transcripts(session, [tmp_path / "good.txt", tmp_path / "bad.txt"])
    with session_scope(backend_store) as session:
        assert session.scalars(select(Transcript)).all() == []


def test_add_edit_delete_keep_python_str_offsets_and_audit_each_step(
    backend_study: Engine,
) -> None:
    start, end = TEXT.index("It took months"), TEXT.index("!") + 1
    with session_scope(backend_study) as session:
        coding_id = add_coding(session, "P1", start, end, "access", "ana", memo="wait").id
    with session_scope(backend_study) as session:
        assert codings_frame(session).loc[0, "text"] == "It took months \U0001f605!"
        new_start = TEXT.index("\u05ea")
        edited = edit_coding(
            session, coding_id, "ana", start=new_start, end=new_start + 8, expected_version=1
        )
        assert (edited.text, edited.row_version) == (TEXT[new_start : new_start + 8], 2)
    with session_scope(backend_study) as session:
        delete_coding(session, coding_id, "ana", expected_version=2)
    with session_scope(backend_study) as session:
        assert codings_frame(session).empty
        trail = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        steps = [(e.actor, e.action) for e in trail if e.entity == "coding"]
        assert steps == [("ana", "coding.add"), ("ana", "coding.edit"), ("ana", "coding.delete")]
        assert trail[-1].payload["before"]["start"] == new_start


def test_a_stale_edit_and_another_coders_edit_are_refused(backend_study: Engine) -> None:
    with session_scope(backend_study) as session:
        coding_id = add_coding(session, "P1", 0, 11, "access", "ana").id
    with session_scope(backend_study) as session:
        edit_coding(session, coding_id, "ana", memo="first", expected_version=1)
    with (
        pytest.raises(ConflictError, match="changed meanwhile"),
        session_scope(backend_study) as session,
    ):
        edit_coding(session, coding_id, "ana", memo="stale", expected_version=1)
    with (
        pytest.raises(ValidationError, match="belongs to 'ana'"),
        session_scope(backend_study) as session,
    ):
        delete_coding(session, coding_id, "ben")
    with session_scope(backend_study) as session:
        frame = codings_frame(session)
        assert list(frame["memo"]) == ["first"]


def test_a_duplicate_coding_is_refused_on_every_backend(backend_study: Engine) -> None:
    with session_scope(backend_study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana")
    refused = pytest.raises(DuplicateCodingError, match="'ana' already coded this span")
    with refused, session_scope(backend_study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana")
    with session_scope(backend_study) as session:
        assert len(codings_frame(session)) == 1


def test_two_postgresql_writers_racing_to_one_coding_leave_one(tmp_path: Path) -> None:
    """The second writer passed the check before the first committed: the index refuses it."""
    import threading

    from backends import fresh_postgres_database, make_study, postgres_base_url
    from qualcarto.store import open_session

    with fresh_postgres_database(postgres_base_url()) as url:
        engine = make_study(url, tmp_path)
        first = open_session(engine)
        outcome: list[BaseException] = []

        def second() -> None:
            try:
                with session_scope(engine) as session:
                    add_coding(session, "P1", 0, 11, "access", "ana")
            except BaseException as exc:
                outcome.append(exc)

        try:
            add_coding(first, "P1", 0, 11, "access", "ana")  # flushed, not committed
            racer = threading.Thread(target=second)
            racer.start()
            racer.join(1.0)  # it waits on the index for the first writer
            first.commit()
            racer.join(30)
        finally:
            first.close()
        assert [type(e) for e in outcome] == [DuplicateCodingError]
        assert "'ana' already coded this span with 'access'" in str(outcome[0])
        with session_scope(engine) as session:
            assert len(codings_frame(session)) == 1
        engine.dispose()

# SPDX-License-Identifier: MIT
"""Migration 0004 on a store built at 0003: duplicate codings merged, audited, then refused."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, insert, select
from sqlalchemy.exc import IntegrityError

from backends import *  # noqa: F403 (the backend fixtures)
from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.codebook import publish_codebook
from qualcarto.store import (
    AuditEvent,
    Coding,
    ReconciliationDecision,
    Review,
    connect,
    session_scope,
)
from qualcarto.store.migrate import alembic_config, current_revision, head_revision
from qualcarto.study import create_study
from qualcarto.transcripts import import_transcripts
from qualcarto.users import add_user


def store_at_0003(url: str, folder: Path) -> Engine:
    """A study made by today's services, then taken back to revision 0003 (no unique index).

    Built at head and downgraded, since today's models name columns an 0003 store lacks.
    """
    engine = connect(url, create=True)
    (folder / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (folder / "P1.txt").write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
    with session_scope(engine) as session:
        create_study(session, "old study")
        publish_codebook(session, folder / "codebook.yaml", "first version")
        add_user(session, "ana", "coder", "ana-password")
        add_user(session, "ben", "lead", "ben-password")
        import_transcripts(session, [folder / "P1.txt"])
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    return engine


def stored_twice(engine: Engine) -> dict[str, int]:
    """Codings as an old qualcarto could store them: ana's span 0-11 three times, 5-9 twice.

    Written with the 0003 tables as they are (reflected), not today's models.
    """
    old = MetaData()
    old.reflect(engine)
    codings, users = old.tables["codings"], old.tables["users"]
    now = datetime.now(UTC)
    made = {}
    with engine.begin() as conn:
        doc_id, text = conn.execute(select(old.tables["transcripts"].c["id", "text"])).one()
        ana, ben = (
            conn.scalar(select(users.c.id).where(users.c.name == n)) for n in ("ana", "ben")
        )
        for label, (start, end, memo) in {
            "first": (0, 11, ""),
            "second": (0, 11, "a memo worth keeping"),
            "third": (0, 11, ""),
            "other": (5, 9, ""),
            "other_again": (5, 9, ""),
        }.items():
            made[label] = conn.execute(
                insert(codings).returning(codings.c.id),
                {
                    "transcript_id": doc_id,
                    "coder_id": ana,
                    "code_id": "access",
                    "original_code_id": "access",
                    "codebook_version_id": 1,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "memo": memo,
                    "origin": "manual",
                    "row_version": 1,
                    "created_at": now,
                    "updated_at": now,
                },
            ).scalar_one()
        conn.execute(
            insert(old.tables["reviews"]),
            {
                "coding_id": made["second"],
                "reviewer_id": ben,
                "decision": "accept",
                "comment": "",
                "created_at": now,
            },
        )
        conn.execute(
            insert(old.tables["reconciliation_decisions"]),
            {
                "transcript_id": doc_id,
                "decided_by_id": ben,
                "coder_a": "ana",
                "coder_b": "ben",
                "coding_a_id": made["third"],
                "coding_b_id": None,
                "decision": "take_a",
                "consensus_ids": [made["other_again"]],
                "comment": "",
                "created_at": now,
            },
        )
    return made


def test_upgrading_merges_duplicates_into_the_oldest_and_audits_each_merge(
    backend_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = store_at_0003(backend_url, tmp_path)
    made = stored_twice(engine)
    engine.dispose()

    with caplog.at_level(logging.WARNING, logger="qualcarto.store.migrate"):
        engine = connect(backend_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
        assert "merged 3 duplicate coding(s)" in caplog.text
        with session_scope(engine) as session:
            codings = {c.id: c for c in session.scalars(select(Coding))}
            assert sorted(codings) == [made["first"], made["other"]]
            assert codings[made["first"]].memo == "a memo worth keeping"
            review = session.scalars(select(Review)).one()
            assert review.coding_id == made["first"]
            decision = session.scalars(select(ReconciliationDecision)).one()
            assert decision.coding_a_id == made["first"]
            assert decision.consensus_ids == [made["other"]]
            merges = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "coding.merge")
            ).all()
            assert sorted((e.entity_id, e.payload["merged"]) for e in merges) == sorted(
                [
                    (str(made["first"]), made["second"]),
                    (str(made["first"]), made["third"]),
                    (str(made["other"]), made["other_again"]),
                ]
            )
            assert {e.actor for e in merges} == {"migration"}
    finally:
        engine.dispose()


def test_after_the_upgrade_the_index_refuses_a_duplicate_row(
    backend_url: str, tmp_path: Path
) -> None:
    engine = store_at_0003(backend_url, tmp_path)
    made = stored_twice(engine)
    engine.dispose()
    engine = connect(backend_url)
    try:
        with pytest.raises(IntegrityError), session_scope(engine) as session:
            original = session.get(Coding, made["first"])
            assert original is not None
            session.add(
                Coding(
                    transcript_id=original.transcript_id,
                    coder_id=original.coder_id,
                    code_id="access",
                    original_code_id="access",
                    codebook_version_id=1,
                    start=0,
                    end=11,
                    text=original.text,
                )
            )
            session.flush()
    finally:
        engine.dispose()


def test_a_store_without_duplicates_upgrades_silently(
    backend_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store_at_0003(backend_url, tmp_path).dispose()
    with caplog.at_level(logging.WARNING, logger="qualcarto.store.migrate"):
        engine = connect(backend_url)
    engine.dispose()
    assert "merged" not in caplog.text


def test_the_revisions_read_without_alembic_are_the_ones_alembic_reads(tmp_path: Path) -> None:
    """Opening a store reads both revisions without Alembic; they must agree with it."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = connect(f"sqlite:///{tmp_path / 'empty.db'}", create=True, upgrade=False)
    with engine.connect() as conn:
        assert current_revision(conn) is None
    for revision in ("0003", "head"):
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        with engine.connect() as conn:
            expected = MigrationContext.configure(conn).get_current_revision()
            assert current_revision(conn) == expected
    assert expected == head_revision()

# SPDX-License-Identifier: MIT
"""The store on SQLite and PostgreSQL alike: migrations from empty to head, head equals models."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select, text

from backends import *  # noqa: F403 (the backend fixtures)
from qualcarto.errors import QualcartoError
from qualcarto.store import AuditEvent, Base, Participant, connect, current_project, session_scope
from qualcarto.store.migrate import current_revision, head_revision


def test_an_empty_database_is_migrated_to_head_and_equals_the_models(backend_url: str) -> None:
    engine = connect(backend_url, create=True)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert set(inspect(conn).get_table_names()) == set(Base.metadata.tables) | {
                "alembic_version"
            }
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


def test_reopening_a_store_keeps_its_project(backend_store: Engine, backend_url: str) -> None:
    backend_store.dispose()
    again = connect(backend_url)
    try:
        with session_scope(again) as session:
            assert current_project(session).name == "test study"
    finally:
        again.dispose()


def test_a_database_holding_other_tables_is_left_alone(backend_url: str) -> None:
    foreign = create_engine(backend_url)
    with foreign.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    foreign.dispose()
    with pytest.raises(QualcartoError, match="no qualcarto schema version; refusing"):
        connect(backend_url, create=True)


def test_json_attributes_round_trip_with_non_ascii_keys_and_values(backend_store: Engine) -> None:
    attributes = {"organización": "Lab «Ω»", "regions": ["תל אביב", "Zoë"], "size": 12}
    with session_scope(backend_store) as session:
        project = current_project(session)
        session.add(Participant(project_id=project.id, key="I1", attributes=attributes))
        session.add(AuditEvent(actor="lena", action="test", entity="x", payload=attributes))
    with session_scope(backend_store) as session:
        assert session.scalars(select(Participant.attributes)).one() == attributes
        assert session.scalars(select(AuditEvent.payload)).one() == attributes


def test_a_utc_timestamp_comes_back_as_the_same_instant(backend_store: Engine) -> None:
    written = datetime(2025, 3, 1, 23, 30, 15, 123456, tzinfo=UTC)
    with session_scope(backend_store) as session:
        session.add(AuditEvent(actor="lena", action="test", entity="x", at=written))
    with session_scope(backend_store) as session:
        read = session.scalars(select(AuditEvent.at)).one()
    # SQLite hands back naive datetimes; the store only ever writes UTC, so naive means UTC.
    assert (read if read.tzinfo else read.replace(tzinfo=UTC)) == written

# SPDX-License-Identifier: MIT
"""The store: one way to connect, SQLite tuned for several coders, migrations equal models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text

from qualcarto.config import resolve_db_url
from qualcarto.errors import NotFoundError
from qualcarto.store import Base, Project, connect, session_scope
from qualcarto.store.migrate import current_revision, head_revision


def test_a_new_store_is_created_at_the_head_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_migrations_at_head_equal_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_a_missing_store_is_an_error_not_a_new_empty_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no store here"):
        connect(f"sqlite:///{tmp_path / 'typo.db'}")
    assert not (tmp_path / "typo.db").exists()


def test_reopening_a_store_keeps_its_data(engine: Engine, db_url: str) -> None:
    engine.dispose()
    again = connect(db_url)
    with again.connect() as conn:
        assert conn.execute(text("SELECT name FROM projects")).scalar() == "test study"
    again.dispose()


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (None, None, "sqlite:///qualcarto.db"),
        (None, "sqlite:///from-env.db", "sqlite:///from-env.db"),
        ("postgresql+psycopg://u@h/db", "sqlite:///from-env.db", "postgresql+psycopg://u@h/db"),
        ("study.db", None, "sqlite:///study.db"),
    ],
)
def test_the_store_url_comes_from_db_then_environment_then_default(
    monkeypatch: pytest.MonkeyPatch, explicit: str | None, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv("QUALCARTO_DB", raising=False)
    else:
        monkeypatch.setenv("QUALCARTO_DB", env)
    assert resolve_db_url(explicit) == expected


def test_a_read_scope_does_not_wait_for_a_writer(engine: Engine) -> None:
    """A page's read runs while another coder's write transaction holds the store."""
    import threading
    import time

    from qualcarto.store import read_scope

    holding = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with session_scope(engine) as session:
            session.add(Project(name="held"))
            session.flush()
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(5)
    started = time.monotonic()
    with read_scope(engine) as session:
        names = list(session.scalars(select(Project.name)))
    waited = time.monotonic() - started
    release.set()
    thread.join()
    assert names == ["test study"]  # the snapshot before the writer commits
    assert waited < 1.0


def test_a_read_scope_refuses_to_write(engine: Engine) -> None:
    from qualcarto.store import ReadOnlyError, read_scope

    with pytest.raises(ReadOnlyError), read_scope(engine) as session:
        session.add(Project(name="sneaked in"))
    with read_scope(engine) as session:
        assert list(session.scalars(select(Project.name))) == ["test study"]


def test_a_read_scope_on_postgresql_is_read_only(tmp_path: Path) -> None:
    """On PostgreSQL the server itself refuses a write inside a read scope, not only our check."""
    from sqlalchemy import insert
    from sqlalchemy.exc import DBAPIError

    from backends import fresh_postgres_database, make_store, postgres_base_url
    from qualcarto.store import read_scope

    with fresh_postgres_database(postgres_base_url()) as url:
        engine = make_store(url)
        try:
            with (
                pytest.raises(DBAPIError, match="read-only transaction"),
                read_scope(engine) as session,
            ):
                session.execute(insert(Project).values(name="sneaked in", description=""))
            with read_scope(engine) as session:
                assert list(session.scalars(select(Project.name))) == ["test study"]
        finally:
            engine.dispose()


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["coding", "list"],
        ["codebook", "export"],
        ["export", "csv", "{tmp}/codings.csv"],
        ["export", "qdc", "{tmp}/codebook.qdc"],
    ],
)
def test_read_only_commands_do_not_wait_for_a_coder_saving(
    study: Engine, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """While another coder's write transaction holds the store, reports still run at once."""
    import threading
    import time

    from qualcarto.cli import main
    from qualcarto.coding import add_coding

    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with session_scope(study) as session:
            add_coding(session, "P1", 0, 11, "access", "ana")
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        args = [part.format(tmp=tmp_path) for part in command]
        code = main(["--db", study.url.render_as_string(), *args])
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join()
    assert code == 0, capsys.readouterr().err
    assert waited < 3.0

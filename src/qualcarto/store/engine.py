# SPDX-License-Identifier: MIT
"""One owner of database connections.

``connect`` is the only way the CLI, the app and the tests reach a store: it turns on
SQLite's foreign keys, WAL and busy timeout, makes every write transaction take the
write lock up front (``BEGIN IMMEDIATE``, so two coders never meet 'database is
locked' halfway through a transaction), creates a new store at the head migration and
backs a file up before upgrading an old one.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from qualcarto.errors import NotFoundError, QualcartoError
from qualcarto.store.migrate import current_revision, head_revision, upgrade_to_head
from qualcarto.store.models import Project

BUSY_TIMEOUT_MS = 30_000


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" hook below.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def connect(url: str, *, create: bool = False) -> Engine:
    """Open the store at ``url``, migrating it to the current schema.

    With ``create=False`` a missing SQLite file is an error rather than a silently
    created empty store, so a typo in ``--db`` does not look like an empty study.
    """
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise NotFoundError(f"{path}: no store here; run `qualcarto init` or `qualcarto demo`")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        _tune_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _migrate(engine, path)
    return engine


def _migrate(engine: Engine, path: Path | None) -> None:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = current_revision(conn)
    head = head_revision()
    if revision == head:
        return
    if tables - {"alembic_version"} and revision is None:
        raise QualcartoError(
            f"{engine.url.render_as_string(hide_password=True)}: "
            "holds tables but no qualcarto schema version; refusing to touch it"
        )
    if revision is not None and path is not None:
        _backup_sqlite(path, revision)
    with engine.begin() as conn:
        upgrade_to_head(conn)


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    if not target.exists():  # pragma: no cover - the backup API raises first
        shutil.copy2(path, target)
    return target


def open_session(engine: Engine) -> Session:
    """A session on the store; the caller commits (see ``session_scope``)."""
    return sessionmaker(engine, expire_on_commit=False)()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back everything if it raises."""
    session = open_session(engine)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def current_project(session: Session) -> Project:
    """The study this store holds (the first project), or a clear error if there is none."""
    project = session.scalars(select(Project).order_by(Project.id).limit(1)).first()
    if project is None:
        raise NotFoundError("the store holds no project; run `qualcarto init`")
    return project

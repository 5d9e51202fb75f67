# SPDX-License-Identifier: MIT
"""One owner of database connections.

``connect`` is the only way the CLI, the app and the tests reach a store: it turns on
SQLite's foreign keys, WAL and busy timeout, makes every write transaction take the
write lock up front (``BEGIN IMMEDIATE``, so two coders never meet 'database is
locked' halfway through a transaction), creates a new store at the head migration and
backs a file up before upgrading an old one, and removes what an import killed halfway
left behind (``qualcarto.store.staging``).

On PostgreSQL transactions run at REPEATABLE READ: two coders who change the same row at
once cannot both win (the second gets a serialization failure instead of silently
overwriting), which is what optimistic concurrency on ``Coding.row_version`` relies on.
Busy SQLite files and PostgreSQL serialization failures are transient: ``session_scope``
retries taking the transaction, ``with_retry`` reruns a whole unit of work, both with
exponential backoff, so "database is locked" never reaches a coder.
"""

from __future__ import annotations

import logging
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from qualcarto.errors import NotFoundError, QualcartoError
from qualcarto.store.migrate import current_revision, head_revision, upgrade_to_head
from qualcarto.store.models import Project
from qualcarto.store.staging import discard_abandoned


class _NoResultRows(logging.Filter):
    """Drop the result rows SQLAlchemy logs at DEBUG: they hold transcript text and hashes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoResultRows())

BUSY_TIMEOUT_MS = 30_000
RETRY_ATTEMPTS = 8
RETRY_FIRST_DELAY_S = 0.05
RETRY_MAX_DELAY_S = 2.0
# PostgreSQL SQLSTATEs that mean "run the transaction again": serialization failure, deadlock.
_PG_RETRY_STATES = frozenset({"40001", "40P01"})
_SQLITE_BUSY_MESSAGES = ("database is locked", "database is busy", "database table is locked")

T = TypeVar("T")
# Execution option of the engine view that read_scope binds its sessions to.
_READ_ONLY_KEY = "qualcarto_read_only"


class StoreBusyError(QualcartoError):
    """The store stayed busy (locked or conflicting) through every retry."""


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
        # A read-only scope opens a deferred transaction: it takes no write lock, so in WAL
        # mode it never waits for a writer and no writer waits for it.
        if conn.get_execution_options().get(_READ_ONLY_KEY):
            conn.exec_driver_sql("BEGIN DEFERRED")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def connect(url: str, *, create: bool = False, upgrade: bool = True) -> Engine:
    """Open the store at ``url``, migrating it to the current schema.

    With ``create=False`` a missing SQLite file is an error rather than a silently
    created empty store, so a typo in ``--db`` does not look like an empty study.
    ``upgrade=False`` opens the store as it is, for tools that must change nothing
    (``verify``) or replace everything (``restore``).
    """
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise NotFoundError(f"{path}: no store here; run `qualcarto init` or `qualcarto demo`")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _tune_sqlite(engine)
    elif make_url(url).get_backend_name() == "postgresql":
        # pre_ping and recycle survive a database restart or a proxy dropping idle connections.
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_recycle=1800,
            isolation_level="REPEATABLE READ",
            hide_parameters=True,
        )
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    # hide_parameters: SQL logs and errors never carry transcript text or password hashes.
    if upgrade:
        _migrate(engine, path)
        # What an import killed halfway left behind is hidden; opening the store removes it.
        discard_abandoned(engine, engine.execution_options(**{_READ_ONLY_KEY: True}))
    return engine


def _migrate(engine: Engine, path: Path | None) -> None:
    # Looking up the revision only reads: it must not queue behind a coder's save.
    with engine.execution_options(**{_READ_ONLY_KEY: True}).connect() as conn:
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


def is_transient(exc: BaseException) -> bool:
    """Whether running the same transaction again may succeed (busy file, serialization)."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_RETRY_STATES:
        return True
    message = str(orig).lower()
    return isinstance(orig, sqlite3.OperationalError) and any(
        m in message for m in _SQLITE_BUSY_MESSAGES
    )


def backoff_delay(attempt: int) -> float:
    """Seconds to wait before retry ``attempt`` (0-based): doubling, capped, with full jitter.

    Jitter keeps coders who collided once from colliding again in lock step.
    """
    ceiling = min(RETRY_MAX_DELAY_S, RETRY_FIRST_DELAY_S * 2**attempt)
    return random.uniform(ceiling / 2, ceiling)


def _busy(engine: Engine, exc: BaseException) -> StoreBusyError:
    where = engine.url.render_as_string(hide_password=True)
    return StoreBusyError(
        f"{where}: the store stayed busy through {RETRY_ATTEMPTS} tries "
        f"({type(exc).__name__}); nothing was changed, try again in a moment"
    )


def _begin_with_retry(engine: Engine, session: Session) -> None:
    """Open the session's transaction now (on SQLite: take the write lock), retrying if busy."""
    for attempt in range(RETRY_ATTEMPTS):
        try:
            session.connection()
            return
        except DBAPIError as exc:
            session.rollback()
            if not is_transient(exc):
                raise
            if attempt == RETRY_ATTEMPTS - 1:
                raise _busy(engine, exc) from exc
        time.sleep(backoff_delay(attempt))


@contextmanager
def _transaction(engine: Engine, *, retry_begin: bool) -> Iterator[Session]:
    session = open_session(engine)
    try:
        if retry_begin:
            _begin_with_retry(engine, session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back everything if it raises.

    The transaction starts at once, waiting (with backoff) while another writer holds the
    store, so a busy store delays a coder instead of failing them.
    """
    with _transaction(engine, retry_begin=True) as session:
        yield session


class ReadOnlyError(QualcartoError):
    """A read-only scope tried to write."""


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads: one consistent snapshot, no write lock, never commits.

    On SQLite the transaction is deferred (WAL readers neither wait for writers nor block
    them); on PostgreSQL it is ``READ ONLY``. Pages read through this scope, so one
    coder's page never queues behind another coder's save. Anything the block adds or
    changes is refused with ``ReadOnlyError`` and rolled back.
    """
    options: dict[str, Any] = {_READ_ONLY_KEY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    session = open_session(engine.execution_options(**options))
    try:
        yield session
        if session.new or session.dirty or session.deleted:
            raise ReadOnlyError("a read-only scope tried to change the store; nothing was saved")
    finally:
        # close() ends the transaction without expiring what was read, so objects stay
        # readable afterwards, as after a committed session_scope (expire_on_commit=False).
        session.close()


def with_retry(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` as one transaction, rerunning all of it if the store was busy.

    Use this for writes that may meet a concurrent change to the same rows (a PostgreSQL
    serialization failure can come at any statement, not just the first); ``work`` must
    not have effects outside the session, since it may run more than once. Our own errors
    (a stale edit's ``ConflictError``) are never retried.
    """
    for attempt in range(RETRY_ATTEMPTS):
        try:
            with _transaction(engine, retry_begin=True) as session:
                return work(session)
        except DBAPIError as exc:
            if not is_transient(exc):
                raise
            if attempt == RETRY_ATTEMPTS - 1:
                raise _busy(engine, exc) from exc
        time.sleep(backoff_delay(attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def current_project(session: Session) -> Project:
    """The study this store holds (the first project), or a clear error if there is none."""
    project = session.scalars(select(Project).order_by(Project.id).limit(1)).first()
    if project is None:
        raise NotFoundError("the store holds no project; run `qualcarto init`")
    return project

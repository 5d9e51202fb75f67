# SPDX-License-Identifier: MIT
"""Long imports in short batches that stay all or nothing for everyone else.

An import of thousands of codings written in one transaction holds the write lock for
minutes and the whole team waits. ``staged_import`` writes it in batches instead, each
committed within about ``BATCH_SECONDS``, so coders' saves slip in between. Every row
the import adds carries its ``import_id`` (the ``Staged`` mixin); every ORM read skips
rows of an import that is not ``done``, so nobody sees half an import. The last, short
transaction marks the import done and everything appears at once.

If the import fails its rows are deleted in batches; if its process dies (kill -9, a
power cut) they stay hidden, and ``discard_abandoned``, run whenever the store is
opened, deletes them: the store is then as if the import never happened.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, event, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from qualcarto.store.grouping import AttributeDefinition, TranscriptGroup
from qualcarto.store.models import (
    AuditEvent,
    CodebookVersion,
    Coding,
    Import,
    MediaFile,
    Memo,
    Participant,
    Staged,
    Transcript,
    User,
    utcnow,
)

# A batch commits once it has held the write lock this long; one step (a transcript, a
# chunk of codings) is small enough to keep every batch well under a second.
BATCH_SECONDS = 0.25
# An import whose process has not written for this long is taken for dead (another host).
STALE_AFTER = timedelta(minutes=10)
DELETE_CHUNK = 2_000
# After each batch the import waits this long: a coder whose save waits for the lock
# polls it (SQLite's busy handler sleeps up to 100 ms between tries) and must get a turn.
PAUSE_SECONDS = 0.12
# session.info key: the import whose unfinished rows this session may see and adds to.
_IMPORT_KEY = "qualcarto_import_id"
# Execution option (or session.info key) that shows every row, staged or not: for
# cleaning up, and for ``verify``, which checks every row the file holds.
ALL_ROWS = "qualcarto_all_rows"
# Children first: a row is deleted before the rows it refers to.
_DISCARD_ORDER: tuple[type[Staged], ...] = (
    Coding,
    Memo,
    MediaFile,
    TranscriptGroup,
    Transcript,
    Participant,
    AttributeDefinition,
    CodebookVersion,
    User,
    AuditEvent,
)


@event.listens_for(Session, "do_orm_execute")
def _hide_unfinished(state: ORMExecuteState) -> None:
    own = state.session.info.get(_IMPORT_KEY)
    every_row = state.execution_options.get(ALL_ROWS) or state.session.info.get(ALL_ROWS)
    if state.is_select and not every_row:
        if own is None:
            criteria = with_loader_criteria(
                Staged,
                lambda cls: or_(
                    cls.import_id.is_(None),
                    cls.import_id.in_(select(Import.id).where(Import.state == "done")),
                ),
                include_aliases=True,
            )
        else:
            criteria = with_loader_criteria(
                Staged,
                lambda cls: or_(
                    cls.import_id.is_(None),
                    cls.import_id == own,
                    cls.import_id.in_(select(Import.id).where(Import.state == "done")),
                ),
                include_aliases=True,
            )
        state.statement = state.statement.options(criteria)
    elif state.is_insert and own is not None and _staged_target(state):
        rows = state.parameters
        if isinstance(rows, dict):
            state.parameters = {**rows, "import_id": own}
        elif isinstance(rows, list | tuple):
            state.parameters = [{**row, "import_id": own} for row in rows]


def _staged_target(state: ORMExecuteState) -> bool:
    mapper = state.bind_mapper
    return mapper is not None and issubclass(mapper.class_, Staged)


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    own = session.info.get(_IMPORT_KEY)
    if own is None:
        return
    for row in session.new:
        if isinstance(row, Staged) and row.import_id is None:
            row.import_id = own


class ImportRun:
    """One import: ``session`` to write through, ``checkpoint()`` between steps.

    Without an import id (``ImportRun(session)``) everything stays in the caller's one
    transaction and ``checkpoint`` does nothing, the behaviour of a small import or a test.
    """

    def __init__(self, session: Session, import_id: int | None = None) -> None:
        self.session = session
        self.import_id = import_id
        self.batches = 0
        self.longest = 0.0  # seconds: the longest a batch held the write lock
        self._began: float | None = None
        if import_id is not None:
            event.listen(session, "after_begin", self._on_begin)

    def _on_begin(self, *_args: Any) -> None:
        self._began = time.perf_counter()

    def checkpoint(self, *, force: bool = False) -> None:
        """Commit the batch once it has held the lock ``BATCH_SECONDS`` (or now, ``force``)."""
        if self.import_id is None or self._began is None:
            return
        if force or time.perf_counter() - self._began >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.import_id is None:
            return
        self.session.execute(
            update(Import).where(Import.id == self.import_id).values(heartbeat_at=utcnow())
        )
        self.session.commit()
        if self._began is not None:
            self.longest = max(self.longest, time.perf_counter() - self._began)
        self._began = None
        self.batches += 1
        time.sleep(PAUSE_SECONDS)


@contextmanager
def staged_import(engine: Engine, source: str, actor: str) -> Iterator[ImportRun]:
    """Run an import in batches; its rows appear for everyone when the block ends.

    The block's last writes (what changes rows that already exist) should follow a
    ``checkpoint(force=True)``: they commit together with the import's ``done`` mark,
    in one short transaction. If the block raises, every row of the import is removed.
    """
    with Session(engine) as session, session.begin():
        row = Import(source=source[:500], actor=actor[:100], host=_host(), pid=os.getpid())
        session.add(row)
        session.flush()
        import_id = row.id
    session = Session(engine, expire_on_commit=False)
    session.info[_IMPORT_KEY] = import_id
    run = ImportRun(session, import_id)
    try:
        yield run
        if _added_anything(session, import_id):
            session.execute(update(Import).where(Import.id == import_id).values(state="done"))
        else:  # an import that changed nothing leaves no trace
            session.execute(delete(Import).where(Import.id == import_id))
        run.commit()
    except BaseException:
        session.rollback()
        discard(engine, import_id)
        raise
    finally:
        session.close()


def _added_anything(session: Session, import_id: int) -> bool:
    return any(
        session.scalar(select(model.import_id).where(model.import_id == import_id).limit(1))
        for model in _DISCARD_ORDER
    )


def discard(engine: Engine, import_id: int) -> int:
    """Delete every row of import ``import_id`` (in short batches), then the import; a count."""
    removed = 0
    for model in _DISCARD_ORDER:
        while True:
            with Session(engine) as session, session.begin():
                chosen = (
                    select(model.id)  # type: ignore[attr-defined]
                    .where(model.import_id == import_id)
                    .limit(DELETE_CHUNK)
                    .scalar_subquery()
                )
                gone = session.execute(
                    delete(model).where(model.id.in_(chosen)),  # type: ignore[attr-defined]
                    execution_options={"synchronize_session": False},
                ).rowcount
            removed += gone
            if gone < DELETE_CHUNK:
                break
    with Session(engine) as session, session.begin():
        session.execute(delete(Import).where(Import.id == import_id))
    return removed


def abandoned_imports(session: Session) -> list[Import]:
    """Unfinished imports whose process is gone (on this host) or silent for too long."""
    rows = session.scalars(select(Import).where(Import.state != "done")).all()
    now, host = utcnow(), _host()
    return [r for r in rows if (r.host == host and not _alive(r.pid)) or _stale(r, now)]


def discard_abandoned(engine: Engine, reader: Engine) -> int:
    """Remove what dead imports left behind; the number of imports removed.

    ``reader`` is a read-only view of ``engine``: looking takes no write lock, so opening
    the store never waits for a coder's save.
    """
    with Session(reader) as session:
        dead = [r.id for r in abandoned_imports(session)]
    for import_id in dead:
        discard(engine, import_id)
    return len(dead)


def _stale(row: Import, now: Any) -> bool:
    beat = row.heartbeat_at
    if beat.tzinfo is None:  # SQLite hands back naive datetimes
        beat = beat.replace(tzinfo=now.tzinfo)
    return bool(now - beat > STALE_AFTER)


def _host() -> str:
    return socket.gethostname()[:200]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True

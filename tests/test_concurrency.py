# SPDX-License-Identifier: MIT
"""Coders writing at once, each in their own process: nothing lost, nothing locked, no overwrite.

Each process is one coder adding, editing and deleting codings against the same store
(a SQLite file in WAL mode, or PostgreSQL), one transaction per change, and logging
every change that committed. Afterwards the store must hold exactly what replaying each
coder's own log gives, the audit log must hold every change under its coder, no process
may have met an error (so no "database is locked" reached anyone), and the one coding
all processes fight over must show every winning edit once: a stale edit is refused,
never silently written over another.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from backends import *  # noqa: F403 (the backend fixtures)
from backends import make_store, make_study
from concurrent_coder import SHARED_CODER, read_log, replay, run_coder
from qualcarto.coding import add_coding
from qualcarto.store import AuditEvent, Coding, Transcript, User, session_scope
from qualcarto.store import engine as engine_module
from qualcarto.store.engine import StoreBusyError, with_retry
from qualcarto.users import add_user

# (processes, changes per process). Eight writers at 2,000 changes each take minutes on a
# two-core machine, so the eight-process run makes fewer changes per coder; the count is
# settable for a longer soak: QUALCARTO_CONCURRENCY_OPS=2000.
_SOAK = int(os.environ.get("QUALCARTO_CONCURRENCY_OPS", "0"))
RUNS = [(2, _SOAK or 2000), (8, _SOAK or 250)]


@pytest.fixture
def coders_study(backend_url: str, tmp_path: Path) -> Engine:
    folder = tmp_path / "files"
    folder.mkdir()
    engine = make_study(backend_url, folder)
    with session_scope(engine) as session:
        for n in range(max(p for p, _ in RUNS)):
            add_user(session, f"coder{n}", "coder", f"coder{n}-password")
        add_user(session, SHARED_CODER, "coder", "team-password")
        add_coding(session, "P1", 0, 11, "access", SHARED_CODER, "first")
    return engine


@pytest.mark.slow
@pytest.mark.parametrize(("processes", "operations"), RUNS, ids=lambda v: str(v))
def test_concurrent_coders_lose_nothing_and_never_overwrite(
    coders_study: Engine,
    backend_url: str,
    tmp_path: Path,
    processes: int,
    operations: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Streamlit's AppTest leaves the app script as __main__, and multiprocessing would re-run
    # it in every child; the coders need a plain __main__.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    with session_scope(coders_study) as session:
        length = session.scalars(select(Transcript.length)).one()
        contested = session.scalars(
            select(Coding.id).join(User).where(User.name == SHARED_CODER)
        ).one()
    coders_study.dispose()

    # A forkserver is a fresh interpreter, like spawn (no connection or lock of this process
    # is inherited), that imports qualcarto once, so eight coders start in seconds.
    spawn = multiprocessing.get_context("forkserver")
    spawn.set_forkserver_preload(["qualcarto.coding", "qualcarto.store.engine"])
    together = spawn.Barrier(processes)
    logs = [tmp_path / f"coder{n}.jsonl" for n in range(processes)]
    workers = [
        spawn.Process(
            target=run_coder,
            args=(
                backend_url,
                f"coder{n}",
                operations,
                n,
                str(logs[n]),
                contested,
                length,
                together,
            ),
        )
        for n in range(processes)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    elapsed = time.perf_counter() - began

    entries = {f"coder{n}": read_log(logs[n]) for n in range(processes)}
    errors = [e["traceback"] for lines in entries.values() for e in lines if e["op"] == "error"]
    assert errors == []
    assert [w.exitcode for w in workers] == [0] * processes

    with session_scope(coders_study) as session:
        for coder, lines in entries.items():
            rows = session.execute(
                select(
                    Coding.id,
                    Coding.start,
                    Coding.end,
                    Coding.code_id,
                    Coding.memo,
                    Coding.row_version,
                )
                .join(User)
                .where(User.name == coder)
            ).all()
            stored = {
                r.id: {
                    "start": r.start,
                    "end": r.end,
                    "code": r.code_id,
                    "memo": r.memo,
                    "version": r.row_version,
                }
                for r in rows
            }
            assert stored == replay(lines), coder
            spans = {(v["start"], v["end"], v["code"]) for v in stored.values()}
            assert len(spans) == len(stored), f"{coder} has a duplicate coding"
            changes = sum(e["op"] in ("add", "edit", "delete") for e in lines)
            audited = session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == coder)
            )
            assert audited == changes, coder

        wins = sorted(
            (e for lines in entries.values() for e in lines if e["op"] == "contested"),
            key=lambda e: e["version"],
        )
        shared = session.get(Coding, contested)
        assert shared is not None
        # Every winning edit moved the version on by exactly one: no two won from one read.
        assert [e["version"] for e in wins] == list(range(2, len(wins) + 2))
        assert shared.row_version == len(wins) + 1
        assert shared.memo == (wins[-1]["memo"] if wins else "first")

    refused = sum(e["op"] == "conflict" for lines in entries.values() for e in lines)
    total = sum(e["op"] != "done" for lines in entries.values() for e in lines)
    writing = max(e["seconds"] for lines in entries.values() for e in lines if e["op"] == "done")
    print(
        f"\n{processes} coders x {operations} changes on {backend_url.split(':')[0]}: "
        f"{total} committed or refused in {writing:.1f} s ({elapsed:.1f} s with start-up); shared coding: {len(wins)} edits won, "
        f"{refused} stale edits refused"
    )


@pytest.fixture
def impatient_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    """A SQLite store whose busy timeout is 50 ms, so a held lock shows up at once."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    return make_store(f"sqlite:///{tmp_path / 'busy.db'}")


def _hold_write_lock(path: str, seconds: float, locked: threading.Event) -> None:
    """Another program holding the write lock: a raw sqlite3 connection in BEGIN IMMEDIATE."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    locked.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def test_a_busy_sqlite_store_makes_a_writer_wait_not_fail(impatient_sqlite: Engine) -> None:
    locked = threading.Event()
    path = str(impatient_sqlite.url.database)
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.5, locked))
    holder.start()
    locked.wait()
    with session_scope(impatient_sqlite) as session:  # meets the lock ten times its timeout
        add_user(session, "late", "coder", "late-password")
    holder.join()
    with session_scope(impatient_sqlite) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_a_store_busy_beyond_every_retry_gives_a_plain_message(
    impatient_sqlite: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "RETRY_ATTEMPTS", 2)
    locked = threading.Event()
    path = str(impatient_sqlite.url.database)
    holder = threading.Thread(target=_hold_write_lock, args=(path, 2.0, locked))
    holder.start()
    locked.wait()
    try:
        with pytest.raises(StoreBusyError, match="stayed busy through 2 tries") as caught:
            with_retry(impatient_sqlite, lambda s: add_user(s, "late", "coder", "late-password"))
        assert "database is locked" not in str(caught.value)
    finally:
        holder.join()

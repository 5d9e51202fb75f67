# SPDX-License-Identifier: MIT
"""`qualcarto backup` and `restore`: coders keep writing, and the copy is one consistent moment.

A writer thread commits numbered codings one transaction at a time while the backup
runs. The backup must open, verify clean, and hold exactly the first k of those
codings for some k between what was written before the backup started and after it
ended: a prefix, never a torn mix.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from backends import *  # noqa: F403 (the backend fixtures)
from backends import fresh_postgres_database, postgres_base_url
from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import AuditEvent, Coding, connect, session_scope
from qualcarto.store.backup import backup_store, restore_store
from qualcarto.store.engine import with_retry
from qualcarto.verify import Problem, verify_store

BULK_EVENTS = 40  # 40 MB of incompressible audit payload: a copy that takes a while


class Writer(threading.Thread):
    """A coder adding codings numbered 0, 1, 2, ... in their memo, one commit each."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = connect(url)
        self.committed = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                memo = str(self.committed)
                # A new span each time (duplicates are refused): 2 codes x 40 starts x 100 ends.
                start, end = divmod(self.committed // 2, 100)
                code = ("access", "docs")[self.committed % 2]
                with_retry(
                    self.engine,
                    lambda s, m=memo, a=start, b=start + 1 + end, c=code: add_coding(
                        s, "P1", a, b, c, "ana", m
                    ),
                )
                self.committed += 1
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            self.engine.dispose()


def _bulk_up(engine: Engine) -> None:
    with session_scope(engine) as session:
        for _ in range(BULK_EVENTS):
            session.add(
                AuditEvent(
                    actor="test",
                    action="bulk",
                    entity="x",
                    payload={"blob": os.urandom(2**19).hex()},
                )
            )


def _memos(url: str) -> tuple[list[int], list[Problem]]:
    engine = connect(url)
    try:
        with session_scope(engine) as session:
            memos = sorted(int(m) for m in session.scalars(select(Coding.memo)))
            return memos, verify_store(session)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_backup_taken_during_writes_is_a_consistent_prefix(
    backend: str, backend_study: Engine, backend_url: str, tmp_path: Path
) -> None:
    _bulk_up(backend_study)
    writer = Writer(backend_url)
    writer.start()
    while writer.committed < 20 and writer.is_alive():
        threading.Event().wait(0.01)
    before = writer.committed
    out = tmp_path / ("backup.db" if backend == "sqlite" else "backup.dump")
    report = backup_store(backend_url, out)
    after = writer.committed
    while writer.committed < after + 20 and writer.is_alive():
        threading.Event().wait(0.01)  # writes go on after the backup too
    writer.stop.set()
    writer.join()
    assert writer.error is None
    assert report.path == out
    assert out.stat().st_mode & 0o077 == 0, "a backup must be readable by its owner only"
    assert after > before, "the writer was held up for the whole backup"

    if backend == "sqlite":
        memos, problems = _memos(f"sqlite:///{out}")
    else:
        with fresh_postgres_database(postgres_base_url()) as url:
            restore_store(url, out)
            memos, problems = _memos(url)
    assert problems == []
    assert before <= len(memos) <= after
    assert memos == list(range(len(memos)))
    print(f"\n{backend}: backup holds {len(memos)} codings; {before} before, {after} after it")


def test_restore_replaces_a_store_only_when_forced_and_keeps_the_old_one(
    backend: str,
    backend_study: Engine,
    backend_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "backup.file"
    assert main(["--db", backend_url, "backup", str(out)]) == 0
    assert main(["--db", backend_url, "backup", str(out)]) == 2
    with session_scope(backend_study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "after the backup")
    backend_study.dispose()
    assert main(["--db", backend_url, "restore", str(out)]) == 2
    assert "already holds a store; use --force" in capsys.readouterr().err
    assert main(["--db", backend_url, "restore", str(out), "--force"]) == 0
    printed = capsys.readouterr().out
    assert _memos(backend_url) == ([], [])  # back to the moment of the backup, verified
    if backend == "sqlite":  # the replaced file is kept beside the store
        kept = Path(printed.split("kept the replaced store as ")[1].split()[0])
        engine = connect(f"sqlite:///{kept}")
        with session_scope(engine) as session:
            assert list(session.scalars(select(Coding.memo))) == ["after the backup"]
        engine.dispose()


def test_a_file_that_is_not_a_backup_is_refused_by_name(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup", encoding="utf-8")
    assert main(["--db", backend_url, "restore", str(junk)]) == 2
    assert capsys.readouterr().err == (
        f"error: {junk}: is neither a SQLite store nor a pg_dump custom-format file\n"
    )

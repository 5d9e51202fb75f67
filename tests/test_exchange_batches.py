# SPDX-License-Identifier: MIT
"""A REFI-QDA import in batches: invisible until done, all or nothing even when killed,
and never merged onto an account that already exists."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from backends import *  # noqa: F403  (the backend fixtures)
from backends import make_store
from conftest import copy_demo
from qualcarto.coding import add_coding, codings_frame
from qualcarto.errors import InputError
from qualcarto.exchange import study_data
from qualcarto.exchange.refi_export import write_qdpx
from qualcarto.exchange.refi_import import import_refi, import_refi_in_batches
from qualcarto.store import (
    AuditEvent,
    Coding,
    Import,
    Memo,
    Participant,
    Transcript,
    User,
    connect,
    read_scope,
    session_scope,
    staging,
)
from qualcarto.study import create_study
from qualcarto.verify import verify_url

STAGED_TABLES = (
    "users",
    "participants",
    "transcripts",
    "codebook_versions",
    "codings",
    "memos",
    "attribute_definitions",
    "transcript_groups",
    "audit_log",
    "turns",
    "segments",
    "code_revisions",
)


def raw_counts(path: Path) -> dict[str, int]:
    """Rows per table as SQLite holds them, hidden or not (read past the ORM)."""
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in STAGED_TABLES}


def visible(engine: Engine) -> dict[str, int]:
    """What any coder's page can see."""
    with read_scope(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, Participant, Transcript, Coding, Memo, AuditEvent)
        }


def fresh_store(path: Path) -> Engine:
    engine = connect(f"sqlite:///{path}", create=True)
    with session_scope(engine) as session:
        create_study(session, "study")
    return engine


@pytest.fixture(scope="module")
def demo_qdpx(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study as a .qdpx: several transcripts, coders, codings, memos, cases."""
    folder = tmp_path_factory.mktemp("demo-qdpx")
    engine = connect(f"sqlite:///{copy_demo(demo_template, folder)}")
    with read_scope(engine) as session:
        write_qdpx(session, study_data(session), folder / "demo.qdpx")
    engine.dispose()
    return folder / "demo.qdpx"


@pytest.fixture
def every_step_commits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Batches as small as they get: every checkpoint commits."""
    monkeypatch.setattr(staging, "BATCH_SECONDS", 0.0)
    yield


def test_batches_give_the_same_store_as_one_transaction(
    demo_qdpx: Path, tmp_path: Path, every_step_commits: None
) -> None:
    one = fresh_store(tmp_path / "one.db")
    with session_scope(one) as session:
        single = import_refi(session, demo_qdpx)
    many = fresh_store(tmp_path / "many.db")
    report = import_refi_in_batches(many, demo_qdpx)
    assert report.batches > len(report.transcripts) >= 2
    assert report.lines()[0] == single.lines()[0]
    assert visible(many) | {"audit_log": 0} == visible(one) | {"audit_log": 0}
    with read_scope(many) as a, read_scope(one) as b:
        columns = ["transcript", "coder", "code_id", "start", "end", "memo"]
        assert codings_frame(a)[columns].equals(codings_frame(b)[columns])
        assert a.scalars(select(Import.state)).all() == ["done"]
    one.dispose()
    many.dispose()


def test_nobody_sees_an_import_before_it_is_done(
    demo_qdpx: Path, tmp_path: Path, every_step_commits: None
) -> None:
    engine = fresh_store(tmp_path / "s.db")
    other = connect(f"sqlite:///{tmp_path / 's.db'}")  # a coder's own connection
    before = visible(other)
    seen: list[dict[str, int]] = []
    committed: list[int] = []

    def look(_title: str) -> None:
        seen.append(visible(other))
        committed.append(raw_counts(tmp_path / "s.db")["transcripts"])

    report = import_refi_in_batches(engine, demo_qdpx, progress=look)
    assert committed[-1] == len(report.transcripts)  # the batches were on disk...
    assert all(view == before for view in seen)  # ...and hidden from everyone else
    assert visible(other)["codings"] == report.codings > 0
    engine.dispose()
    other.dispose()


def test_on_every_backend_an_import_in_batches_is_hidden_until_done(
    backend_url: str, demo_qdpx: Path, every_step_commits: None
) -> None:
    """The staging marker is plain SQL: PostgreSQL hides and reveals exactly as SQLite."""
    engine = make_store(backend_url)
    other = connect(backend_url)  # a coder's own connection
    before = visible(other)
    seen: list[dict[str, int]] = []
    report = import_refi_in_batches(
        engine, demo_qdpx, progress=lambda _t: seen.append(visible(other))
    )
    assert report.batches > 2 and seen and all(view == before for view in seen)
    after = visible(other)
    assert after["codings"] == report.codings > 0
    assert after["transcripts"] == len(report.transcripts)
    with read_scope(other) as session:
        assert session.scalars(select(Import.state)).all() == ["done"]
    engine.dispose()
    other.dispose()


def test_a_failing_import_leaves_no_row_behind(
    demo_qdpx: Path, tmp_path: Path, every_step_commits: None
) -> None:
    engine = fresh_store(tmp_path / "s.db")
    before = raw_counts(tmp_path / "s.db")

    def fail_on_the_third(title: str) -> None:
        if raw_counts(tmp_path / "s.db")["transcripts"] >= 3:
            raise InputError(title, "stopped halfway")

    with pytest.raises(InputError, match="stopped halfway"):
        import_refi_in_batches(engine, demo_qdpx, progress=fail_on_the_third)
    assert raw_counts(tmp_path / "s.db") == before
    with read_scope(engine) as session:
        assert session.scalars(select(Import)).all() == []
    engine.dispose()


CHILD = """
import sys, time
from pathlib import Path
from qualcarto.store import connect, staging
from qualcarto.exchange.refi_import import import_refi_in_batches

staging.BATCH_SECONDS = 0.0
marker = Path(sys.argv[3])

def slow(title):
    marker.write_text(str(int(marker.read_text() or 0) + 1) if marker.exists() else "1")
    time.sleep(0.3)

import_refi_in_batches(connect(sys.argv[1]), Path(sys.argv[2]), progress=slow)
"""


def progress(marker: Path) -> int:
    text = marker.read_text() if marker.exists() else ""
    return int(text) if text.isdigit() else 0


def test_kill_9_halfway_leaves_the_store_as_if_the_import_never_happened(
    demo_qdpx: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    fresh_store(db).dispose()
    before = raw_counts(db)
    marker = tmp_path / "progress"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), f"sqlite:///{db}", str(demo_qdpx), marker]
    )
    deadline = time.monotonic() + 120
    while progress(marker) < 3 and time.monotonic() < deadline:
        assert child.poll() is None, "the import ended before it could be killed"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    left = raw_counts(db)
    assert left["transcripts"] >= 3 > before["transcripts"]  # committed batches on disk
    # Opened as it is, nothing of the dead import shows...
    engine = connect(f"sqlite:///{db}", upgrade=False)
    assert visible(engine) == visible(fresh_store(tmp_path / "same.db"))
    engine.dispose()
    problems, _ = verify_url(f"sqlite:///{db}")  # verify says so, and changes nothing
    assert [p.check for p in problems] == ["unfinished-import"]
    # ...and opening the store for work removes it.
    connect(f"sqlite:///{db}").dispose()
    assert raw_counts(db) == before
    assert verify_url(f"sqlite:///{db}")[0] == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_a_file_user_named_like_an_account_is_imported_under_a_new_name(
    study: Engine, tmp_path: Path
) -> None:
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "first words")
        write_qdpx(session, study_data(session), tmp_path / "p.qdpx")
        hash_before = session.scalars(select(User.password_hash).where(User.name == "ana")).one()
    report = import_refi_in_batches(study, tmp_path / "p.qdpx")
    assert "ana-imported" in report.users
    assert any("'ana' is an account here" in w for w in report.warnings)
    with read_scope(study) as session:
        coded = codings_frame(session)
        ana = session.scalars(select(User).where(User.name == "ana")).one()
    assert ana.password_hash == hash_before
    assert sorted(coded["coder"]) == ["ana", "ana-imported"]  # ana's own coding is hers alone
    # The same file again meets the imported user it made, and adds nothing.
    again = import_refi_in_batches(study, tmp_path / "p.qdpx")
    assert again.users == [] and again.codings == 0

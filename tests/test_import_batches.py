# SPDX-License-Identifier: MIT
"""``qualcarto import`` of a transcript corpus in batches: linked like one transaction,
hidden until done, and gone without a trace when the process is killed halfway."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from qualcarto.cli import main
from qualcarto.store import Import, Participant, Transcript, connect, read_scope

TURNS = "Interviewer: What did you build?\n\nP: A tokenizer, then the docs. It took a year.\n"


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"P{i:03d}.txt").write_text(TURNS * (1 + i % 5), encoding="utf-8")
    return folder


def transcripts_on_disk(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM transcripts").fetchone()[0])


def test_a_corpus_with_participants_imports_in_batches_and_links_them(
    study: Engine, tmp_path: Path
) -> None:
    folder = corpus(tmp_path / "c", 3)
    (folder / "participants.csv").write_text("id,role\nP000,maintainer\nP002,user\n", "utf-8")
    url = study.url.render_as_string(hide_password=False)
    args = ["--db", url, "import", str(folder), "--participants"]
    assert main([*args, str(folder / "participants.csv")]) == 0
    with read_scope(study) as session:
        linked = dict(
            session.execute(
                select(Transcript.name, Participant.key).join(
                    Participant, Participant.id == Transcript.participant_id
                )
            ).all()
        )
        assert session.scalars(select(Import.state)).all() == ["done"]
    assert linked == {"P000": "P000", "P002": "P002"}


def test_kill_9_halfway_through_a_corpus_leaves_the_store_unchanged(
    study: Engine, tmp_path: Path
) -> None:
    db = Path(str(study.url.database))
    folder = corpus(tmp_path / "c", 400)
    with read_scope(study) as session:
        before = session.scalar(select(func.count()).select_from(Transcript))
    on_disk = transcripts_on_disk(db)
    study.dispose()
    child = subprocess.Popen(
        [sys.executable, "-m", "qualcarto", "--db", f"sqlite:///{db}", "import", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while transcripts_on_disk(db) < on_disk + 20 and time.monotonic() < deadline:
        assert child.poll() is None, "the import ended before it could be killed"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert transcripts_on_disk(db) >= on_disk + 20  # batches were committed...
    reader = connect(f"sqlite:///{db}", upgrade=False)
    with read_scope(reader) as session:  # ...and nobody sees them
        assert session.scalar(select(func.count()).select_from(Transcript)) == before
    reader.dispose()
    connect(f"sqlite:///{db}").dispose()  # opening the store cleans up
    assert transcripts_on_disk(db) == on_disk
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        assert (
            conn.execute("SELECT count(*) FROM turns").fetchone()[0]
            == conn.execute(
                "SELECT count(*) FROM turns WHERE transcript_id IN (SELECT id FROM transcripts)"
            ).fetchone()[0]
        )

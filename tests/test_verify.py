# SPDX-License-Identifier: MIT
"""`qualcarto verify`: a store damaged behind qualcarto's back is reported, and left as it is.

Each case breaks one promise of the data model with raw SQL, as a disk fault, a
hand edit or a bad restore would, and expects verify to name the check, the row and
the problem. Run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from backends import *  # noqa: F403 (the backend fixtures)
from backends import make_study
from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import session_scope
from qualcarto.store.migrate import head_revision
from qualcarto.verify import verify_store

# (raw SQL that breaks the store, the check that must fire, words the report must hold)
DAMAGE = [
    ('UPDATE codings SET "end" = 100000', "coding-offsets", "is not inside 0-"),
    ("UPDATE codings SET text = 'tampered'", "coding-excerpt", "excerpt differs from text["),
    (
        "UPDATE codings SET original_code_id = 'ghost'",
        "coding-code",
        "code 'ghost' is not in codebook version 1",
    ),
    (
        "UPDATE codings SET code_id = 'ghost'",
        "coding-code",
        "code 'ghost' is not in the newest codebook version 1",
    ),
    ("UPDATE transcripts SET checksum = 'deadbeef'", "transcript-checksum", "does not match"),
    ("UPDATE transcripts SET length = length + 1", "transcript-length", "but text has"),
    (
        "UPDATE transcripts SET text = replace(text, 'Welcome', 'Welcome\r')",
        "transcript-normalized",
        "is not NFC with \\n newlines",
    ),
    ('UPDATE turns SET "end" = 100000 WHERE "index" = 0', "turn-offsets", "is not inside 0-"),
    ("UPDATE segments SET turn_index = 99", "segment-offsets", "is not inside its turn 99"),
    ("UPDATE alembic_version SET version_num = '0001'", "schema", "is at revision 0001"),
]


@pytest.fixture
def coded_study(backend_study: Engine) -> Engine:
    with session_scope(backend_study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "first words")
    return backend_study


def _damage(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_a_sound_store_verifies_clean(
    coded_study: Engine, backend_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", backend_url, "verify"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 transcripts, ")


@pytest.mark.parametrize(("damage", "check", "words"), DAMAGE, ids=[d[1] for d in DAMAGE])
def test_each_kind_of_damage_is_reported(
    coded_study: Engine,
    backend_url: str,
    damage: str,
    check: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _damage(coded_study, damage)
    assert main(["--db", backend_url, "verify", "--json"]) == 2
    captured = capsys.readouterr()
    found = json.loads(captured.out)
    assert [p for p in found if p["check"] == check and words in p["detail"]], found
    assert re.search(r"\d+ integrity problems? found; nothing was changed", captured.err)


def test_a_dangling_foreign_key_in_a_sqlite_file_is_reported(tmp_path: Path) -> None:
    engine = make_study(f"sqlite:///{tmp_path / 'store.db'}", tmp_path)
    with session_scope(engine) as session:
        add_coding(session, "P1", 0, 11, "access", "ana")
    raw = sqlite3.connect(tmp_path / "store.db")  # foreign keys are off unless turned on
    with raw:
        raw.execute("DELETE FROM users WHERE name = 'ana'")
    raw.close()
    with session_scope(engine) as session:
        problems = verify_store(session)
    engine.dispose()
    assert [(p.check, p.detail) for p in problems] == [
        ("foreign-key", "points to a missing users row")
    ]


def test_verify_changes_nothing_not_even_an_old_schema(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    engine = make_study(f"sqlite:///{path}", tmp_path)
    _damage(engine, "UPDATE alembic_version SET version_num = '0001'")
    engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert head_revision() != "0001"
    assert main(["--db", str(path), "verify"]) == 2  # reported, not upgraded
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

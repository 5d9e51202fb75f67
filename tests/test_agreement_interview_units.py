# SPDX-License-Identifier: MIT
"""Turn and question-answer units on a toy interview worked out by hand.

Text of 100 characters, four turns: Q1 [0,20) by the interviewer, A1 [20,50), Q2 [50,60)
by the interviewer, A2 [60,100). Question-answer pairs: [0,50) and [50,100).

ana codes X at [25,45) (inside A1) and Y at [55,70) (across Q2 and A2);
ben codes X at [10,30) (across Q1 and A1) and nothing else.

By turn (units Q1, A1, Q2, A2), code present?
  X: ana -, +, -, -   ben +, +, -, -   -> agree on 3 of 4 turns
  Y: ana -, -, +, +   ben -, -, -, -   -> agree on 2 of 4 turns
By pair (units [0,50), [50,100)):
  X: ana +, -   ben +, -   -> agree on both
  Y: ana -, +   ben -, -   -> agree on 1 of 2
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qualcarto.agreement import (
    AgreementInputError,
    ReportOptions,
    agreement_report,
    code_table,
    transcript_table,
)
from qualcarto.agreement.interview_units import by_units, qa_pairs
from qualcarto.agreement_data import INTERVIEW_UNITS, agreement_data, interview_unit_data
from qualcarto.cli import main
from qualcarto.store import connect, session_scope

TURNS = [(0, 20, True), (20, 50, False), (50, 60, True), (60, 100, False)]
CODINGS = pd.DataFrame(
    [(1, "ana", "X", 25, 45), (1, "ana", "Y", 55, 70), (1, "ben", "X", 10, 30)],
    columns=["transcript_id", "coder", "code_id", "start", "end"],
)


def test_question_answer_pairs_run_to_the_next_question() -> None:
    assert qa_pairs(TURNS) == [(0, 50), (50, 100)]
    assert qa_pairs([(0, 5, False), (5, 9, True), (9, 12, False)]) == [(0, 5), (5, 12)]


def test_codings_are_counted_in_every_unit_they_overlap() -> None:
    rows, lengths = by_units(CODINGS, {1: [(s, e) for s, e, _ in TURNS]})
    assert lengths == {(1, 0): 20, (1, 1): 30, (1, 2): 10, (1, 3): 40}
    got = sorted((r.coder, r.code_id, r.transcript_id, r.start, r.end) for r in rows.itertuples())
    assert got == [
        ("ana", "X", (1, 1), 5, 25),
        ("ana", "Y", (1, 2), 5, 10),
        ("ana", "Y", (1, 3), 0, 10),
        ("ben", "X", (1, 0), 10, 20),
        ("ben", "X", (1, 1), 0, 10),
    ]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        ([(s, e) for s, e, _ in TURNS], {"X": 3 / 4, "Y": 2 / 4}),
        (qa_pairs(TURNS), {"X": 1.0, "Y": 1 / 2}),
    ],
)
def test_agreement_per_turn_and_per_pair(units: list[tuple[int, int]], expected: dict) -> None:
    rows, lengths = by_units(CODINGS, {1: units})
    report = agreement_report(rows, lengths, ["ana", "ben"], "document").set_index("code_id")
    for code, share in expected.items():
        assert report.loc[code, "percent_agreement"] == pytest.approx(share)


def test_overlapping_units_are_refused() -> None:
    with pytest.raises(AgreementInputError, match="overlap"):
        by_units(CODINGS, {1: [(0, 30), (20, 50)]})


@pytest.mark.parametrize("unit", ["turn", "qa"])
def test_the_cli_measures_turns_and_pairs_as_the_service_cuts_them(
    demo_db: Path, unit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{demo_db}"
    args = ["--db", url, "agreement", "--coders", "ana", "ben", "--unit", unit]
    assert main([*args, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    with session_scope(connect(url)) as session:
        data = agreement_data(session, ["ana", "ben"])
        cut = interview_unit_data(session, data, unit)
    expected = code_table(cut, ReportOptions("document"))
    rows = pd.DataFrame(shown["rows"])
    assert rows["code_id"].tolist() == expected["code_id"].tolist()
    assert np.allclose(rows["cohen_kappa"].astype(float), expected["cohen_kappa"], equal_nan=True)
    assert shown["unit"] == unit
    assert any(line.startswith(f"unit: {INTERVIEW_UNITS[unit]}") for line in shown["about"])
    assert main([*args, "--by", "transcript"]) == 0
    assert "#1" in capsys.readouterr().out


def test_a_transcripts_pooled_row_counts_its_turns_times_the_studys_codes(demo_db: Path) -> None:
    """Pooled per transcript, Cohen's kappa is worked out from a 2x2 table over every
    (turn of that transcript, code of the study): coded by a, by b, by both, by neither."""
    with session_scope(connect(f"sqlite:///{demo_db}")) as session:
        data = agreement_data(session, ["ana", "ben"])
        turns = interview_unit_data(session, data, "turn")
    pooled = transcript_table(turns, ReportOptions("document"), pool_units=True)
    assert turns.unit_parents is not None
    assert sorted(pooled["transcript"]) == sorted(set(turns.unit_parents.values()))
    codes = set(turns.codings["code_id"])
    used = {
        coder: set(zip(rows["transcript_id"], rows["code_id"], strict=True))
        for coder, rows in turns.codings.groupby("coder")
    }
    both = pooled[(pooled["segments_a"] > 0) & (pooled["segments_b"] > 0)]
    assert len(both) >= 2
    for row in both.itertuples():
        cells = [
            (u, c) for u in turns.lengths if turns.unit_parents[u] == row.transcript for c in codes
        ]
        a = np.array([cell in used["ana"] for cell in cells])
        b = np.array([cell in used["ben"] for cell in cells])
        observed = float((a == b).mean())
        chance = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        assert row.percent_agreement == pytest.approx(observed)
        assert row.cohen_kappa == pytest.approx((observed - chance) / (1 - chance))

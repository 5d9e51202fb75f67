# SPDX-License-Identifier: MIT
"""Disagreement anatomy on a toy pair of coders worked out by hand.

Transcript 1 (100 characters)::

    a: X [0,10)   Y [20,30)   Z [50,60)   X [70,80)
    b: X [0,12)   W [20,30)               X [70,78)   V [90,95)

Transcript 2 (40 characters)::

    a: X [0,10)  Y [0,10)
    b: Y [0,10)  X [2,10)  Z [30,35)

Partners (same code first, then a different code nobody took):
  t1  X[0,10)->X[0,12) (start +0, end +2), Y->W (a swap), Z->(none), X[70,80)->X[70,78)
      (start 0, end -2), and b's V alone -> row (none);
  t2  X[0,10)->X[2,10) (start +2, end 0), Y->Y (same), b's Z alone -> row (none).

So the confusion matrix has X,X = 3; Y,Y = 1; Y,W = 1; Z,(none) = 1; (none),V = 1 and
(none),Z = 1. Boundaries of X: start differences 0, 0, 2 (median |.| 0, mean 2/3), end
differences 2, -2, 0 (median |.| 2, mean 0); Y: one pair with the same boundaries.
Tendencies, pooled: a has 6 segments of mean length 10 (all 10 long); b has 7 of lengths
12, 10, 8, 5, 10, 8, 5 (mean 58/7), so a's are longer and b has more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualcarto.agreement.anatomy import (
    NONE,
    boundary_differences,
    coder_tendencies,
    concentration,
    confusion_matrix,
    partners,
    swaps,
)

ROWS = [
    (1, "a", "X", 0, 10), (1, "a", "Y", 20, 30), (1, "a", "Z", 50, 60), (1, "a", "X", 70, 80),
    (1, "b", "X", 0, 12), (1, "b", "W", 20, 30), (1, "b", "X", 70, 78), (1, "b", "V", 90, 95),
    (2, "a", "X", 0, 10), (2, "a", "Y", 0, 10),
    (2, "b", "Y", 0, 10), (2, "b", "X", 2, 10), (2, "b", "Z", 30, 35),
]  # fmt: skip
CODINGS = pd.DataFrame(ROWS, columns=["transcript_id", "coder", "code_id", "start", "end"])


def test_partners_prefer_the_same_code_then_a_code_nobody_took() -> None:
    found = partners(CODINGS, "a", "b")
    got = {(int(r.transcript_id), r.code_a, r.code_b, int(r.shared)) for r in found.itertuples()}
    assert got == {
        (1, "X", "X", 10), (1, "Y", "W", 10), (1, "Z", NONE, 0), (1, "X", "X", 8),
        (1, NONE, "V", 0), (2, "X", "X", 8), (2, "Y", "Y", 10), (2, NONE, "Z", 0),
    }  # fmt: skip


def test_the_confusion_matrix_counts_swaps_and_one_sided_codings() -> None:
    table = confusion_matrix(CODINGS, "a", "b")
    axis = ["V", "W", "X", "Y", "Z", NONE]
    assert list(table.index) == axis and list(table.columns) == axis
    expected = pd.DataFrame(0, index=axis, columns=axis)
    expected.loc["X", "X"] = 3
    expected.loc["Y", "Y"] = 1
    expected.loc["Y", "W"] = 1
    expected.loc["Z", NONE] = 1
    expected.loc[NONE, "V"] = 1
    expected.loc[NONE, "Z"] = 1
    assert (table.to_numpy() == expected.to_numpy()).all()
    assert table.to_numpy().sum() == 8  # every distinct segment of a, plus b's lone ones
    assert swaps(CODINGS, "a", "b").to_dict("records") == [
        {"code_a": "Y", "code_b": "W", "segments": 1}
    ]


def test_boundary_differences_of_same_code_partners() -> None:
    table = boundary_differences(CODINGS, "a", "b").set_index("code_id")
    x = table.loc["X"]
    assert (x["pairs"], x["same_boundaries"]) == (3, 0)
    assert (x["start_median_abs"], x["end_median_abs"]) == (0.0, 2.0)
    assert x["start_mean"] == pytest.approx(2 / 3) and x["end_mean"] == 0.0
    y = table.loc["Y"]
    assert (y["pairs"], y["same_boundaries"], y["start_mean"]) == (1, 1, 0.0)
    pooled = table.loc["(all)"]
    assert (pooled["pairs"], pooled["same_boundaries"]) == (4, 1)
    assert pooled["end_median_abs"] == 1.0  # |2|, |-2|, |0|, |0|


def test_coder_tendencies_say_who_codes_more_and_longer() -> None:
    table = coder_tendencies(CODINGS, "a", "b").set_index("code_id")
    pooled = table.loc["(all)"]
    assert (pooled["segments_a"], pooled["segments_b"], pooled["more"]) == (6, 7, "b")
    assert pooled["mean_length_a"] == 10.0
    assert pooled["mean_length_b"] == pytest.approx(58 / 7)
    assert pooled["longer"] == "a"
    assert table.loc["X", "segments_a"] == 3 and table.loc["X", "segments_b"] == 3
    assert table.loc["V", "segments_a"] == 0 and np.isnan(table.loc["V", "mean_length_a"])
    assert table.loc["V", "longer"] == "="


def test_concentration_finds_codes_whose_disagreements_sit_in_few_transcripts() -> None:
    # Code P: 5 disagreements, 4 of them in T1, used in 8 transcripts -> half in 1 of 8.
    # Code Q: 4 disagreements spread over 4 of the 4 transcripts it is used in.
    unmatched = pd.DataFrame(
        [("P", "T1")] * 4 + [("P", "T2")] + [("Q", f"T{i}") for i in range(1, 5)],
        columns=["code_id", "transcript"],
    )
    used = pd.DataFrame(
        [("P", f"T{i}") for i in range(1, 9)] + [("Q", f"T{i}") for i in range(1, 5)],
        columns=["code_id", "transcript"],
    )
    table = concentration(unmatched, used).set_index("code_id")
    p, q = table.loc["P"], table.loc["Q"]
    assert (p["disagreements"], p["transcripts_used"], p["transcripts_with"]) == (5, 8, 2)
    assert (p["top_transcript"], p["top_share"], p["half_in"]) == ("T1", 0.8, 1)
    assert p["concentrated"] and not q["concentrated"]
    assert (q["half_in"], q["top_share"]) == (2, 0.25)
    assert list(table.index) == ["P", "Q"]
    assert concentration(unmatched.iloc[:0], used).empty

# SPDX-License-Identifier: MIT
"""Krippendorff's unitizing alpha: published examples, a brute-force port, properties."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.agreement import ALL_CODES, AgreementInputError, unitized_alpha

COLUMNS = ["transcript_id", "coder", "code_id", "start", "end"]


def frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def krippendorff_2004() -> tuple[pd.DataFrame, dict[str, int]]:
    """Krippendorff (2004) Content Analysis, p. 254: two observers, categories c and k, a
    continuum from 150 to 450 (shifted here to start at 0)."""
    units = [  # (begin, length, observer, category)
        (225, 70, "i", "c"), (370, 30, "i", "c"), (220, 80, "j", "c"), (355, 20, "j", "c"),
        (400, 20, "j", "c"), (180, 60, "i", "k"), (300, 50, "i", "k"), (180, 60, "j", "k"),
        (300, 50, "j", "k"),
    ]  # fmt: skip
    rows = [("text", o, c, b - 150, b - 150 + n) for b, n, o, c in units]
    return frame(rows), {"text": 300}


def krippendorff_1995(stretch: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """Krippendorff (1995) p. 57, examples A-D (one category each) on a 24-position
    continuum, every position stretched ``stretch`` times."""
    units = {
        "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
        "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1), (9, 1, 1)],
        "C": [(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0), (0, 2, 1), (4, 4, 1), (10, 4, 1),
              (16, 2, 1), (20, 2, 1)],
        "D": [(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0), (0, 4, 1), (4, 4, 1),
              (8, 7, 1), (15, 2, 1), (17, 7, 1)],
    }  # fmt: skip
    rows = [
        ("text", f"coder{who}", code, b * stretch, (b + n) * stretch)
        for code, spans in units.items()
        for b, n, who in spans
    ]
    return frame(rows), {"text": 24 * stretch}


def test_krippendorff_2004_worked_example() -> None:
    codings, lengths = krippendorff_2004()
    table = unitized_alpha(codings, lengths).set_index("code_id")
    assert table.loc["c", "observed_disagreement"] == pytest.approx(0.0144, abs=1e-4)
    assert table.loc["c", "expected_disagreement"] == pytest.approx(0.0532, abs=1e-4)
    assert table.loc["c", "unitized_alpha"] == pytest.approx(0.7286, abs=1e-3)
    assert table.loc["k", "observed_disagreement"] == 0.0
    assert table.loc["k", "expected_disagreement"] == pytest.approx(0.0490, abs=1e-4)
    assert table.loc["k", "unitized_alpha"] == 1.0
    # Published .8591 from rounded intermediates; exact .85867 (DKPro Statistics).
    assert table.loc[ALL_CODES, "unitized_alpha"] == pytest.approx(0.8591, abs=5e-4)


@pytest.mark.parametrize(
    ("code", "observed", "expected", "alpha"),
    [
        ("A", 0.03125, 0.06990, 0.553),
        ("B", 2.26736, 1.17731, -0.926),
        ("C", 0.02777, 0.08642, 0.679),
        ("D", 0.38715, 0.41445, 0.066),
    ],
)
def test_krippendorff_1995_examples(
    code: str, observed: float, expected: float, alpha: float
) -> None:
    # D_o is exact at any resolution; D_e counts discrete positions, so the published
    # values need a fine grid (x50,000), and DKPro notes a likely small error in the
    # published D_e: tolerances .005 and .02 as in DKPro's Krippendorff1995Test.
    coarse = unitized_alpha(*krippendorff_1995(1)).set_index("code_id")
    assert coarse.loc[code, "observed_disagreement"] == pytest.approx(observed, abs=1e-5)
    fine = unitized_alpha(*krippendorff_1995(50_000)).set_index("code_id")
    assert fine.loc[code, "expected_disagreement"] == pytest.approx(expected, abs=0.005)
    assert fine.loc[code, "unitized_alpha"] == pytest.approx(alpha, abs=0.02)


# --- a literal port of the definition, segment by segment -------------------------------


def segments(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """A coder's continuum for one code: units (merged where they share a character) and gaps."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, position = [], 0
    for s, e in merged:
        if s > position:
            out.append((position, s, False))
        out.append((s, e, True))
        position = e
    if position < length:
        out.append((position, length, False))
    return out


def delta2(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> float:
    (bg, eg, unit_g), (bh, eh, unit_h) = g, h
    if unit_g and unit_h and bg < eh and bh < eg:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0.0


def brute_force_alpha(
    codings: pd.DataFrame, lengths: dict[str, int], code: str
) -> tuple[float, float]:
    coders = sorted(set(codings.coder))
    m, L = len(coders), sum(lengths.values())
    continua = {
        (c, t): segments(
            [
                (r.start, r.end)
                for r in codings.itertuples()
                if r.coder == c and r.transcript_id == t and r.code_id == code
            ],
            n,
        )
        for c in coders
        for t, n in lengths.items()
    }
    observed = 0.0
    for c1, c2 in itertools.combinations(coders, 2):
        for t in lengths:
            for g in continua[(c1, t)]:
                for h in continua[(c2, t)]:
                    if g[0] < h[1] and h[0] < g[1]:
                        observed += delta2(g, h)
    D_o = 2 * observed / (m * (m - 1) * L**2)
    units = [e - s for segs in continua.values() for s, e, u in segs if u]
    gaps = [e - s for segs in continua.values() for s, e, u in segs if not u]
    N_c = len(units)
    numerator = sum(
        (N_c - 1) * (2 * n**3 - 3 * n**2 + n) / 3 + n**2 * sum(h - n + 1 for h in gaps if h >= n)
        for n in units
    )
    D_e = (2 / L) * numerator / (m * L * (m * L - 1) - sum(n * (n - 1) for n in units))
    return D_o, D_e


@st.composite
def studies(draw, n_coders: int = 2):  # type: ignore[no-untyped-def]
    lengths = {f"t{i}": draw(st.integers(1, 30)) for i in range(draw(st.integers(1, 2)))}
    rows = []
    for coder in "ABCD"[:n_coders]:
        for _ in range(draw(st.integers(1, 6))):
            t = draw(st.sampled_from(sorted(lengths)))
            s = draw(st.integers(0, lengths[t] - 1))
            e = draw(st.integers(s + 1, lengths[t]))
            rows.append((t, coder, draw(st.sampled_from(["x", "y"])), s, e))
    return frame(rows), lengths


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 3).flatmap(lambda m: studies(n_coders=m)))
def test_equals_brute_force_port_of_the_definition(study) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    table = unitized_alpha(codings, lengths).set_index("code_id")
    for code in sorted(set(codings.code_id)):
        D_o, D_e = brute_force_alpha(codings, lengths, code)
        assert table.loc[code, "observed_disagreement"] == pytest.approx(D_o, rel=1e-9, abs=1e-12)
        assert table.loc[code, "expected_disagreement"] == pytest.approx(D_e, rel=1e-9, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(studies(), st.randoms(use_true_random=False))
def test_symmetric_in_coders_and_invariant_to_order(study, random) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    order = sorted(lengths)
    random.shuffle(order)
    base = unitized_alpha(codings, lengths)
    shuffled = unitized_alpha(
        codings.sample(frac=1.0, random_state=random.randint(0, 99)),
        {t: lengths[t] for t in order},
        coders=("B", "A"),
    )
    pd.testing.assert_frame_equal(base, shuffled)


def test_identical_codings_give_one() -> None:
    spans = [("t1", "x", 0, 10), ("t1", "x", 20, 25), ("t2", "y", 3, 9), ("t2", "x", 5, 7)]
    rows = [(t, c, code, s, e) for c in "ABC" for t, code, s, e in spans]
    table = unitized_alpha(frame(rows), {"t1": 40, "t2": 12})
    assert (table["unitized_alpha"] == 1.0).all()
    assert (table["observed_disagreement"] == 0.0).all()


def test_needs_two_coders() -> None:
    with pytest.raises(AgreementInputError, match="at least 2 coders"):
        unitized_alpha(frame([("t", "A", "x", 0, 3)]), {"t": 5})


def test_alpha_falls_as_boundaries_drift() -> None:
    values = []
    for drift in (0, 2, 5, 10):
        rows = [("t", "A", "x", 20, 60), ("t", "B", "x", 20 + drift, 60 + drift)]
        values.append(unitized_alpha(frame(rows), {"t": 200}).iloc[0]["unitized_alpha"])
    assert values == sorted(values, reverse=True)
    assert values[0] == 1.0
    assert np.all(np.diff(values) < 0)

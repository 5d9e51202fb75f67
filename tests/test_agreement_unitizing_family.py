# SPDX-License-Identifier: MIT
"""The unitizing alphas of Krippendorff, Mathet, Bouvry & Widlöcher (2016).

We did not find the paper's worked examples (their numbers) in the material we could
search, so the family is specified here by a toy worked out by hand and by a
brute-force implementation of the definitions (character by character, in plain
Python) that the vectorised one must match on random studies.

Toy, one transcript of 10 characters, one code X: coder A codes [0,4), coder B [2,6).
Per character (A, B): 0-1 (X, φ), 2-3 (X, X), 4-5 (φ, X), 6-9 (φ, φ). Both orders of the
pair, m − 1 = 1: l_XX = 4, l_Xφ = l_φX = 4, l_φφ = 8, l_.. = 20; n_X = 8, n_φ = 12.
S_X = 4² + 4² = 32 (two units), S_φ = 6 + (2 + 4) = 12 (gaps). e_Xφ = 20·8·12/(400 − 44)
= 1920/356. uα = 1 − 8/(2·1920/356) = 1 − 2848/3840 = 31/120; |uα the same (one code).
"""

from __future__ import annotations

import json
import random
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qualcarto.agreement.unitizing_family import unitizing_family
from qualcarto.agreement_data import agreement_data
from qualcarto.cli import main
from qualcarto.store import connect, session_scope

COLUMNS = ["transcript_id", "coder", "code_id", "start", "end"]
PHI = None


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def by_measure(frame: pd.DataFrame) -> dict[tuple[str, object], float]:
    return {(r.measure, r.code_id): r.alpha for r in frame.itertuples()}


def test_the_toy_worked_by_hand() -> None:
    found = by_measure(unitizing_family(table([(1, "A", "X", 0, 4), (1, "B", "X", 2, 6)]),
                                        {1: 10}))  # fmt: skip
    assert found[("uα", "(all)")] == pytest.approx(31 / 120)
    assert found[("|uα", "(all)")] == pytest.approx(31 / 120)
    assert np.isnan(found[("cuα", "(all)")])  # one code: no coding disagreement is possible


def test_identical_coders_agree_perfectly() -> None:
    rows = [(1, c, code, s, e) for c in ("A", "B", "C")
            for code, s, e in (("X", 0, 3), ("Y", 5, 9))]  # fmt: skip
    found = unitizing_family(table(rows), {1: 12})
    assert (found["alpha"] == 1.0).all()


def test_two_codes_on_the_same_characters_leave_the_coded_family_undefined() -> None:
    rows = [(1, "A", "X", 0, 4), (1, "A", "Y", 2, 6), (1, "B", "X", 0, 4)]
    found = unitizing_family(table(rows), {1: 10}).set_index(["measure", "code_id"])
    assert found.loc[("|uα", "(all)"), "alpha"] == pytest.approx(_brute(rows, {1: 10})["|uα"])
    assert np.isnan(found.loc[("uα", "(all)"), "alpha"])
    assert "A put two codes on the same characters" in found.loc[("uα", "(all)"), "note"]


# ---- brute force: the definitions, character by character ----


def _units(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sharing a character are one unit; touching ones stay two."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _family(values: dict, units: dict, gaps: dict, coders: list, cats: list) -> dict:
    """uα from per-character values, units (coder -> [(cat, start, end)]) and gap lengths."""
    m = len(coders)
    positions = len(values[coders[0]])
    l = {(c, k): 0.0 for c in cats for k in cats}  # noqa: E741
    for i in coders:
        for j in coders:
            if i != j:
                for p in range(positions):
                    l[(values[i][p], values[j][p])] += 1 / (m - 1)
    return {"l": l, "units": units, "gaps": gaps, "m": m}


def _alpha(l: dict, S: dict, cats: list) -> float:  # noqa: E741
    total = sum(l.values())
    n = {c: sum(l[(c, k)] for k in cats) for c in cats}
    denominator = total**2 - sum(S.values())
    e = {(c, k): total * (n[c] * n[k] - (S[c] if c == k else 0)) / denominator
         for c in cats for k in cats}  # fmt: skip
    D_o = sum(v for (c, k), v in l.items() if c != k)
    D_e = sum(v for (c, k), v in e.items() if c != k)
    return 1 - D_o / D_e if D_e > 0 else float("nan"), e  # type: ignore[return-value]


def _brute(rows: list[tuple], lengths: dict, only: str | None = None) -> dict[str, object]:
    """The family by the definitions; ``only``: |uα of one code's codings alone."""
    coders = sorted({r[1] for r in rows})
    codes = sorted({r[2] for r in rows})
    offset, start = {}, 0
    for t in sorted(lengths):
        offset[t], start = start, start + lengths[t]
    L = start
    bounds = {offset[t] for t in lengths}

    def partition(label) -> tuple[dict, dict, dict]:  # type: ignore[no-untyped-def]
        values, units, gaps = {}, {}, {}
        for i in coders:
            row = [PHI] * L
            units[i] = []
            keys = {label(r[2]) for r in rows if r[1] == i}
            for key in sorted(keys, key=str):
                spans = [(offset[r[0]] + r[3], offset[r[0]] + r[4]) for r in rows
                         if r[1] == i and label(r[2]) == key]  # fmt: skip
                for s, e in _units(spans):
                    units[i].append((key, s, e))
                    for p in range(s, e):
                        row[p] = key if row[p] in (PHI, key) else "clash"
            values[i] = row
            runs, length = [], 0
            for p in range(L):
                if p in bounds or (p and (row[p] is PHI) != (row[p - 1] is PHI)):
                    if length:
                        runs.append(length)
                    length = 0
                if row[p] is PHI:
                    length += 1
            runs.append(length)
            gaps[i] = [g for g in runs if g]
        return values, units, gaps

    out: dict[str, object] = {}
    if only is not None:
        rows = [r for r in rows if r[2] == only]
    values, units, gaps = partition(lambda code: "coded")
    cats = [PHI, "coded"]
    l = _family(values, units, gaps, coders, cats)["l"]  # noqa: E741
    S = {PHI: sum(sum(g) for g in gaps.values()),
         "coded": sum((e - s) ** 2 for u in units.values() for _, s, e in u)}  # fmt: skip
    out["|uα"] = _alpha(l, S, cats)[0]
    if only is not None:
        return out
    values, units, gaps = partition(lambda code: code)
    if any("clash" in row for row in values.values()):
        return out
    cats = [PHI, *codes]
    l = _family(values, units, gaps, coders, cats)["l"]  # noqa: E741
    S = {c: sum((e - s) ** 2 for u in units.values() for k, s, e in u if k == c) for c in codes}
    S[PHI] = sum(sum(g) for g in gaps.values())
    out["uα"] = _alpha(l, S, cats)[0]
    star = {(c, k): l[(c, k)] for c in codes for k in codes}
    S_star = dict.fromkeys(codes, 0)
    for i in coders:
        for c, s, e in units[i]:
            pairable = sum(1 for p in range(s, e)
                           if any(values[j][p] is not PHI for j in coders if j != i))  # fmt: skip
            S_star[c] += pairable**2
    if sum(star.values()) ** 2 > sum(S_star.values()):
        out["cuα"], e_star = _alpha(star, S_star, codes)
        for k in codes:
            col_l = sum(star[(c, k)] for c in codes)
            col_e = sum(e_star[(c, k)] for c in codes)
            D_e = col_e - e_star[(k, k)]
            out[k] = (1 - (col_e / col_l) * (col_l - star[(k, k)]) / D_e
                      if col_l > 0 and D_e > 0 else float("nan"))  # fmt: skip
    return out


def _random_study(rng: random.Random) -> tuple[list[tuple], dict[int, int]]:
    lengths = {t: rng.randint(5, 25) for t in range(1, rng.randint(1, 3) + 1)}
    rows = []
    for coder in ("A", "B", "C")[: rng.randint(2, 3)]:
        for t, n in lengths.items():
            cuts = sorted(rng.sample(range(n + 1), rng.randint(2, min(n + 1, 7))))
            for s, e in pairwise(cuts):
                if e > s and rng.random() < 0.6:
                    rows.append((t, coder, rng.choice("XYZ"[: rng.randint(1, 3)]), s, e))
        if not any(r[1] == coder for r in rows):
            rows.append((1, coder, "X", 0, 1))
    return rows, lengths


@pytest.mark.parametrize("seed", range(40))
def test_the_vectorised_family_equals_the_definitions_by_brute_force(seed: int) -> None:
    rows, lengths = _random_study(random.Random(seed))
    expected = _brute(rows, lengths)
    found = unitizing_family(table(rows), lengths)
    got = {(r.code_id, r.measure): r.alpha for r in found.itertuples()}
    for name in ("|uα", "uα", "cuα"):
        if name in expected:
            assert got[("(all)", name)] == pytest.approx(expected[name], nan_ok=True), name
    for code in sorted({r[2] for r in rows}):
        if code in expected:
            assert got[(code, "(k)uα")] == pytest.approx(expected[code], nan_ok=True), code
        alone = _brute(rows, lengths, only=code)["|uα"]
        assert got[(code, "|uα")] == pytest.approx(alone, nan_ok=True), code


def test_the_cli_prints_the_family_of_the_stored_codings(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{demo_db}"
    assert main(["--db", url, "agreement", "--coders", "ana", "ben", "--by", "unitizing",
                 "--format", "json"]) == 0  # fmt: skip
    rows = pd.DataFrame(json.loads(capsys.readouterr().out)["rows"])
    with session_scope(connect(url)) as session:
        data = agreement_data(session, ["ana", "ben"])
    expected = unitizing_family(data.codings, data.lengths, data.coders)
    assert rows["measure"].tolist() == expected["measure"].tolist()
    assert np.allclose(rows["alpha"].astype(float), expected["alpha"], equal_nan=True)
    binary = rows[(rows["measure"] == "|uα") & (rows["code_id"] == "(all)")]["alpha"]
    assert 0 < float(binary.iloc[0]) <= 1
    assert main(["--db", url, "agreement", "--coders", "ana", "ben", "--by", "unitizing"]) == 0
    assert "put two codes on the same characters" in capsys.readouterr().out

# SPDX-License-Identifier: MIT
"""Gwet's AC1, Fleiss' kappa and Brennan-Prediger against irrCAC, Gwet's own reference code.

irrCAC (PyPI ``irrCAC``, the Python port of Gwet's R package of the same name) computes
the coefficients of Gwet (2014) and ships two of the published data sets we test with:
Krippendorff's (2011) 4 x 12 reliability data (``raw_4raters``) and Ben and Gerry
(``raw_ben_gerry``). It pins pandas < 3 and an old scipy, so ``scripts/test.sh`` installs
it with ``pip --no-deps``; its raw-ratings code runs on pandas 3 with one caveat: the
categories must be passed explicitly, because pandas 3's ``DataFrame.stack()`` keeps NaN
and irrCAC would count "missing" as a category. Without irrCAC these tests are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qualcarto.agreement import (
    UndefinedAgreementError,
    brennan_prediger,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from test_agreement_measures import (
    BEN_GERRY,
    COHEN_1960_EXAMPLE_1,
    COHEN_1960_EXAMPLE_2,
    FLEISS_1971,
    KRIPPENDORFF_2011,
    ratings_from_table,
)

SKIP = "irrCAC not installed (scripts/test.sh installs it with pip install --no-deps irrCAC)"
irrcac_raw: Any = pytest.importorskip("irrCAC.raw", reason=SKIP)
irrcac_datasets: Any = pytest.importorskip("irrCAC.datasets", reason=SKIP)

# Gwet (2008) p. 37 style hand example (carried in DKPro Statistics' Gwet2008Test):
# 8 yes/yes, 1 no/no, 1 yes/no.
GWET_2008 = [["y"] * 8 + ["n", "y"], ["y"] * 8 + ["n", "n"]]

PUBLISHED: dict[str, tuple[list[list[Any]], list[Any]]] = {
    "Krippendorff (2011) 4 x 12": (KRIPPENDORFF_2011, [1, 2, 3, 4, 5]),
    "Ben and Gerry (Gwet 2014)": (BEN_GERRY, list("abcde")),
    "Fleiss (1971) 6 x 30": (np.array(FLEISS_1971).T.tolist(), [1, 2, 3, 4, 5]),
    "Gwet (2008) yes/no": (GWET_2008, ["n", "y"]),
    "Cohen (1960) p. 37": (ratings_from_table(COHEN_1960_EXAMPLE_1), [1, 2, 3]),
    "Cohen (1960) p. 45": (ratings_from_table(COHEN_1960_EXAMPLE_2), [1, 2, 3]),
}


def reference(ratings: Sequence[Sequence[Any]], categories: list[Any]) -> Any:
    """irrCAC's calculator on coders x units ratings (it wants units x raters, NaN missing)."""
    frame = pd.DataFrame(
        {f"rater{i}": [np.nan if v is None else v for v in row] for i, row in enumerate(ratings)}
    )
    return irrcac_raw.CAC(frame, categories=categories, digits=15)


def value(result: dict[str, Any]) -> float:
    return float(result["est"]["coefficient_value"])


def test_irrcac_ships_the_published_data_sets_we_test_with() -> None:
    # The same values per unit as our constants, so the comparisons below are on published
    # data. (Gwet's copy of Krippendorff's data puts unit 12's single value under rater 3
    # instead of rater 2; Fleiss, AC1, BP and alpha treat coders as exchangeable.)
    four = irrcac_datasets.raw_4raters()
    shipped = [sorted(row.dropna().tolist()) for _, row in four.iterrows()]
    ours = [
        sorted(v for v in unit if v is not None) for unit in zip(*KRIPPENDORFF_2011, strict=True)
    ]
    assert shipped == ours
    ben_gerry = irrcac_datasets.raw_ben_gerry()
    got = [[None if pd.isna(v) else v for v in ben_gerry[c]] for c in ("Ben", "Gerry")]
    assert got == BEN_GERRY


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_published_examples_equal_irrcac(name: str) -> None:
    ratings, categories = PUBLISHED[name]
    cac = reference(ratings, categories)
    assert gwet_ac1(ratings, categories) == pytest.approx(value(cac.gwet()), abs=1e-12)
    assert fleiss_kappa(ratings) == pytest.approx(value(cac.fleiss()), abs=1e-12)
    assert brennan_prediger(ratings, categories) == pytest.approx(value(cac.bp()), abs=1e-12)
    assert percent_agreement(ratings) == pytest.approx(cac.gwet()["est"]["pa"], abs=1e-12)


def test_krippendorff_2011_alpha_equals_irrcac() -> None:
    cac = reference(KRIPPENDORFF_2011, [1, 2, 3, 4, 5])
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(
        value(cac.krippendorff()), abs=1e-12
    )


random_ratings = st.integers(min_value=2, max_value=5).flatmap(
    lambda m: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=m, max_size=m),
        min_size=2,
        max_size=20,
    ).map(lambda units: [list(col) for col in zip(*units, strict=True)])
)


@settings(max_examples=30, deadline=None)
@given(random_ratings)
def test_random_ratings_with_missing_values_equal_irrcac(ratings: list[list[int | None]]) -> None:
    categories = [0, 1, 2, 3]
    # irrCAC's variance divides by n(n - 1), n = units with any rating: it needs two.
    assume(sum(any(v is not None for v in unit) for unit in zip(*ratings, strict=True)) >= 2)
    try:
        ours = [gwet_ac1(ratings, categories), fleiss_kappa(ratings)]
    except UndefinedAgreementError:
        return  # irrCAC divides by zero or returns nan there; we raise (tested elsewhere)
    cac = reference(ratings, categories)
    assert ours == pytest.approx([value(cac.gwet()), value(cac.fleiss())], abs=1e-9)
    bp = brennan_prediger(ratings, categories)
    assert bp == pytest.approx(value(cac.bp()), abs=1e-9)

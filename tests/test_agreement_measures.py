# SPDX-License-Identifier: MIT
"""Agreement coefficients on coders x units ratings: published examples, references, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.agreement import (
    AgreementInputError,
    UndefinedAgreementError,
    brennan_prediger,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", reliability data
# with missing values: 4 coders (rows) x 12 units.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Fleiss (1971), Psychological Bulletin 76:378-382, p. 379: 30 patients, 6 psychiatrists,
# 5 diagnoses (one row per patient).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, counts per category.
WIKIPEDIA_FLEISS_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip

# Cohen (1960) p. 45 and Cohen (1968) p. 216: 200 units, rows coder 1, columns coder 2.
COHEN_1960_EXAMPLE_2 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
# Cohen (1960) p. 37.
COHEN_1960_EXAMPLE_1 = [[25, 12, 3], [13, 2, 15], [12, 16, 2]]
# Ben and Gerry, 2 raters x 12 units with one missing value (Gwet 2014 Handbook, data set
# shipped with irrCAC as raw_ben_gerry).
BEN_GERRY = [
    ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"],
    ["b", "a", "b", "b", "b", "c", "c", "c", "e", None, "d", "d"],
]


def ratings_from_table(table: list[list[int]]) -> list[list[int]]:
    """Two coders' ratings (categories 1..q) reproducing a contingency table."""
    first: list[int] = []
    second: list[int] = []
    for i, row in enumerate(table):
        for j, n in enumerate(row):
            first += [i + 1] * n
            second += [j + 1] * n
    return [first, second]


def ratings_from_counts(counts: list[list[int]]) -> list[list[int | None]]:
    """Coders x units ratings with the given per-unit category counts (raters exchangeable)."""
    columns = [[k for k, n in enumerate(row) for _ in range(n)] for row in counts]
    return [list(col) for col in zip(*columns, strict=True)]


# --- published worked examples -----------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_reliability_data(level: str, published: float) -> None:
    # Krippendorff (2011), sec. C-E: alpha of the 4 x 12 data at each level.
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=1e-3)  # type: ignore[arg-type]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_2011_against_krippendorff_package(level: str) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    data = np.array(KRIPPENDORFF_2011, dtype=float)
    reference = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(reference, abs=1e-12)  # type: ignore[arg-type]


def test_krippendorff_2011_multi_rater_coefficients() -> None:
    # irrCAC (Gwet 2014 Handbook, p. 120, the same data): Fleiss 0.76117 (Gwet's
    # generalisation for missing ratings), AC1 0.775 (p_a .818, p_e .190), BP 0.773.
    assert fleiss_kappa(KRIPPENDORFF_2011) == pytest.approx(0.76117, abs=1e-5)
    assert gwet_ac1(KRIPPENDORFF_2011) == pytest.approx(0.775, abs=1e-3)
    assert brennan_prediger(KRIPPENDORFF_2011, [1, 2, 3, 4, 5]) == pytest.approx(0.773, abs=1e-3)
    assert percent_agreement(KRIPPENDORFF_2011) == pytest.approx(0.818, abs=1e-3)


def test_binary_two_coder_example_of_krippendorff_and_atlas_ti() -> None:
    # Krippendorff (2011) sec. A and the ATLAS.ti 9 manual's illustration: 60% agreement,
    # alpha .095.
    ratings = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert percent_agreement(ratings) == pytest.approx(0.6)
    assert krippendorff_alpha(ratings) == pytest.approx(0.095, abs=1e-3)


@pytest.mark.parametrize(
    ("table", "published"),
    [
        (COHEN_1960_EXAMPLE_2, 0.492),  # Cohen (1960) p. 45
        (COHEN_1960_EXAMPLE_1, (0.29 - 0.35) / (1 - 0.35)),  # Cohen (1960) p. 37: p_o .29, p_e .35
        ([[20, 5], [10, 15]], 0.4),  # Wikipedia "Cohen's kappa", worked example
        ([[0, 4, 1], [0, 8, 0], [0, 1, 5]], 0.4842),  # SAS PROC FREQ printout (statsmodels tests)
    ],
)
def test_cohen_kappa_published(table: list[list[int]], published: float) -> None:
    assert cohen_kappa(ratings_from_table(table)) == pytest.approx(published, abs=1e-3)


def test_weighted_kappa_cohen_1968() -> None:
    # Cohen (1968) p. 216: disagreement weights v = [[0,1,3],[1,0,6],[3,6,0]] on the
    # Cohen (1960) p. 45 table give kappa_w = .348; the asymmetric weights of the same
    # paper give .353, and .421 transposed.
    ratings = ratings_from_table(COHEN_1960_EXAMPLE_2)
    v = np.array([[0, 1, 3], [1, 0, 6], [3, 6, 0]])
    assert cohen_kappa(ratings, weights=1 - v / v.max()) == pytest.approx(0.348, abs=1e-3)
    asymmetric = np.array([[0, 1, 4], [1, 0, 6], [2, 2, 0]])
    assert cohen_kappa(ratings, weights=1 - asymmetric / 6) == pytest.approx(0.353, abs=1e-3)
    assert cohen_kappa(ratings, weights=1 - asymmetric.T / 6) == pytest.approx(0.421, abs=1e-3)


def test_weighted_kappa_linear_sas_example() -> None:
    # SAS PROC FREQ weighted kappa (Cicchetti-Allison = linear weights) on a 3x3 table,
    # printout reproduced in statsmodels' test_inter_rater.py: 0.4701.
    ratings = ratings_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert cohen_kappa(ratings, weights="linear") == pytest.approx(0.4701, abs=1e-4)


def test_fleiss_1971() -> None:
    # Fleiss (1971) p. 379-380: kappa = .430 (P-bar .5556, P-bar_e .2201).
    ratings = np.array(FLEISS_1971).T
    assert fleiss_kappa(ratings) == pytest.approx(0.430, abs=1e-3)
    assert percent_agreement(ratings) == pytest.approx(0.5556, abs=1e-4)


def test_fleiss_wikipedia_example() -> None:
    # Wikipedia "Fleiss' kappa", worked example: kappa = 0.210, P-bar = 0.378.
    ratings = ratings_from_counts(WIKIPEDIA_FLEISS_COUNTS)
    assert fleiss_kappa(ratings) == pytest.approx(0.210, abs=1e-3)
    assert percent_agreement(ratings) == pytest.approx(0.378, abs=1e-3)


@pytest.mark.parametrize(
    ("ratings", "published"),
    [
        # Gwet (2008) definition, hand example carried in DKPro Statistics' Gwet2008Test:
        # 8 yes/yes, 1 no/no, 1 yes/no -> p_e .255, AC1 .8658.
        ([["y"] * 8 + ["n", "y"], ["y"] * 8 + ["n", "n"]], 0.8658),
        # Cohen (1960) tables under Gwet's AC1 (DKPro Statistics Gwet2008Test).
        (ratings_from_table(COHEN_1960_EXAMPLE_1), -0.0480),
        (ratings_from_table(COHEN_1960_EXAMPLE_2), 0.5760),
        # Ben and Gerry (Gwet 2014; irrCAC): AC1 .661 (p_a .727, p_e .194).
        (BEN_GERRY, 0.661),
    ],
)
def test_gwet_ac1_published(ratings: list[list[object]], published: float) -> None:
    assert gwet_ac1(ratings) == pytest.approx(published, abs=1e-3)


def test_brennan_prediger_ben_gerry() -> None:
    # irrCAC: BP = .659 for Ben and Gerry, q = 5.
    assert brennan_prediger(BEN_GERRY, list("abcde")) == pytest.approx(0.659, abs=1e-3)


def test_unused_declared_category_changes_ac1_and_bp_but_not_kappa() -> None:
    ratings = ratings_from_table(COHEN_1960_EXAMPLE_2)
    assert gwet_ac1(ratings, categories=[1, 2, 3, 4]) != pytest.approx(gwet_ac1(ratings))
    assert brennan_prediger(ratings, [1, 2, 3, 4]) != pytest.approx(
        brennan_prediger(ratings, [1, 2, 3])
    )
    assert cohen_kappa(ratings, categories=[1, 2, 3, 4]) == pytest.approx(cohen_kappa(ratings))


# --- reference implementations -------------------------------------------------------------

small_ratings = st.integers(min_value=2, max_value=5).flatmap(
    lambda m: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=m, max_size=m),
        min_size=2,
        max_size=25,
    ).map(lambda units: [list(col) for col in zip(*units, strict=True)])
)
complete_pairs = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=40
).map(lambda pairs: [[a for a, _ in pairs], [b for _, b in pairs]])


def _defined(f, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return f(*args, **kwargs)
    except UndefinedAgreementError:
        return None


@settings(max_examples=60, deadline=None)
@given(small_ratings, st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff_package(ratings: list[list[int | None]], level: str) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    ours = _defined(krippendorff_alpha, ratings, level)
    if ours is None:
        return
    data = np.array([[np.nan if v is None else v for v in row] for row in ratings])
    reference = krippendorff.alpha(
        reliability_data=data, level_of_measurement=level, value_domain=[0, 1, 2, 3]
    )
    assert ours == pytest.approx(reference, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(complete_pairs, st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_matches_statsmodels(ratings: list[list[int]], weights: str | None) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    categories = sorted(set(ratings[0]) | set(ratings[1]))
    ours = _defined(cohen_kappa, ratings, weights)  # type: ignore[arg-type]
    if ours is None:
        return
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in zip(*ratings, strict=True):
        table[index[a], index[b]] += 1
    reference = inter_rater.cohens_kappa(table, wt=weights, return_results=False)
    assert ours == pytest.approx(reference, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda m: st.lists(
            st.lists(st.integers(0, 3), min_size=m, max_size=m), min_size=2, max_size=20
        )
    )
)
def test_fleiss_matches_statsmodels_and_nltk(units: list[list[int]]) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    ratings = [list(col) for col in zip(*units, strict=True)]
    ours = _defined(fleiss_kappa, ratings)
    if ours is None:
        return
    table, _ = inter_rater.aggregate_raters(np.array(units))
    assert ours == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-9)
    agreement = pytest.importorskip("nltk.metrics.agreement")
    triples = [(c, u, v) for c, row in enumerate(ratings) for u, v in enumerate(row)]
    task = agreement.AnnotationTask(data=triples)
    assert ours == pytest.approx(task.pi(), abs=1e-9)
    assert percent_agreement(ratings) == pytest.approx(task.avg_Ao(), abs=1e-9)


def test_brennan_prediger_matches_nltk_bennett_s() -> None:
    agreement = pytest.importorskip("nltk.metrics.agreement")
    ratings = ratings_from_table(COHEN_1960_EXAMPLE_2)
    triples = [(c, u, v) for c, row in enumerate(ratings) for u, v in enumerate(row)]
    task = agreement.AnnotationTask(data=triples)
    assert brennan_prediger(ratings, [1, 2, 3]) == pytest.approx(task.S(), abs=1e-9)


# --- properties ----------------------------------------------------------------------------

MEASURES = {
    "percent_agreement": percent_agreement,
    "fleiss_kappa": fleiss_kappa,
    "krippendorff_alpha": krippendorff_alpha,
    "gwet_ac1": gwet_ac1,
    "brennan_prediger": lambda r: brennan_prediger(r, [0, 1, 2, 3]),
}


@settings(max_examples=40, deadline=None)
@given(small_ratings, st.randoms(use_true_random=False))
def test_measures_symmetric_in_coders_and_units(ratings, random) -> None:  # type: ignore[no-untyped-def]
    coder_order = list(range(len(ratings)))
    unit_order = list(range(len(ratings[0])))
    random.shuffle(coder_order)
    random.shuffle(unit_order)
    shuffled = [[ratings[i][u] for u in unit_order] for i in coder_order]
    for measure in MEASURES.values():
        original, permuted = _defined(measure, ratings), _defined(measure, shuffled)
        assert (original is None) == (permuted is None)
        if original is not None:
            assert permuted == pytest.approx(original, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(complete_pairs)
def test_cohen_kappa_symmetric_in_coders(ratings: list[list[int]]) -> None:
    for weights in (None, "linear", "quadratic"):
        forward = _defined(cohen_kappa, ratings, weights)
        backward = _defined(cohen_kappa, ratings[::-1], weights)
        assert (
            forward == pytest.approx(backward, abs=1e-12)
            if forward is not None
            else backward is None
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=2, max_size=30), st.integers(2, 5))
def test_identical_codings_give_one_or_a_clear_error(values: list[int], m: int) -> None:
    ratings = [values] * m
    for measure in [*MEASURES.values(), *([cohen_kappa] if m == 2 else [])]:
        try:
            result = measure(ratings)
        except UndefinedAgreementError as error:
            assert len(set(values)) == 1
            assert str(error)
        else:
            assert result == pytest.approx(1.0)


def test_inputs_as_list_array_and_frame_agree() -> None:
    frame = pd.DataFrame(KRIPPENDORFF_2011, index=["A", "B", "C", "D"])
    array = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    expected = krippendorff_alpha(KRIPPENDORFF_2011)
    assert krippendorff_alpha(frame) == pytest.approx(expected)
    assert krippendorff_alpha(array) == pytest.approx(expected)


def test_string_categories_with_given_order_for_ordinal_alpha() -> None:
    scale = ["low", "mid", "high"]
    numeric = [[0, 1, 2, 2, None], [0, 2, 2, 1, 1], [1, 1, 2, 2, 0]]
    labelled = [[None if v is None else scale[v] for v in row] for row in numeric]
    assert krippendorff_alpha(labelled, "ordinal", categories=scale) == pytest.approx(
        krippendorff_alpha(numeric, "ordinal")
    )


def test_kappa_from_table_equals_kappa_from_ratings() -> None:
    assert cohen_kappa_from_table(np.array(COHEN_1960_EXAMPLE_2)) == pytest.approx(
        cohen_kappa(ratings_from_table(COHEN_1960_EXAMPLE_2))
    )


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohen_kappa([[1, 2], [1, 2], [1, 1]]), "exactly two coders"),
        (lambda: percent_agreement([[1, 2, 3], [1, 2]]), "one value per unit"),
        (lambda: percent_agreement([[1, 2, 3]]), "at least 2 coders"),
        (lambda: percent_agreement([[], []]), "no units"),
        (lambda: fleiss_kappa([[1, 2], [1, 9]], categories=[1, 2]), "not in categories"),
        (lambda: fleiss_kappa([[1, 2], [1, 2]], categories=[1, 2, 1]), "duplicates"),
        (lambda: krippendorff_alpha([["a", "b"], ["a", "a"]], "interval"), "numeric"),
        (lambda: krippendorff_alpha([[1, 2], [1, 1]], "cardinal"), "level"),  # type: ignore[arg-type]
        (lambda: cohen_kappa([[1, 2], [1, 1]], weights="cubic"), "weights"),  # type: ignore[arg-type]
        (lambda: cohen_kappa([[1, 2], [1, 1]], weights=np.eye(3)), "2x2"),
        (lambda: brennan_prediger([[1, 2], [1, 1]], None), "category list"),  # type: ignore[arg-type]
        (lambda: cohen_kappa_from_table(np.ones((2, 3))), "square"),
    ],
)
def test_bad_input_raises_clear_value_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AgreementInputError, match=message):
        call()
    assert issubclass(AgreementInputError, ValueError)


@pytest.mark.parametrize(
    "call",
    [
        lambda: cohen_kappa([[1, 1, 1], [1, 1, 1]]),
        lambda: krippendorff_alpha([[1, 1, None], [1, 1, 2]]),
        lambda: percent_agreement([[1, None], [None, 2]]),
        lambda: gwet_ac1([[1, 1], [1, 1]]),
    ],
)
def test_undefined_coefficients_raise_instead_of_returning_a_sentinel(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UndefinedAgreementError):
        call()

# SPDX-License-Identifier: MIT
"""Span agreement at the char, segment and document units, checked against brute force."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.agreement import (
    ALL_CODES,
    AgreementInputError,
    UndefinedAgreementError,
    agreement_report,
    bootstrap_ci,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    match_segments,
    multi_coder_agreement,
    span_agreement,
)
from qualcarto.agreement.bootstrap import resample_weights

COLUMNS = ["transcript_id", "coder", "code_id", "start", "end"]
CODES = ("x", "y")


def frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


@st.composite
def studies(draw, coders: tuple[str, ...] = ("A", "B"), max_length: int = 40):  # type: ignore[no-untyped-def]
    """Random small studies: a few transcripts, every coder with at least one span."""
    n_transcripts = draw(st.integers(1, 3))
    lengths = {f"t{i}": draw(st.integers(1, max_length)) for i in range(n_transcripts)}
    rows = []
    for coder in coders:
        n_spans = draw(st.integers(1, 8))
        for _ in range(n_spans):
            transcript = draw(st.sampled_from(sorted(lengths)))
            length = lengths[transcript]
            start = draw(st.integers(0, length - 1))
            end = draw(st.integers(start + 1, min(length, start + 15)))
            rows.append((transcript, coder, draw(st.sampled_from(CODES)), start, end))
    return frame(rows), lengths


def coverage_arrays(
    codings: pd.DataFrame, lengths: dict[str, int], coder: str, code: str
) -> np.ndarray:
    """Brute force: one boolean per character of the transcripts laid end to end."""
    parts = []
    for transcript in sorted(lengths):
        covered = np.zeros(lengths[transcript], dtype=bool)
        mine = codings[
            (codings.transcript_id == transcript)
            & (codings.coder == coder)
            & (codings.code_id == code)
        ]
        for row in mine.itertuples():
            covered[row.start : row.end] = True
        parts.append(covered)
    return np.concatenate(parts)


def brute_force_matches(codings: pd.DataFrame, overlap: float) -> pd.Series:
    """Brute force: for every distinct segment, how many other coders match it."""
    ratio = Fraction(str(overlap))
    distinct = codings.drop_duplicates(COLUMNS).reset_index(drop=True)
    counts = []
    for s in distinct.itertuples():
        others = set()
        for t in distinct.itertuples():
            if t.coder == s.coder or t.code_id != s.code_id or t.transcript_id != s.transcript_id:
                continue
            shared = min(s.end, t.end) - max(s.start, t.start)
            if shared >= ratio * max(s.end - s.start, t.end - t.start):
                others.add(t.coder)
        counts.append(len(others))
    distinct["matching_coders"] = counts
    return distinct.set_index(COLUMNS)["matching_coders"].sort_index()


def kappa_or_nan(ratings: list[np.ndarray]) -> float:
    try:
        return cohen_kappa(ratings, categories=[0, 1])
    except UndefinedAgreementError:
        return float("nan")


# --- char level ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(studies())
def test_char_level_equals_per_character_brute_force(study) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    table = span_agreement(codings, lengths, ("A", "B"), unit="char").set_index("code_id")
    for code in sorted(set(codings.code_id)):
        a = coverage_arrays(codings, lengths, "A", code)
        b = coverage_arrays(codings, lengths, "B", code)
        row = table.loc[code]
        assert (row.coded_a, row.coded_b, row.coded_both) == (a.sum(), b.sum(), (a & b).sum())
        assert row.units == sum(lengths.values())
        assert row.percent_agreement == pytest.approx(np.mean(a == b))
        expected = kappa_or_nan([a.astype(int), b.astype(int)])
        assert row.cohen_kappa == pytest.approx(expected, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(studies(coders=("A", "B", "C")))
def test_many_coder_char_alpha_and_fleiss_equal_per_character_computation(study) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    table = multi_coder_agreement(codings, lengths, unit="char").set_index("code_id")
    for code in sorted(set(codings.code_id)):
        ratings = [coverage_arrays(codings, lengths, c, code).astype(int) for c in "ABC"]
        for name, measure in (
            ("krippendorff_alpha", krippendorff_alpha),
            ("fleiss_kappa", fleiss_kappa),
        ):
            try:
                expected = (
                    measure(ratings, categories=[0, 1])
                    if name == "fleiss_kappa"
                    else measure(ratings)
                )
            except UndefinedAgreementError:
                expected = float("nan")
            assert table.loc[code, name] == pytest.approx(expected, nan_ok=True)


def test_char_alpha_matches_krippendorff_package() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    codings = frame(
        [
            ("t", "A", "x", 0, 10),
            ("t", "B", "x", 2, 12),
            ("t", "C", "x", 0, 8),
            ("t", "C", "x", 20, 25),
        ]
    )
    lengths = {"t": 30}
    ours = multi_coder_agreement(codings, lengths, unit="char").iloc[0]["krippendorff_alpha"]
    data = np.array([coverage_arrays(codings, lengths, c, "x") for c in "ABC"], dtype=float)
    assert ours == pytest.approx(krippendorff.alpha(data, level_of_measurement="nominal"))


@pytest.mark.parametrize(
    ("first", "second", "kappa"),
    [
        # Krippendorff (1995) p. 57, digitised example A (Bertha, Bill): kappa .385.
        ([(2, 10), (14, 20)], [(4, 8), (15, 17)], 0.385),
        # Example C (Gerret, Gill): kappa .314.
        (
            [(2, 8), (10, 12), (14, 18), (20, 22)],
            [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)],
            0.314,
        ),
    ],
)
def test_krippendorff_1995_digitised_examples(first, second, kappa: float) -> None:  # type: ignore[no-untyped-def]
    rows = [("t", "A", "c", s, e) for s, e in first] + [("t", "B", "c", s, e) for s, e in second]
    table = span_agreement(frame(rows), {"t": 24}, ("A", "B"), unit="char")
    assert table.iloc[0]["cohen_kappa"] == pytest.approx(kappa, abs=1e-3)


def test_krippendorff_1995_example_a_alpha() -> None:
    # Same paper: alpha of the digitised example A is .329 (not a unitizing measure).
    rows = [
        ("t", "A", "c", 2, 10),
        ("t", "A", "c", 14, 20),
        ("t", "B", "c", 4, 8),
        ("t", "B", "c", 15, 17),
    ]
    report = agreement_report(frame(rows), {"t": 24}, ("A", "B"), unit="char")
    assert report.iloc[0]["krippendorff_alpha"] == pytest.approx(0.329, abs=1e-3)


# --- segment level ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(studies(coders=("A", "B", "C")), st.sampled_from([0.1, 0.5, 0.7, 0.9, 1.0]))
def test_segment_matching_equals_brute_force_pairwise_matcher(study, overlap: float) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    ours = match_segments(codings, lengths, overlap=overlap).set_index(COLUMNS)["matching_coders"]
    assert ours.sort_index().to_dict() == brute_force_matches(codings, overlap).to_dict()


@settings(max_examples=40, deadline=None)
@given(studies(), st.sampled_from([0.5, 0.9]))
def test_segment_table_counts_matched_segments(study, overlap: float) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    matches = brute_force_matches(codings, overlap).reset_index()
    table = span_agreement(codings, lengths, ("A", "B"), unit="segment", overlap=overlap)
    n_codes = table.shape[0] - 1
    for row in table.itertuples():
        mine = matches if row.code_id == ALL_CODES else matches[matches.code_id == row.code_id]
        a, b = mine[mine.coder == "A"], mine[mine.coder == "B"]
        assert (row.segments_a, row.segments_b) == (len(a), len(b))
        assert (row.matched_a, row.matched_b) == (
            (a.matching_coders > 0).sum(),
            (b.matching_coders > 0).sum(),
        )
        p_o = (row.matched_a + row.matched_b) / (row.segments_a + row.segments_b)
        assert row.percent_agreement == pytest.approx(p_o)
        if n_codes >= 2:
            assert row.brennan_prediger == pytest.approx((p_o - 1 / n_codes) / (1 - 1 / n_codes))
        else:
            assert np.isnan(row.brennan_prediger)
        assert np.isnan(row.cohen_kappa)


def test_segment_rule_is_share_of_the_longer_span() -> None:
    # 90 of 100 characters shared: matched at 0.9, not at 0.91; and a short span lying
    # inside a long one does not match however much of the short one is covered.
    rows = [
        ("t", "A", "x", 0, 100),
        ("t", "B", "x", 10, 100),
        ("t", "A", "y", 0, 100),
        ("t", "B", "y", 40, 60),
    ]
    at_default = match_segments(frame(rows), {"t": 100}, ("A", "B"))
    assert at_default.set_index(["coder", "code_id"])["matched"].to_dict() == {
        ("A", "x"): True,
        ("B", "x"): True,
        ("A", "y"): False,
        ("B", "y"): False,
    }
    stricter = match_segments(frame(rows), {"t": 100}, ("A", "B"), overlap=0.91)
    assert not stricter["matched"].any()


# --- document level --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(studies())
def test_document_level_equals_presence_brute_force(study) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    table = span_agreement(codings, lengths, ("A", "B"), unit="document").set_index("code_id")
    for code in sorted(set(codings.code_id)):
        present = {
            c: np.array(
                [
                    (
                        (codings.coder == c)
                        & (codings.code_id == code)
                        & (codings.transcript_id == t)
                    ).any()
                    for t in sorted(lengths)
                ]
            )
            for c in "AB"
        }
        row = table.loc[code]
        assert (row.coded_a, row.coded_b) == (present["A"].sum(), present["B"].sum())
        assert row.units == len(lengths)
        expected = kappa_or_nan([present["A"].astype(int), present["B"].astype(int)])
        assert row.cohen_kappa == pytest.approx(expected, nan_ok=True)


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    studies(), st.sampled_from(["char", "segment", "document"]), st.randoms(use_true_random=False)
)
def test_invariant_to_transcript_and_row_order(study, unit: str, random) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    order = sorted(lengths)
    random.shuffle(order)
    shuffled_lengths = {t: lengths[t] for t in order}
    shuffled = codings.sample(frac=1.0, random_state=random.randint(0, 1000))
    first = span_agreement(codings, lengths, ("A", "B"), unit=unit)  # type: ignore[arg-type]
    second = span_agreement(shuffled, shuffled_lengths, ("A", "B"), unit=unit)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(first, second)


@settings(max_examples=30, deadline=None)
@given(studies(), st.sampled_from(["char", "segment", "document"]))
def test_symmetric_in_the_two_coders(study, unit: str) -> None:  # type: ignore[no-untyped-def]
    codings, lengths = study
    forward = span_agreement(codings, lengths, ("A", "B"), unit=unit)  # type: ignore[arg-type]
    backward = span_agreement(codings, lengths, ("B", "A"), unit=unit)  # type: ignore[arg-type]
    swapped = {"segments_a": "segments_b", "segments_b": "segments_a", "coded_a": "coded_b",
               "coded_b": "coded_a", "matched_a": "matched_b", "matched_b": "matched_a"}  # fmt: skip
    pd.testing.assert_frame_equal(forward, backward.rename(columns=swapped)[forward.columns])


@pytest.mark.parametrize("unit", ["char", "segment", "document"])
def test_identical_codings_agree_fully(unit: str) -> None:
    spans = [("t1", "x", 0, 10), ("t1", "y", 5, 30), ("t2", "x", 3, 9)]
    rows = [(t, coder, code, s, e) for coder in "AB" for t, code, s, e in spans]
    table = span_agreement(frame(rows), {"t1": 40, "t2": 20, "t3": 5}, ("A", "B"), unit=unit)  # type: ignore[arg-type]
    assert (table["percent_agreement"] == 1.0).all()
    kappa = "brennan_prediger" if unit == "segment" else "cohen_kappa"
    assert ((table[kappa] == 1.0) | table[kappa].isna()).all()
    assert table[kappa].iloc[-1] == 1.0


def test_table_rows_are_sorted_codes_then_all() -> None:
    rows = [("t", "A", "zeta", 0, 5), ("t", "B", "alpha", 0, 5), ("t", "A", "mu", 1, 3)]
    table = span_agreement(frame(rows), {"t": 10}, ("A", "B"))
    assert table["code_id"].tolist() == ["alpha", "mu", "zeta", ALL_CODES]


def test_offsets_are_python_string_indices() -> None:
    text = "Zoë said “naïve” things 🙂"
    ok = frame([("t", "A", "x", 0, len(text)), ("t", "B", "x", 4, len(text))])
    assert span_agreement(ok, {"t": len(text)}, ("A", "B")).iloc[0]["coded_b"] == len(text) - 4
    too_long = frame([("t", "A", "x", 0, len(text) + 1), ("t", "B", "x", 4, 6)])
    with pytest.raises(AgreementInputError, match="end > transcript length"):
        span_agreement(too_long, {"t": len(text)}, ("A", "B"))


# --- report and bootstrap --------------------------------------------------------------------

REPORT_ROWS = [
    (t, coder, code, s + shift, e + shift)
    for t, shift in (("t1", 0), ("t2", 2), ("t3", 5), ("t4", 1))
    for coder, wobble in (("A", 0), ("B", 1), ("C", 3))
    for code, s, e in (("x", 0, 40), ("y", 50, 90 + wobble), ("z", 100 + wobble, 120))
    if not (coder == "C" and code == "z" and t == "t2")
]
REPORT_LENGTHS = {"t1": 200, "t2": 200, "t3": 200, "t4": 200}


@pytest.mark.parametrize(
    ("unit", "columns"),
    [
        ("char", ["coded_both", "cohen_kappa", "krippendorff_alpha", "unitized_alpha"]),
        ("segment", ["matched_a", "brennan_prediger", "unitized_alpha"]),
        ("document", ["coded_both", "cohen_kappa", "krippendorff_alpha", "unitized_alpha"]),
    ],
)
def test_two_coder_report_extends_span_agreement(unit: str, columns: list[str]) -> None:
    codings = frame(REPORT_ROWS)
    report = agreement_report(codings, REPORT_LENGTHS, ("A", "B"), unit=unit, bootstrap=20)  # type: ignore[arg-type]
    base = span_agreement(codings, REPORT_LENGTHS, ("A", "B"), unit=unit)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(report[base.columns], base)
    assert set(columns) <= set(report.columns)
    kappa = "brennan_prediger" if unit == "segment" else "cohen_kappa"
    assert {f"{kappa}_ci_low", f"{kappa}_ci_high"} <= set(report.columns)


@pytest.mark.parametrize("unit", ["char", "segment", "document"])
def test_many_coder_report(unit: str) -> None:
    report = agreement_report(frame(REPORT_ROWS), REPORT_LENGTHS, ("A", "B", "C"), unit=unit)  # type: ignore[arg-type]
    assert report["code_id"].tolist() == ["x", "y", "z", ALL_CODES]
    assert {"segments_A", "segments_B", "segments_C", "percent_agreement", "unitized_alpha"} <= set(
        report.columns
    )
    expected = {"brennan_prediger"} if unit == "segment" else {"krippendorff_alpha", "fleiss_kappa"}
    assert expected <= set(report.columns)
    assert report.loc[report.code_id == "x", "percent_agreement"].item() == 1.0


def test_bootstrap_is_seeded_and_equals_resampling_transcripts_by_hand() -> None:
    codings = frame(REPORT_ROWS)
    first = bootstrap_ci(codings, REPORT_LENGTHS, ("A", "C"), n_resamples=40, seed=7)
    again = bootstrap_ci(codings, REPORT_LENGTHS, ("A", "C"), n_resamples=40, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert not np.array_equal(resample_weights(4, 40, 7), resample_weights(4, 40, 8))

    transcripts = sorted(REPORT_LENGTHS)
    kappas = []
    for weights in resample_weights(len(transcripts), 40, 7):
        copies = [(t, k) for t, w in zip(transcripts, weights, strict=True) for k in range(w)]
        rows = [(f"{t}#{k}", *row[1:]) for t, k in copies for row in REPORT_ROWS if row[0] == t]
        lengths = {f"{t}#{k}": REPORT_LENGTHS[t] for t, k in copies}
        table = span_agreement(frame(rows), lengths, ("A", "C"))
        kappas.append(table.set_index("code_id").loc["z", "cohen_kappa"])
    z = first.set_index("code_id").loc["z"]
    defined = [k for k in kappas if np.isfinite(k)]
    assert z.n_defined == len(defined)
    assert (z.ci_low, z.ci_high) == pytest.approx(tuple(np.percentile(defined, [2.5, 97.5])))


def test_bootstrap_interval_of_perfect_agreement_is_one() -> None:
    rows = [(t, c, "x", 0, 10) for t in ("t1", "t2", "t3") for c in "AB"]
    result = bootstrap_ci(frame(rows), {"t1": 20, "t2": 30, "t3": 40}, ("A", "B"), n_resamples=30)
    assert result[["estimate", "ci_low", "ci_high"]].to_numpy() == pytest.approx(1.0)


# --- errors ----------------------------------------------------------------------------------

GOOD = [("t", "A", "x", 0, 5), ("t", "B", "x", 1, 5)]


@pytest.mark.parametrize(
    ("codings", "lengths", "kwargs", "message"),
    [
        (frame(GOOD).drop(columns="end"), {"t": 10}, {}, "lack column"),
        (frame(GOOD), {"t": 10}, {"coders": ("A", "Z")}, "unknown coder"),
        (frame(GOOD), {"t": 10}, {"coders": ("A", "A")}, "repeated"),
        (frame(GOOD), {"t": 10}, {"coders": ("A", "B", "C")}, "exactly two"),
        (frame([("t", "A", "x", 5, 5), GOOD[1]]), {"t": 10}, {}, "start >= end"),
        (frame([("t", "A", "x", -1, 5), GOOD[1]]), {"t": 10}, {}, "start < 0"),
        (frame([("t", "A", "x", 0, 11), GOOD[1]]), {"t": 10}, {}, "end > transcript length"),
        (frame([("u", "A", "x", 0, 5), GOOD[1]]), {"t": 10}, {}, "not in lengths"),
        (frame([("t", "A", "x", 0.5, 5), GOOD[1]]), {"t": 10}, {}, "integer offsets"),
        (frame([("t", "A", None, 0, 5), GOOD[1]]), {"t": 10}, {}, "missing values"),
        (frame(GOOD), {"t": -1}, {}, "non-negative integer"),
        (frame(GOOD), {}, {}, "lengths"),
        (frame(GOOD), {"t": 10}, {"unit": "word"}, "unit must be"),
        (frame(GOOD), {"t": 10}, {"unit": "segment", "overlap": 0}, "overlap"),
        (frame(GOOD), {"t": 10}, {"unit": "segment", "overlap": 1.5}, "overlap"),
    ],
)
def test_bad_span_input_raises_clear_value_error(codings, lengths, kwargs, message: str) -> None:  # type: ignore[no-untyped-def]
    arguments = {"coders": ("A", "B"), **kwargs}
    with pytest.raises(ValueError, match=message):
        span_agreement(codings, lengths, **arguments)


def test_other_columns_are_ignored_and_other_coders_too() -> None:
    codings = frame([*GOOD, ("t", "C", "x", 7, 9)]).assign(memo="free text", id=[1, 2, 3])
    table = span_agreement(codings, {"t": 10}, ("A", "B"))
    assert table.iloc[0][["segments_a", "segments_b"]].tolist() == [1, 1]

# SPDX-License-Identifier: MIT
"""Agreement between coders of transcript spans, per code, at three units of analysis.

* ``char``: every character of every transcript is a unit, coded or not coded by each
  coder for the code (the union of that coder's spans) - NVivo's unit.
* ``segment``: a coder's segment is matched when another coder put the same code on a
  span overlapping it by at least ``overlap`` of the longer of the two - MAXQDA's rule.
* ``document``: each transcript is a unit; the code is present or absent for each coder.

The sweeps in :mod:`.spans` yield per (transcript, code) cells; this module pools them
and hands them to the one implementation of each coefficient in :mod:`.coefficients`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from qualcarto.agreement.codings import ALL_CODES, SpanData, validate_codings
from qualcarto.agreement.coefficients import (
    alpha_from_counts,
    brennan_prediger_from_agreement,
    cohen_kappa_from_table,
    fleiss_kappa_from_counts,
    gwet_ac1_from_counts,
    observed_agreement,
)
from qualcarto.agreement.ratings import AgreementInputError, UndefinedAgreementError
from qualcarto.agreement.spans import (
    char_coverage,
    document_presence,
    overlap_fraction,
    segment_counts,
    segment_matches,
)

Unit: TypeAlias = Literal["char", "segment", "document"]
UNITS: tuple[Unit, ...] = ("char", "segment", "document")

_COVERAGE_MEASURES = (
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "fleiss_kappa",
    "gwet_ac1",
)
MEASURES: dict[Unit, tuple[str, ...]] = {
    "char": _COVERAGE_MEASURES,
    "document": _COVERAGE_MEASURES,
    "segment": ("percent_agreement", "brennan_prediger"),
}
"""The measures each unit supports (for :func:`~qualcarto.agreement.bootstrap_ci`)."""


@dataclass(frozen=True)
class UnitCells:
    """Additive per (transcript, code) counts from which every measure on a unit follows.

    ``char``/``document``: ``values[t, c]`` is ``depth[0..m]`` (units covered by exactly j
    coders) followed by ``covered[0..m-1]`` (units covered by coder i). ``segment``:
    ``segments[0..m-1]`` followed by ``matched[0..m-1]`` (matched evaluations).
    """

    unit: Unit
    data: SpanData
    values: np.ndarray

    @property
    def n_coders(self) -> int:
        return len(self.data.coders)

    def per_code(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Cells summed over transcripts (optionally weighted), one row per code."""
        if weights is None:
            return np.asarray(self.values.sum(axis=0))
        return np.asarray(np.tensordot(weights, self.values, axes=(0, 0)))


def unit_cells(data: SpanData, unit: Unit, overlap: float = 0.9) -> UnitCells:
    """Sweep the codings once for the chosen unit."""
    if unit == "segment":
        counts = segment_counts(data, overlap)
        values = np.concatenate([counts.segments, counts.matched], axis=2)
    elif unit in ("char", "document"):
        coverage = char_coverage(data) if unit == "char" else document_presence(data)
        values = np.concatenate([coverage.depth, coverage.covered], axis=2)
    else:
        raise AgreementInputError(f"unit must be one of {list(UNITS)}, got {unit!r}")
    return UnitCells(unit=unit, data=data, values=values)


def _binary_counts(m: int) -> np.ndarray:
    """Row j: a unit that j of m coders coded, as counts over (not coded, coded)."""
    j = np.arange(m + 1, dtype=np.float64)
    return np.stack([m - j, j], axis=1)


def two_coder_table(depth: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """2x2 table, rows coder a coded/not, columns coder b coded/not."""
    both = depth[2]
    return np.array([[both, covered[0] - both], [covered[1] - both, depth[0]]], dtype=np.float64)


def segment_percent_agreement(segments: np.ndarray, matched: np.ndarray) -> float:
    """Matched evaluations / all evaluations; for two coders (matched_a + matched_b) /
    (segments_a + segments_b), MAXQDA's segment-level percentage."""
    m = segments.size
    evaluations = float(segments.sum()) * (m - 1)
    if evaluations == 0:
        raise UndefinedAgreementError("no segments to compare")
    return float(matched.sum()) / evaluations


def check_measure(unit: Unit, measure: str, m: int) -> None:
    """Raise unless ``measure`` can be computed at ``unit`` for ``m`` coders."""
    if measure not in MEASURES[unit]:
        raise AgreementInputError(
            f"measure {measure!r} is not available at unit {unit!r}; "
            f"choose from {list(MEASURES[unit])}"
        )
    if measure == "cohen_kappa" and m != 2:
        raise AgreementInputError(f"Cohen's kappa takes exactly two coders, got {m}")


def unit_statistic(cells: np.ndarray, unit: Unit, measure: str, m: int, n_codes: int) -> float:
    """One measure from one code's pooled cells (see :class:`UnitCells` for the layout)."""
    check_measure(unit, measure, m)
    if unit == "segment":
        p_o = segment_percent_agreement(cells[:m], cells[m:])
        if measure == "percent_agreement":
            return p_o
        return brennan_prediger_from_agreement(p_o, n_codes)
    depth, covered = cells[: m + 1], cells[m + 1 :]
    if measure == "cohen_kappa":
        return cohen_kappa_from_table(two_coder_table(depth, covered))
    counts = _binary_counts(m)
    if measure == "percent_agreement":
        return observed_agreement(counts, depth)
    if measure == "krippendorff_alpha":
        return alpha_from_counts(counts, "nominal", (0, 1), depth)
    if measure == "fleiss_kappa":
        return fleiss_kappa_from_counts(counts, depth)
    return gwet_ac1_from_counts(counts, 2, depth)


def statistic_or_nan(cells: np.ndarray, unit: Unit, measure: str, m: int, n_codes: int) -> float:
    """:func:`unit_statistic`, or NaN where the measure is undefined for these cells."""
    try:
        return unit_statistic(cells, unit, measure, m, n_codes)
    except UndefinedAgreementError:
        return float("nan")


def pooled_rows(cells: UnitCells, weights: np.ndarray | None = None) -> np.ndarray:
    """Per-code cells followed by the row that pools all codes."""
    per_code = cells.per_code(weights)
    return np.vstack([per_code, per_code.sum(axis=0, keepdims=True)])


def code_labels(data: SpanData) -> list[Hashable]:
    return [*data.codes, ALL_CODES]


def check_unit(unit: str) -> Unit:
    if unit not in UNITS:
        raise AgreementInputError(f"unit must be one of {list(UNITS)}, got {unit!r}")
    return unit  # type: ignore[return-value]


def span_agreement(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable],
    unit: Unit = "char",
    overlap: float = 0.9,
) -> pd.DataFrame:
    """Agreement of two coders on each code, at the chosen unit, with a pooled last row.

    One row per ``code_id`` used by either coder (sorted), then a row ``"(all)"`` that
    pools all codes (the tables are summed, so every code x character, code x document
    or segment counts once). Columns (``a``/``b`` are ``coders[0]``/``coders[1]``):

    * ``segments_a``, ``segments_b``: codings (distinct spans) of each coder;
    * char/document: ``coded_a``, ``coded_b``, ``coded_both`` (characters or documents
      coded by a, by b, by both) and ``units`` (all characters or documents);
      segment: ``matched_a``, ``matched_b`` (segments with a match by the other coder);
    * ``percent_agreement`` (share in [0, 1]): char/document from the 2x2 table;
      segment: (matched_a + matched_b) / (segments_a + segments_b) as MAXQDA;
    * ``cohen_kappa`` from the 2x2 table (Cohen 1960); NaN at segment level, where the
      cell "neither coder coded" does not exist;
    * segment only: ``brennan_prediger``, (p_o − 1/K)/(1 − 1/K), K = number of codes in
      the table (MAXQDA's chance correction after Brennan & Prediger 1981).

    NaN marks a coefficient undefined for the data (e.g. chance agreement of 1).
    ``overlap`` (default 0.9): segments s, t match when |s ∩ t| >= overlap x max(|s|, |t|).
    """
    unit = check_unit(unit)
    overlap_fraction(overlap)
    if len(coders) != 2:
        raise AgreementInputError(f"span_agreement compares exactly two coders, got {len(coders)}")
    data = validate_codings(codings, lengths, coders)
    return two_coder_frame(unit_cells(data, unit, overlap))


def two_coder_frame(cells: UnitCells) -> pd.DataFrame:
    """The :func:`span_agreement` table from swept cells of two coders."""
    data, unit = cells.data, cells.unit
    rows = pooled_rows(cells)
    n_codes = len(data.codes)
    frame = pd.DataFrame({"code_id": pd.Series(code_labels(data), dtype=object)})
    if unit == "segment":
        frame["segments_a"] = rows[:, 0].astype(np.int64)
        frame["segments_b"] = rows[:, 1].astype(np.int64)
        frame["matched_a"] = rows[:, 2].astype(np.int64)
        frame["matched_b"] = rows[:, 3].astype(np.int64)
    else:
        segments = segments_per_coder(data)
        frame["segments_a"] = segments[:, 0]
        frame["segments_b"] = segments[:, 1]
        frame["coded_a"] = rows[:, 3].astype(np.int64)
        frame["coded_b"] = rows[:, 4].astype(np.int64)
        frame["coded_both"] = rows[:, 2].astype(np.int64)
        frame["units"] = rows[:, :3].sum(axis=1).astype(np.int64)
    frame["percent_agreement"] = [
        statistic_or_nan(row, unit, "percent_agreement", 2, n_codes) for row in rows
    ]
    if unit == "segment":
        frame["cohen_kappa"] = np.nan
        frame["brennan_prediger"] = [
            statistic_or_nan(row, unit, "brennan_prediger", 2, n_codes) for row in rows
        ]
    else:
        frame["cohen_kappa"] = [
            statistic_or_nan(row, unit, "cohen_kappa", 2, n_codes) for row in rows
        ]
    return frame


def segments_per_coder(data: SpanData) -> np.ndarray:
    """Codings per code (rows, then a pooled row) and coder (columns)."""
    m, n_codes = len(data.coders), len(data.codes)
    segments = np.bincount(data.code * m + data.coder, minlength=n_codes * m).reshape(-1, m)
    return np.vstack([segments, segments.sum(axis=0, keepdims=True)])


def multi_coder_agreement(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
    unit: Unit = "char",
    overlap: float = 0.9,
) -> pd.DataFrame:
    """Agreement of two or more coders on each code at the chosen unit, pooled last row.

    Columns: ``code_id``, ``segments_<coder>`` for each coder, ``percent_agreement``
    (char/document: mean share of agreeing coder pairs per unit; segment: share of
    (segment, other coder) pairs in which the other coder has a matching segment), and
    char/document: ``krippendorff_alpha`` (nominal, coded vs not coded; Krippendorff
    2011) and ``fleiss_kappa`` (Fleiss 1971); segment: ``brennan_prediger`` with
    K = number of codes (Brennan & Prediger 1981; Randolph 2005 for many coders).
    ``coders=None`` takes every coder in ``codings``.
    """
    unit = check_unit(unit)
    overlap_fraction(overlap)
    data = validate_codings(codings, lengths, coders)
    return multi_coder_frame(unit_cells(data, unit, overlap))


def multi_coder_frame(cells: UnitCells) -> pd.DataFrame:
    """The :func:`multi_coder_agreement` table from swept cells."""
    data, unit = cells.data, cells.unit
    rows = pooled_rows(cells)
    m, n_codes = len(data.coders), len(data.codes)
    frame = pd.DataFrame({"code_id": pd.Series(code_labels(data), dtype=object)})
    segments = segments_per_coder(data)
    for i, coder in enumerate(data.coders):
        frame[f"segments_{coder}"] = segments[:, i]
    for measure in multi_coder_measures(unit):
        frame[measure] = [statistic_or_nan(row, unit, measure, m, n_codes) for row in rows]
    return frame


def multi_coder_measures(unit: Unit) -> list[str]:
    """Measures of the many-coder table at a unit."""
    if unit == "segment":
        return ["percent_agreement", "brennan_prediger"]
    return ["percent_agreement", "krippendorff_alpha", "fleiss_kappa"]


def match_segments(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
    overlap: float = 0.9,
) -> pd.DataFrame:
    """Each distinct coded segment of the coders, with whether the others matched it.

    Columns ``transcript_id, coder, code_id, start, end`` (sorted), ``matching_coders``
    (how many other coders put the same code on a span overlapping it by at least
    ``overlap`` of the longer of the two) and ``matched`` (every other coder did). The
    rows with ``matched`` False are the segment-level disagreements to reconcile.
    """
    overlap_fraction(overlap)
    data = validate_codings(codings, lengths, coders)
    frame = data.frame()
    frame["matching_coders"] = segment_matches(data, overlap)
    frame["matched"] = frame["matching_coders"] == len(data.coders) - 1
    return frame

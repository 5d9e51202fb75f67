# SPDX-License-Identifier: MIT
"""Seeded bootstrap confidence intervals for span agreement, resampling transcripts.

Transcripts are the independent units of an interview study (characters and segments of
one transcript are not), so each resample draws as many transcripts as the study has,
with replacement, and recomputes the measure per code on the drawn set; a transcript
drawn twice counts twice. Because the sweep cells of :mod:`.span_agreement` add up over
transcripts, a resample is a weighted sum of cells - no re-sweeping - and the measure is
computed by the same function as the point estimate. The interval is the percentile
interval of the resampled values (Efron & Tibshirani 1993, ch. 13).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcarto.agreement.codings import validate_codings
from qualcarto.agreement.ratings import AgreementInputError
from qualcarto.agreement.span_agreement import (
    Unit,
    UnitCells,
    check_measure,
    code_labels,
    pooled_rows,
    statistic_or_nan,
    unit_cells,
)
from qualcarto.agreement.spans import overlap_fraction


def default_measure(unit: Unit, n_coders: int) -> str:
    """The chance-corrected measure reported for a unit: Cohen's kappa for two coders,
    Krippendorff's alpha for more, Brennan-Prediger at segment level."""
    if unit == "segment":
        return "brennan_prediger"
    return "cohen_kappa" if n_coders == 2 else "krippendorff_alpha"


def resample_weights(n_transcripts: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each transcript is drawn in each resample (n_resamples x n_transcripts)."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_transcripts, np.full(n_transcripts, 1.0 / n_transcripts), n_resamples)


def percentile_intervals(
    cells: UnitCells,
    measures: Sequence[str],
    n_resamples: int,
    confidence: float = 0.95,
    seed: int = 0,
    pooled_only: bool = False,
) -> dict[str, np.ndarray]:
    """Per measure, an array (codes + pooled row) x (ci_low, ci_high, n_defined).

    ``pooled_only``: resample only the pooled row (the per-code rows stay NaN), for a
    report that states one interval per unit.
    """
    if not isinstance(n_resamples, int) or n_resamples < 1:
        raise AgreementInputError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not 0 < confidence < 1:
        raise AgreementInputError(f"confidence must be in (0, 1), got {confidence}")
    m, n_codes = cells.n_coders, len(cells.data.codes)
    for measure in measures:
        check_measure(cells.unit, measure, m)
    draws = resample_weights(cells.values.shape[0], n_resamples, seed)
    samples = {measure: np.full((n_resamples, n_codes + 1), np.nan) for measure in measures}
    if pooled_only:  # sum over codes once: each resample is then one small product
        pooled = np.asarray(cells.values.sum(axis=1))  # transcripts x cells
        for b, row in enumerate(draws @ pooled):
            for measure in measures:
                samples[measure][b, -1] = statistic_or_nan(row, cells.unit, measure, m, n_codes)
    for b, weights in enumerate([] if pooled_only else draws):
        rows = pooled_rows(cells, weights)
        for measure in measures:
            samples[measure][b] = [
                statistic_or_nan(row, cells.unit, measure, m, n_codes) for row in rows
            ]
    tail = (1.0 - confidence) / 2.0 * 100.0
    result: dict[str, np.ndarray] = {}
    for measure, values in samples.items():
        defined = np.isfinite(values)
        out = np.full((n_codes + 1, 3), np.nan)
        out[:, 2] = defined.sum(axis=0)
        for k in np.flatnonzero(defined.any(axis=0)):
            out[k, :2] = np.percentile(values[defined[:, k], k], [tail, 100.0 - tail])
        result[measure] = out
    return result


def bootstrap_ci(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable],
    unit: Unit = "char",
    measure: str | None = None,
    overlap: float = 0.9,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Percentile bootstrap confidence interval of an agreement measure per code.

    Resamples transcripts with replacement (seeded by ``seed``, so the same call gives the
    same interval). ``measure``: ``"percent_agreement"``, ``"cohen_kappa"`` (two coders),
    ``"krippendorff_alpha"``, ``"fleiss_kappa"``, ``"gwet_ac1"`` (char/document) or
    ``"brennan_prediger"`` (segment); default Cohen's kappa for two coders, Krippendorff's
    alpha for more, Brennan-Prediger at segment level.

    Columns: ``code_id`` (codes sorted, then ``"(all)"``), ``measure``, ``estimate`` (on
    all transcripts), ``ci_low``, ``ci_high``, ``n_defined`` (resamples in which the
    measure was defined; the interval uses only those; NaN when none).
    """
    overlap_fraction(overlap)
    data = validate_codings(codings, lengths, coders)
    chosen = measure or default_measure(unit, len(data.coders))
    cells = unit_cells(data, unit, overlap)
    m, n_codes = len(data.coders), len(data.codes)
    estimate = [statistic_or_nan(row, unit, chosen, m, n_codes) for row in pooled_rows(cells)]
    interval = percentile_intervals(cells, [chosen], n_resamples, confidence, seed)[chosen]
    return pd.DataFrame(
        {
            "code_id": pd.Series(code_labels(data), dtype=object),
            "measure": chosen,
            "estimate": estimate,
            "ci_low": interval[:, 0],
            "ci_high": interval[:, 1],
            "n_defined": interval[:, 2].astype(np.int64),
        }
    )

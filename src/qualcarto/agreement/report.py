# SPDX-License-Identifier: MIT
"""The per-code agreement table that the CLI and the app print, in one call.

It sweeps the codings once for the chosen unit and assembles the measures a methods
section reports: the two-coder table of :func:`.span_agreement` or the many-coder table,
Krippendorff's alpha, the unitized alpha and, on request, bootstrap intervals.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import pandas as pd

from qualcarto.agreement.bootstrap import percentile_intervals
from qualcarto.agreement.codings import validate_codings
from qualcarto.agreement.ratings import AgreementInputError
from qualcarto.agreement.span_agreement import (
    Unit,
    check_unit,
    multi_coder_frame,
    pooled_rows,
    statistic_or_nan,
    two_coder_frame,
    unit_cells,
)
from qualcarto.agreement.spans import overlap_fraction
from qualcarto.agreement.unitized import unitized_frame


def interval_measures(unit: Unit, n_coders: int) -> list[str]:
    """The measures that get bootstrap intervals in :func:`agreement_report`."""
    if unit == "segment":
        return ["brennan_prediger"]
    if n_coders == 2:
        return ["cohen_kappa", "krippendorff_alpha"]
    return ["krippendorff_alpha", "fleiss_kappa"]


def agreement_report(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable],
    unit: Unit = "segment",
    overlap: float = 0.9,
    bootstrap: int = 0,
    seed: int = 0,
    *,
    unitized: bool = True,
) -> pd.DataFrame:
    """Per-code agreement of the given coders, ready to print, with a pooled ``"(all)"`` row.

    Rows: one per code used by any of the coders (sorted), then ``"(all)"``.

    Two coders (``a``, ``b`` = ``coders[0]``, ``coders[1]``): the columns of
    :func:`~qualcarto.agreement.span_agreement` - ``segments_a``, ``segments_b``; for
    char/document ``coded_a``, ``coded_b``, ``coded_both``, ``units``; for segment
    ``matched_a``, ``matched_b``; ``percent_agreement``, ``cohen_kappa`` (NaN at segment)
    and, at segment, ``brennan_prediger`` - then ``krippendorff_alpha`` (char/document,
    nominal on coded vs not coded).

    Three or more coders: ``segments_<coder>`` per coder, ``percent_agreement`` (mean
    share of agreeing coder pairs; at segment the share of matched (segment, other coder)
    pairs), then ``krippendorff_alpha`` and ``fleiss_kappa`` (char/document) or
    ``brennan_prediger`` (segment, K = number of codes).

    Always: ``unitized_alpha``, Krippendorff's (1995) unitizing alpha of the spans,
    which does not depend on ``unit`` (NaN with ``unitized=False``, which skips it). With ``bootstrap`` > 0 resamples: for each
    chance-corrected measure (Cohen's kappa and alpha for two coders, alpha and Fleiss'
    kappa for more, Brennan-Prediger at segment) the columns ``<measure>_ci_low`` and
    ``<measure>_ci_high``, a seeded 95% percentile interval from resampling transcripts.

    Proportions are shares in [0, 1]; NaN marks a coefficient undefined for the data.
    """
    unit = check_unit(unit)
    overlap_fraction(overlap)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise AgreementInputError(f"bootstrap must be a non-negative integer, got {bootstrap!r}")
    if len(coders) < 2:
        raise AgreementInputError(f"need at least two coders, got {len(coders)}")
    data = validate_codings(codings, lengths, coders)
    cells = unit_cells(data, unit, overlap)
    m, n_codes = len(data.coders), len(data.codes)
    if m == 2:
        frame = two_coder_frame(cells)
        if unit != "segment":
            frame["krippendorff_alpha"] = [
                statistic_or_nan(row, unit, "krippendorff_alpha", m, n_codes)
                for row in pooled_rows(cells)
            ]
    else:
        frame = multi_coder_frame(cells)
    frame["unitized_alpha"] = (
        unitized_frame(data)["unitized_alpha"].to_numpy() if unitized else float("nan")
    )
    if bootstrap:
        measures = interval_measures(unit, m)
        intervals = percentile_intervals(cells, measures, bootstrap, 0.95, seed)
        for measure in measures:
            frame[f"{measure}_ci_low"] = intervals[measure][:, 0]
            frame[f"{measure}_ci_high"] = intervals[measure][:, 1]
    return frame

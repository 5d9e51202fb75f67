# SPDX-License-Identifier: MIT
"""The agreement report's tables, shaped for readers: per code, per transcript, per pair.

Pure: an :class:`AgreementData` (the chosen coders' codings, transcript lengths and
codebook, read from a store by ``qualcarto.agreement_data``) and a :class:`ReportOptions`
in, DataFrames and plain-text lines out. The tables call the measures of this package -
never a formula of their own - and add the names a reader recognizes. The CLI, the app,
the xlsx workbook and the methods appendix all call these, so all print the same figures
and the same one-line errors.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

import numpy as np
import pandas as pd

from qualcarto.agreement.bootstrap import percentile_intervals
from qualcarto.agreement.codings import validate_codings
from qualcarto.agreement.ratings import AgreementInputError
from qualcarto.agreement.report import agreement_report, interval_measures
from qualcarto.agreement.span_agreement import (
    ALL_CODES,
    Unit,
    check_unit,
    multi_coder_measures,
    statistic_or_nan,
    unit_cells,
)
from qualcarto.agreement.spans import overlap_fraction
from qualcarto.errors import ValidationError
from qualcarto.wording import counted

ALL_CODES_NAME = "all codes (pooled)"
# Landis & Koch (1977) call kappa .41-.60 "moderate" and .61-.80 "substantial": a code
# below .6 has not reached substantial agreement and is worth a look (docs/agreement.md).
DEFAULT_FLAG_BELOW = 0.6
FLAG_COLUMN = "flagged"
FLAG_COLOR = "#fce4d6"  # a flagged row's shade, on the Agreement page and in the workbook
MEASURE_NAMES: dict[str, str] = {
    "cohen_kappa": "Cohen's kappa",
    "krippendorff_alpha": "Krippendorff's alpha",
    "fleiss_kappa": "Fleiss' kappa",
    "brennan_prediger": "Brennan-Prediger kappa",
    "unitized_alpha": "unitizing alpha",
}
UNIT_RULES: dict[str, str] = {
    "char": "every character of every transcript, coded or not coded per code (NVivo's unit)",
    "segment": "each coded span; it matches when another coder put the same code on a span "
    "covering at least {share} of the longer of the two (MAXQDA's rule)",
    "document": "each transcript; the code is present or absent for each coder",
}


@dataclass(frozen=True)
class AgreementData:
    """The codings of the chosen coders and everything needed to measure and label them."""

    coders: tuple[str, ...]
    coder_kinds: dict[str, str]
    codings: pd.DataFrame  # rows of ``codings_frame``
    lengths: dict[Hashable, int]  # transcript id -> text length, every transcript measured
    transcript_names: dict[Hashable, str]
    codes: pd.DataFrame  # ``codebook_frame`` of the newest version
    facets: tuple[str, ...]
    codebook_versions: tuple[int, ...]  # versions the codings were made under
    version_filter: int | None = None
    unit_name: str | None = None  # e.g. "speaker turn" when transcripts were cut into units
    unit_parents: dict[Hashable, str] | None = None  # unit -> the transcript it was cut from
    group: str | None = None  # the transcript group measured (None: no group chosen)

    @cached_property
    def _names(self) -> dict[object, str]:
        return dict(zip(self.codes["code_id"], self.codes["name"], strict=True))

    def code_name(self, code_id: object) -> str:
        """The code's name in the newest codebook (its id when the codebook lacks it)."""
        if code_id == ALL_CODES:
            return ALL_CODES_NAME
        return str(self._names.get(code_id, code_id))


@dataclass(frozen=True)
class ReportOptions:
    """How the agreement report measures: one value instead of seven positional options.

    ``unit``: ``"char"``, ``"segment"`` or ``"document"``. ``overlap``: the share of the
    longer span two segments must share to match (segment unit). ``bootstrap``: resamples
    of transcripts for 95% intervals (0: none) with ``seed``. ``flag_below`` and
    ``flag_on``: codes whose ``flag_on`` coefficient (default: see :func:`flag_measure`)
    is below the threshold are flagged.
    """

    unit: str = "segment"
    overlap: float = 0.9
    bootstrap: int = 0
    seed: int = 0
    flag_below: float = DEFAULT_FLAG_BELOW
    flag_on: str | None = None
    unitized: bool = True  # False skips the unitizing alpha (NaN), e.g. a unit's second table


DEFAULT_OPTIONS = ReportOptions()


@contextmanager
def plain_errors() -> Iterator[None]:
    """Bad input to the pure core becomes the one-line error the CLI and app show."""
    try:
        yield
    except AgreementInputError as exc:
        raise ValidationError(str(exc)) from exc


def flag_measures(unit: str, n_coders: int) -> list[str]:
    """The chance-corrected coefficients a code can be flagged on; the first is the default.

    Cohen's kappa for two coders at char/document, Krippendorff's alpha for more, and
    Brennan-Prediger at segment level (the only chance-corrected segment measure besides
    the unitizing alpha, which is always offered).
    """
    checked = check_unit(unit)
    offered = [m for m in _measures(checked, n_coders) if m != "percent_agreement"]
    return [*offered, "unitized_alpha"]


def flag_measure(unit: str, n_coders: int, chosen: str | None = None) -> str:
    """``chosen`` if the table at ``unit`` reports it (else a one-line error); by default
    the first of :func:`flag_measures`."""
    offered = flag_measures(unit, n_coders)
    if chosen is None or chosen == "auto":
        return offered[0]
    if chosen not in offered:
        raise ValidationError(
            f"--flag-on {chosen} is not reported at unit {unit} for {n_coders} coders; "
            f"choose one of {', '.join(offered)}"
        )
    return chosen


def flag_note(measure: str, below: float) -> str:
    """The line stamped on a per-code table saying which rows are flagged and why."""
    return (
        f"flagged: codes whose {MEASURE_NAMES[measure]} is below {below:g}, undefined ones not "
        "(the default 0.6 is where Landis & Koch's 1977 'substantial' band begins)"
    )


def code_table(data: AgreementData, options: ReportOptions = DEFAULT_OPTIONS) -> pd.DataFrame:
    """Per code: :func:`qualcarto.agreement.agreement_report` with each code's name and facets.

    Columns ``code_id``, ``name``, one per codebook facet, the report's columns, then
    ``flagged``: True where the :func:`flag_measure` coefficient (``flag_on``, default
    Cohen's kappa for two coders at char/document, alpha for more, Brennan-Prediger at
    segment) is below ``flag_below``; False where it is not or is undefined.
    """
    o = options
    measure = flag_measure(o.unit, len(data.coders), o.flag_on)
    if not math.isfinite(o.flag_below):
        raise ValidationError(f"--flag-below must be a number, got {o.flag_below}")
    with plain_errors():
        report = agreement_report(
            data.codings,
            data.lengths,
            data.coders,
            check_unit(o.unit),
            o.overlap,
            o.bootstrap,
            o.seed,
            unitized=o.unitized,
        )
    facets = data.codes.set_index("code_id")[list(data.facets)]
    report.insert(1, "name", [data.code_name(c) for c in report["code_id"]])
    for position, facet in enumerate(data.facets, start=2):
        report.insert(position, facet, [facets[facet].get(c) for c in report["code_id"]])
    report[FLAG_COLUMN] = (report[measure] < o.flag_below).to_numpy(dtype=bool)
    return report


def pooled_intervals(
    data: AgreementData, options: ReportOptions = DEFAULT_OPTIONS
) -> dict[str, float]:
    """95% percentile bootstrap intervals of the pooled row only (``options.bootstrap``
    resamples of transcripts, ``options.seed``): ``<measure>_ci_low``/``_ci_high`` for each
    chance-corrected measure of the per-code table. The same resamples as
    :func:`code_table`'s pooled row, without the per-code work."""
    checked = check_unit(options.unit)
    if options.bootstrap < 1:
        return {}
    with plain_errors():
        spans = validate_codings(data.codings, data.lengths, data.coders)
        cells = unit_cells(spans, checked, options.overlap)
        measures = interval_measures(checked, len(spans.coders))
        found = percentile_intervals(
            cells, measures, options.bootstrap, 0.95, options.seed, pooled_only=True
        )
    out: dict[str, float] = {}
    for measure in measures:
        out[f"{measure}_ci_low"], out[f"{measure}_ci_high"] = map(float, found[measure][-1, :2])
    return out


def _measures(unit: Unit, n_coders: int) -> list[str]:
    if n_coders > 2:
        return multi_coder_measures(unit)
    if unit == "segment":
        return ["percent_agreement", "brennan_prediger"]
    return ["percent_agreement", "cohen_kappa", "krippendorff_alpha"]


def _coder_columns(data: AgreementData, stem: str) -> list[str]:
    if len(data.coders) == 2:
        return [f"{stem}_a", f"{stem}_b"]
    return [f"{stem}_{coder}" for coder in data.coders]


def transcript_table(
    data: AgreementData,
    options: ReportOptions = DEFAULT_OPTIONS,
    by_code: bool = False,
    pool_units: bool = False,
) -> pd.DataFrame:
    """Agreement per transcript (pooled over codes) or per transcript and code.

    ``pool_units``: when the transcripts were cut into speaker turns or question-answer
    pairs, one row per original transcript, its units' cells pooled (a transcript's row is
    then the ``"(all)"`` row of its units alone), instead of one row per unit.

    The same swept counts and the same measure functions as the per-code table, so a
    transcript's row is the ``"(all)"`` row restricted to that transcript (the segment
    kappa keeps K = all codes of the study). ``by_code`` lists only the codes some coder
    used in the transcript. Columns: ``transcript``, (``code_id``, ``name``), segments
    per coder (``segments_a``/``segments_b`` for two coders, else ``segments_<coder>``),
    at segment level matched segments per coder, then the measures: two coders
    ``percent_agreement`` and ``cohen_kappa``, ``krippendorff_alpha`` (char/document) or
    ``brennan_prediger`` (segment); more coders those of the many-coder table.
    """
    checked = check_unit(options.unit)
    with plain_errors():
        spans = validate_codings(data.codings, data.lengths, data.coders)
        cells = unit_cells(spans, checked, options.overlap)
    m, n_codes = len(spans.coders), len(spans.codes)
    segments = np.zeros((len(spans.transcripts), n_codes, m), dtype=np.int64)
    np.add.at(segments, (spans.transcript, spans.code, spans.coder), 1)
    measures = _measures(checked, m)
    names = [data.transcript_names[t] for t in spans.transcripts]
    swept = cells.values
    if pool_units and data.unit_parents is not None:
        parents = [data.unit_parents[t] for t in spans.transcripts]
        names = list(dict.fromkeys(parents))
        position = {parent: i for i, parent in enumerate(names)}
        index = np.array([position[p] for p in parents], dtype=np.int64)
        swept = np.zeros((len(names), *cells.values.shape[1:]), dtype=cells.values.dtype)
        np.add.at(swept, index, cells.values)
        pooled = np.zeros((len(names), *segments.shape[1:]), dtype=np.int64)
        np.add.at(pooled, index, segments)
        segments = pooled
    records: list[dict[str, object]] = []
    for t, transcript in enumerate(names):
        keys = [c for c in range(n_codes) if segments[t, c].any()] if by_code else [None]
        for c in keys:
            counts = segments[t].sum(axis=0) if c is None else segments[t, c]
            values = swept[t].sum(axis=0) if c is None else swept[t, c]
            record: dict[str, object] = {"transcript": transcript}
            if c is not None:
                record["code_id"] = spans.codes[c]
                record["name"] = data.code_name(spans.codes[c])
            record.update(zip(_coder_columns(data, "segments"), counts.tolist(), strict=True))
            if checked == "segment":
                matched = values[m:].astype(np.int64).tolist()
                record.update(zip(_coder_columns(data, "matched"), matched, strict=True))
            for measure in measures:
                record[measure] = statistic_or_nan(values, checked, measure, m, n_codes)
            records.append(record)
    return pd.DataFrame(records)


def pair_table(data: AgreementData, options: ReportOptions = DEFAULT_OPTIONS) -> pd.DataFrame:
    """Pooled agreement of every pair of the coders (the ``"(all)"`` row of each pair's report).

    Columns ``coder_a``, ``coder_b``, then the report's pooled columns for the pair. At
    segment level each pair's kappa uses K = the codes either coder of the pair used.
    """
    rows = []
    for a, b in combinations(data.coders, 2):
        with plain_errors():
            report = agreement_report(
                data.codings, data.lengths, (a, b), check_unit(options.unit), options.overlap
            )
        pooled = report.iloc[-1].drop("code_id").to_dict()
        rows.append({"coder_a": a, "coder_b": b, **pooled})
    return pd.DataFrame(rows)


def describe(data: AgreementData, options: ReportOptions = DEFAULT_OPTIONS) -> list[str]:
    """Plain-text lines stating what was measured, to stamp on every output."""
    checked = check_unit(options.unit)
    bootstrap, seed = options.bootstrap, options.seed
    with plain_errors():
        share = overlap_fraction(options.overlap)
    coders = ", ".join(f"{name} ({data.coder_kinds[name]})" for name in data.coders)
    rule = UNIT_RULES[checked].format(share=f"{float(share):.0%}")
    measured, named = counted(len(data.lengths), "transcript"), str(checked)
    if data.unit_name is not None:
        rule = f"each {data.unit_name}; the code is present or absent for each coder"
        rule += " (Campbell et al. 2013)"
        measured, named = counted(len(data.lengths), data.unit_name), data.unit_name
    counts = data.codings.groupby("codebook_version").size()
    found = f"{measured}, {counted(len(data.codings), 'coding')}"
    if data.group is not None:
        found += f" of transcript group '{data.group}'"
    if data.version_filter is not None:
        found += f", only those made under codebook version {data.version_filter}"
    elif len(counts) == 1:
        found += f", all made under codebook version {counts.index[0]}"
    elif len(counts) > 1:
        made = [f"{n} under version {v}" for v, n in counts.items()]
        found += f": {made[0].replace('under', 'made under codebook', 1)}, {', '.join(made[1:])}"
    lines = [
        f"coders: {coders}",
        f"unit: {named} - {rule}",
        found,
        "proportions are shares in [0, 1]",
    ]
    if bootstrap:
        lines.append(
            f"95% intervals: percentile bootstrap, {bootstrap} resamples of transcripts, "
            f"seed {seed}"
        )
    return lines


__all__ = [
    "ALL_CODES_NAME",
    "DEFAULT_FLAG_BELOW",
    "DEFAULT_OPTIONS",
    "FLAG_COLOR",
    "FLAG_COLUMN",
    "MEASURE_NAMES",
    "AgreementData",
    "ReportOptions",
    "code_table",
    "describe",
    "flag_measure",
    "flag_measures",
    "flag_note",
    "pair_table",
    "plain_errors",
    "pooled_intervals",
    "transcript_table",
]

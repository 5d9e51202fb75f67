# SPDX-License-Identifier: MIT
"""Every table of the agreement report at once, and the About rows that stamp them.

Pure: the xlsx workbook (``qualcarto.exchange.agreement_xlsx``), the app's agreement
page and the methods appendix compute the tables here once and write them their way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from qualcarto import __version__
from qualcarto.agreement.anatomy import disagreements
from qualcarto.agreement.tables import (
    DEFAULT_OPTIONS,
    MEASURE_NAMES,
    AgreementData,
    ReportOptions,
    code_table,
    describe,
    flag_measure,
    flag_note,
    pair_table,
    transcript_table,
)


@dataclass(frozen=True)
class AgreementTables:
    """Every table of the agreement report, computed once for all outputs."""

    per_code: pd.DataFrame
    per_transcript: pd.DataFrame
    pairs: pd.DataFrame | None  # None for two coders
    disagreements: pd.DataFrame


def agreement_tables(
    data: AgreementData,
    options: ReportOptions = DEFAULT_OPTIONS,
    segments: AgreementData | None = None,
) -> AgreementTables:
    """The per-code, per-transcript, coder-pair (3+ coders) and disagreement tables.

    ``segments``: the data whose coded segments the disagreements list, when ``data``
    was cut into other units (speaker turns, question-answer pairs); default ``data``.
    """
    return AgreementTables(
        per_code=code_table(data, options),
        per_transcript=transcript_table(data, options),
        pairs=pair_table(data, options) if len(data.coders) > 2 else None,
        disagreements=disagreements(segments or data, options.overlap),
    )


def about_rows(
    data: AgreementData,
    options: ReportOptions = DEFAULT_OPTIONS,
    generated_at: datetime | None = None,
) -> list[tuple[str, str]]:
    """What was measured, as (name, value) pairs for the About sheet."""
    o = options
    measure = flag_measure(o.unit, len(data.coders), o.flag_on)
    when = generated_at or datetime.now(UTC)
    return [
        ("report", "Intercoder agreement"),
        ("tool version", f"qualcarto {__version__}"),
        ("generated at", when.isoformat(timespec="seconds")),
        ("coders", ", ".join(f"{c} ({data.coder_kinds[c]})" for c in data.coders)),
        ("unit", o.unit),
        ("overlap", f"{o.overlap:g}"),
        ("codebook versions", ", ".join(map(str, data.codebook_versions))),
        ("transcripts", str(len(data.lengths))),
        ("codings", str(len(data.codings))),
        ("flag measure", MEASURE_NAMES[measure]),
        ("flag below", f"{o.flag_below:g}"),
        ("bootstrap resamples", str(o.bootstrap)),
        ("seed", str(o.seed)),
        *(("about", line) for line in describe(data, o)),
        ("about", flag_note(measure, o.flag_below)),
        ("how to cite", "formulas, sources and a methods sentence: docs/agreement.md"),
    ]


__all__ = ["AgreementTables", "about_rows", "agreement_tables"]

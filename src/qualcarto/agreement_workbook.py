# SPDX-License-Identifier: MIT
"""The agreement report's tables and its About lines, computed once for every output.

The per-code table (facets, counts, coefficients, intervals, flags), the per-transcript
table, the coder-pair table for three or more coders and the disagreements come from
``qualcarto.agreement_data`` (the same calls as the csv and json outputs); the xlsx
writer is ``qualcarto.exchange.agreement_xlsx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from qualcarto import __version__
from qualcarto.agreement_data import (
    DEFAULT_FLAG_BELOW,
    MEASURE_NAMES,
    AgreementData,
    code_table,
    describe,
    disagreements,
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
    unit: str = "segment",
    overlap: float = 0.9,
    bootstrap: int = 0,
    seed: int = 0,
    flag_below: float = DEFAULT_FLAG_BELOW,
    flag_on: str | None = None,
) -> AgreementTables:
    """The per-code, per-transcript, coder-pair (3+ coders) and disagreement tables."""
    return AgreementTables(
        per_code=code_table(data, unit, overlap, bootstrap, seed, flag_below, flag_on),
        per_transcript=transcript_table(data, unit, overlap),
        pairs=pair_table(data, unit, overlap) if len(data.coders) > 2 else None,
        disagreements=disagreements(data, overlap),
    )


def about_rows(
    data: AgreementData,
    unit: str,
    overlap: float,
    bootstrap: int = 0,
    seed: int = 0,
    flag_below: float = DEFAULT_FLAG_BELOW,
    flag_on: str | None = None,
    generated_at: datetime | None = None,
) -> list[tuple[str, str]]:
    """What was measured, as (name, value) pairs for the About sheet."""
    measure = flag_measure(unit, len(data.coders), flag_on)
    when = generated_at or datetime.now(UTC)
    return [
        ("report", "Intercoder agreement"),
        ("tool version", f"qualcarto {__version__}"),
        ("generated at", when.isoformat(timespec="seconds")),
        ("coders", ", ".join(f"{c} ({data.coder_kinds[c]})" for c in data.coders)),
        ("unit", unit),
        ("overlap", f"{overlap:g}"),
        ("codebook versions", ", ".join(map(str, data.codebook_versions))),
        ("transcripts", str(len(data.lengths))),
        ("codings", str(len(data.codings))),
        ("flag measure", MEASURE_NAMES[measure]),
        ("flag below", f"{flag_below:g}"),
        ("bootstrap resamples", str(bootstrap)),
        ("seed", str(seed)),
        *(("about", line) for line in describe(data, unit, overlap, bootstrap, seed)),
        ("about", flag_note(measure, flag_below)),
        ("how to cite", "formulas, sources and a methods sentence: docs/agreement.md"),
    ]


__all__ = [
    "AgreementTables",
    "about_rows",
    "agreement_tables",
]

# SPDX-License-Identifier: MIT
"""The agreement report as one Excel workbook: each table a sheet, and an About sheet.

A methods section and a codebook meeting both want the whole report in one file: the
per-code table (facets, counts, coefficients, intervals, flags), the per-transcript
table, the coder-pair table for three or more coders and the disagreements, with what
was measured stamped on an About sheet. The tables come from ``qualcarto.agreement_data``
(the same calls as the csv and json outputs), and the sheets are written with the theme
workbook's helpers, so quotes starting with ``=`` stay text here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from qualcarto import __version__
from qualcarto.agreement_data import (
    DEFAULT_FLAG_BELOW,
    FLAG_COLUMN,
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
from qualcarto.exchange.xlsx import _Cells, _write_frame, sheet_title

FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
WIDTHS = {"code_id": 28, "name": 40, "transcript": 14, "text": 70, "other_text": 70}


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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values of any dtype (NaN, pd.NA, None) as None: empty cells."""
    return frame.astype(object).where(frame.notna(), None)


def write_agreement_workbook(
    target: Path | IO[bytes],
    data: AgreementData,
    tables: AgreementTables,
    about: list[tuple[str, str]],
) -> list[str]:
    """Write the report's tables as sheets of one xlsx file; returns the sheet names.

    Sheets: About, Per code (flagged rows shaded, code names in their codebook colour),
    Per transcript, Coder pairs (three or more coders), Disagreements.
    """
    wb = Workbook(write_only=True)
    cells = _Cells()
    _write_frame(wb, cells, "About", pd.DataFrame(about, columns=["name", "value"]),
                 {"name": 22, "value": 100})  # fmt: skip
    colors = dict(zip(data.codes["code_id"], data.codes["color"], strict=True))
    per_code = tables.per_code
    _write_frame(wb, cells, "Per code", _plain(per_code), WIDTHS,
                 per_code["code_id"].map(colors))  # fmt: skip
    if len(per_code):
        flag = get_column_letter(per_code.columns.get_loc(FLAG_COLUMN) + 1)  # type: ignore[operator]
        rows = f"A2:{get_column_letter(len(per_code.columns))}{len(per_code) + 1}"
        rule = FormulaRule(formula=[f"${flag}2=TRUE"], fill=FLAG_FILL)
        wb.worksheets[-1].conditional_formatting.add(rows, rule)
    _write_frame(wb, cells, "Per transcript", _plain(tables.per_transcript), WIDTHS)
    if tables.pairs is not None:
        _write_frame(wb, cells, "Coder pairs", _plain(tables.pairs), WIDTHS)
    _write_frame(wb, cells, "Disagreements", _plain(tables.disagreements), WIDTHS)
    names = [sheet_title(ws.title) for ws in wb.worksheets]
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return names


__all__ = [
    "AgreementTables",
    "about_rows",
    "agreement_tables",
    "write_agreement_workbook",
]

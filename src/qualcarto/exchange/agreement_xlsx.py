# SPDX-License-Identifier: MIT
"""The agreement report as one Excel workbook: each table a sheet, and an About sheet.

A methods section and a codebook meeting both want the whole report in one file. The
tables come from ``qualcarto.agreement.agreement_tables``; the sheets are
written with the theme workbook's cell maker, so quotes starting with ``=`` stay text
here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from qualcarto.agreement import FLAG_COLOR, FLAG_COLUMN, AgreementData, AgreementTables
from qualcarto.exchange.xlsx import Cells, sheet_title, write_frame

FLAG_FILL = PatternFill("solid", fgColor=FLAG_COLOR.lstrip("#").upper())
WIDTHS = {"code_id": 28, "name": 40, "transcript": 14, "text": 70, "other_text": 70}


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
    cells = Cells()
    write_frame(
        wb,
        cells,
        "About",
        pd.DataFrame(about, columns=["name", "value"]),
        {"name": 22, "value": 100},
    )
    colors = dict(zip(data.codes["code_id"], data.codes["color"], strict=True))
    per_code = tables.per_code
    write_frame(wb, cells, "Per code", _plain(per_code), WIDTHS, per_code["code_id"].map(colors))
    if len(per_code):
        flag = get_column_letter(per_code.columns.get_loc(FLAG_COLUMN) + 1)  # type: ignore[operator]
        rows = f"A2:{get_column_letter(len(per_code.columns))}{len(per_code) + 1}"
        rule = FormulaRule(formula=[f"${flag}2=TRUE"], fill=FLAG_FILL)
        wb.worksheets[-1].conditional_formatting.add(rows, rule)
    write_frame(wb, cells, "Per transcript", _plain(tables.per_transcript), WIDTHS)
    if tables.pairs is not None:
        write_frame(wb, cells, "Coder pairs", _plain(tables.pairs), WIDTHS)
    write_frame(wb, cells, "Disagreements", _plain(tables.disagreements), WIDTHS)
    names = [sheet_title(ws.title) for ws in wb.worksheets]
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return names

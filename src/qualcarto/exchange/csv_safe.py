# SPDX-License-Identifier: MIT
"""CSV that a spreadsheet opens as data, never as formulas.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, tab or carriage return) as a formula, so an excerpt such as
``=HYPERLINK("http://evil", "click")`` in a transcript would become a live link in a
lead's workbook. Following OWASP's advice on CSV injection, such text cells get a
leading apostrophe, which spreadsheets show as text and hide. Numbers are left alone.
``raw=True`` writes the text as it is, for programs (pandas, R) rather than spreadsheets.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """``value`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot start a formula."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralize)
    safe.columns = [neutralize(name) for name in safe.columns]
    return safe


def to_csv(
    frame: pd.DataFrame, target: Path | IO[str] | None = None, *, raw: bool = False
) -> str | None:
    """Write ``frame`` as UTF-8 csv without its index: to ``target``, or return the text."""
    table = frame if raw else spreadsheet_safe(frame)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
        return None
    return table.to_csv(target, index=False, lineterminator="\n")

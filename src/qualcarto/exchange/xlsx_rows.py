# SPDX-License-Identifier: MIT
"""A write-only worksheet that writes plain numbers and text itself, for large workbooks.

openpyxl's write-only mode streams rows, but turns every value into a cell object and
writes it through a general routine that checks formulas, dates, hyperlinks, comments
and styles: about 8 µs a value, which is most of the time a workbook of a million
cells takes. ``FastWorksheet`` writes an ``int``, a finite ``float`` or a ``str`` as its
``<c>`` element directly with lxml (the XML library openpyxl itself streams with), in
the form openpyxl writes them (numbers as ``<v>``, text as an inline string, so text is
never a formula), a whole row at a time; ``Styled`` values carry the index of a style
the workbook already holds. Anything else (booleans, dates, cell objects) goes through
openpyxl's own cell writer, so the file is what openpyxl would have written.

It follows openpyxl's write-only stream protocol (``_write_rows`` sending rows to the
sheet's XML stream, as in openpyxl 3.1); ``tests/test_exchange_tables.py`` reads every
kind of value back through openpyxl, so a change there fails a test, not a user.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from typing import Any, NamedTuple

from lxml.etree import Element, SubElement
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}


class Styled(NamedTuple):
    """A number or text with a style: ``style`` is its index in the workbook's cell styles."""

    value: Any
    style: int


class FastWorksheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """``WriteOnlyWorksheet`` whose rows of plain values skip openpyxl's per-cell objects."""

    _letters: list[str]

    def _write_rows(self) -> Generator[None, Sequence[Any], None]:
        # The same stream protocol as WriteOnlyWorksheet._write_rows; only each row differs.
        xf = self._writer.xf.send(True)
        self._letters = []
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    self._write_row(xf, row, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _write_row(self, xf: Any, values: Sequence[Any], row_idx: int) -> None:
        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        number = str(row_idx)
        row = Element("row", r=number)
        for column, value in enumerate(values):
            if value is None:
                continue
            style = None
            if type(value) is Styled:
                value, style = value
            kind = type(value)
            if kind is str:
                cell = SubElement(row, "c", r=letters[column] + number, t="inlineStr")
                text = SubElement(
                    SubElement(cell, "is"), "t", _PRESERVE if value != value.strip() else {}
                )
                text.text = value
            elif kind is int or (kind is float and math.isfinite(value)):
                cell = SubElement(row, "c", r=letters[column] + number, t="n")
                SubElement(cell, "v").text = repr(value)  # exact, as str() of an int
            else:
                cell = self._other(row, value, row_idx, column + 1)
            if style is not None:
                cell.set("s", str(style))
        xf.write(row)

    def _other(self, row: Any, value: Any, row_idx: int, column: int) -> Any:
        """A boolean, a date or a cell object, written by openpyxl's own cell writer."""
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self, value)
        cell.row, cell.column = row_idx, column
        etree_write_cell(_Into(row), self, cell, cell.has_style)
        return row[-1]


class _Into:
    """Stands in for openpyxl's XML stream: takes the cell element into the row being built."""

    def __init__(self, row: Any) -> None:
        self.row = row

    def write(self, element: Any) -> None:
        self.row.append(element)


def fast_sheet(wb: Workbook, title: str) -> FastWorksheet:
    """A new ``FastWorksheet`` at the end of the write-only workbook ``wb``."""
    ws = FastWorksheet(parent=wb, title=title)
    wb._add_sheet(ws)
    return ws

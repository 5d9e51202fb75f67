# SPDX-License-Identifier: MIT
"""The theme-matrix workbook: every report as a sheet, streamed with openpyxl write-only.

Write-only mode keeps one row in memory at a time, so a study with a hundred thousand
excerpts writes in flat memory. Every text cell is forced to be text, so a quote that
starts with ``=`` stays a quote and never becomes a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qualcarto.exchange.data import StudyData, codings_with_memos
from qualcarto.exchange.xlsx_rows import Styled, fast_sheet
from qualcarto.reports import (
    code_by_attribute,
    code_by_group,
    code_by_transcript,
    cooccurrence,
    excerpts,
    facet_matrix,
)
from qualcarto.reports.matrices import TranscriptMeasure

EXCEL_TEXT_LIMIT = 32_767
SHEET_NAME_LIMIT = 31
MAX_ATTRIBUTE_VALUES = 20
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
WRAP = Alignment(wrap_text=True, vertical="top")
HEAT_LOW, HEAT_HIGH = "FFFFFF", "F8696B"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
GROUP_SHEET = "By transcript group"


def sheet_title(title: str) -> str:
    """An Excel-legal sheet name: no ``[]:*?/\\``, at most 31 characters."""
    return _SHEET_UNSAFE.sub("-", title)[:SHEET_NAME_LIMIT]


def default_attributes(transcripts: pd.DataFrame) -> list[str]:
    """Participant attributes worth a matrix: those with 1 to 20 distinct values."""
    base = {"transcript_id", "transcript", "length", "participant_id"}
    return [
        column
        for column in transcripts.columns
        if column not in base and 0 < transcripts[column].nunique() <= MAX_ATTRIBUTE_VALUES
    ]


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str | None:
    """Text as a cell holds it: no characters XML forbids, at most Excel's limit; "" is None."""
    if not value:
        return None
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_TEXT_LIMIT:
        value = value[: EXCEL_TEXT_LIMIT - 1] + "…"
    return value


class Cells:
    """Gives each value its style in one workbook; each distinct style is made once.

    A value without a style stays a plain value; a styled one becomes ``Styled(value,
    index)``, the index of its style in the workbook, which ``FastWorksheet`` writes
    without making a cell object. Text is always written as text, never as a formula,
    whatever it starts with. One ``Cells`` serves one workbook.
    """

    def __init__(self) -> None:
        self._styles: dict[tuple[bool, bool, str | None], int] = {}

    def __call__(
        self,
        ws: WriteOnlyWorksheet,
        value: Any,
        *,
        header: bool = False,
        wrap: bool = False,
        color: object = None,
    ) -> Any:
        value = _clean(value)
        style = self.style(ws, header=header, wrap=wrap, color=color)
        return value if value is None or style is None else Styled(value, style)

    def style(
        self, ws: WriteOnlyWorksheet, *, header: bool = False, wrap: bool = False, color: object
    ) -> int | None:
        """The workbook's index of this style (None: the default style); made on first use."""
        code_color = color if isinstance(color, str) and _HEX.fullmatch(color) else None
        key = (header, wrap, code_color)
        if key == (False, False, None):
            return None
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._style_index(ws, header, wrap, code_color)
        return style

    @staticmethod
    def _style_index(ws: WriteOnlyWorksheet, header: bool, wrap: bool, color: str | None) -> int:
        cell = WriteOnlyCell(ws)
        if header:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        if wrap:
            cell.alignment = WRAP
        if color is not None:
            cell.fill = PatternFill("solid", fgColor=color[1:].upper())
            cell.font = Font(color=_contrast(color))
        return int(cell.style_id)


def _contrast(color: str) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "FFFFFF"


def _start_sheet(
    wb: Workbook,
    cells: Cells,
    title: str,
    header: Sequence[str],
    widths: Sequence[float],
    n_rows: int,
    freeze: str,
) -> WriteOnlyWorksheet:
    ws = fast_sheet(wb, sheet_title(title))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A1:{last}{n_rows + 1}"
    ws.append([cells(ws, h, header=True) for h in header])
    return ws


def _write_matrix(
    wb: Workbook, cells: Cells, title: str, table: pd.DataFrame, labels: dict[str, Any]
) -> None:
    """A matrix with its row keys, a code-name column (coloured) when given, and a heat map."""
    names: dict[Any, Any] | None = labels.get("names")
    colors = labels.get("colors", {})
    lead = [table.index.name or ""] + (["name"] if names is not None else [])
    header: list[str] = [str(h) for h in lead] + [str(c) for c in table.columns]
    widths = [24, 40][: len(lead)] + [min(max(len(str(c)) + 2, 8), 30) for c in table.columns]
    first = get_column_letter(len(lead) + 1)
    ws = _start_sheet(wb, cells, title, header, widths, len(table), f"{first}2")
    for key, row in zip(table.index, table.to_numpy(), strict=True):
        row_cells = [cells(ws, key)]
        if names is not None:
            row_cells.append(cells(ws, names.get(key, key), color=colors.get(key)))
        ws.append([*row_cells, *row.tolist()])
    if len(table) and len(table.columns):
        ref = f"{first}2:{get_column_letter(len(header))}{len(table) + 1}"
        ws.conditional_formatting.add(
            ref,
            ColorScaleRule(
                start_type="min", start_color=HEAT_LOW, end_type="max", end_color=HEAT_HIGH
            ),
        )


def _column(
    ws: WriteOnlyWorksheet,
    cells: Cells,
    values: pd.Series,
    *,
    wrap: bool = False,
    colors: Sequence[object] | None = None,
) -> list[Any]:
    """One column's values as the sheet takes them, prepared at once rather than cell by cell.

    Missing values and empty text become ``None`` (no cell at all); numbers and text stay
    Python values; a styled one (wrapped, coloured) is ``Styled`` with its style's index.
    """
    raw = values.astype(object).where(values.notna(), None).tolist()
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        plain = raw
    else:
        plain = [_text(v) if type(v) is str else _clean(v) for v in raw]
    if colors is None and not wrap:
        return plain
    chosen = colors if colors is not None else [None] * len(plain)
    styles = {c: cells.style(ws, wrap=wrap, color=c) for c in set(chosen)}
    return [
        v if v is None or (style := styles[c]) is None else Styled(v, style)
        for v, c in zip(plain, chosen, strict=True)
    ]


def write_frame(
    wb: Workbook,
    cells: Cells,
    title: str,
    frame: pd.DataFrame,
    widths: Mapping[str, float],
    colors: pd.Series | None = None,
) -> None:
    """A plain table; columns 60 wide or more hold quotes and wrap; code names are coloured.

    The rows are assembled column by column (one list per column, zipped), so the
    Python work per cell is a list step, not a call: the Excerpts sheet of a large
    study has a million cells.
    """
    header = list(frame.columns)
    ws = _start_sheet(
        wb, cells, title, header, [widths.get(c, 14) for c in header], len(frame), "A2"
    )
    colored = next((c for c in ("code", "name") if c in header), None)
    color_values = colors.tolist() if colors is not None else None
    columns = [
        _column(
            ws,
            cells,
            frame[name],
            wrap=widths.get(name, 14) >= 60,
            colors=color_values if name == colored else None,
        )
        for name in header
    ]
    for row in zip(*columns, strict=True):
        ws.append(row)


SheetWriter = Callable[[Workbook, Cells, str], None]


def _sheet_plan(data: StudyData, chosen: Sequence[str]) -> list[tuple[str, SheetWriter]]:
    """Every sheet of the theme workbook in order: its title and what writes it.

    The one list of sheets: ``build_sheets`` reads its titles, ``write_workbook`` runs it.
    Nothing is computed until a sheet is written.
    """
    codes = data.codes
    labels = {
        "names": dict(zip(codes["code_id"], codes["name"], strict=True)),
        "colors": dict(zip(codes["code_id"], codes["color"], strict=True)),
    }
    args = (data.codings, codes, data.transcripts)

    def matrix(table: Callable[[], pd.DataFrame], named: bool = True) -> SheetWriter:
        return lambda wb, cells, title: _write_matrix(
            wb, cells, title, table(), labels if named else {}
        )

    def about(wb: Workbook, cells: Cells, title: str) -> None:
        frame = pd.DataFrame(data.about(), columns=["name", "value"])
        write_frame(wb, cells, title, frame, {"name": 40, "value": 60})

    def code_list(wb: Workbook, cells: Cells, title: str) -> None:
        columns = ["code_id", "name", "path", "status", "color", "definition", *data.facets]
        widths = {"code_id": 24, "name": 40, "path": 50, "definition": 80}
        write_frame(wb, cells, title, codes[columns], widths, codes["color"])

    def quotes(wb: Workbook, cells: Cells, title: str) -> None:
        table = excerpts(codings_with_memos(data), codes)
        colors = table["code_id"].map(labels["colors"])
        widths = {"code_id": 24, "code": 36, "path": 40, "transcript": 14, "text": 80, "memo": 60}
        write_frame(wb, cells, title, table, widths, colors)

    def memo_list(wb: Workbook, cells: Cells, title: str) -> None:
        memos = data.memos.drop(columns=["row_version"]).assign(
            updated_at=data.memos["updated_at"].astype(str).str[:19]
        )
        widths = {"title": 30, "about": 24, "text": 80, "updated_at": 20}
        write_frame(wb, cells, title, memos, widths)

    plan: list[tuple[str, SheetWriter]] = [("About", about), ("Codes", code_list)]
    measures: list[tuple[str, TranscriptMeasure]] = [
        ("Codings per transcript", "count"),
        ("Presence", "presence"),
        ("Coded characters", "characters"),
    ]
    for title, measure in measures:
        plan.append((title, matrix(partial(code_by_transcript, *args, measure))))
    for attribute in chosen:
        plan.append((f"By {attribute}", matrix(partial(code_by_attribute, *args, attribute))))
    if len(data.groups):
        by_group = partial(code_by_group, data.codings, codes, data.groups)
        plan.append((GROUP_SHEET, matrix(by_group)))
    if len(data.facets) >= 2:
        rows, cols = _facet_pair(data)
        facets = partial(facet_matrix, data.codings, codes, rows, cols, data.codebook.facets)
        plan.append((f"{rows} x {cols}", matrix(facets, named=False)))
    for scope in ("overlap", "transcript"):
        plan.append(
            (f"Co-occurrence {scope}", matrix(partial(cooccurrence, data.codings, codes, scope)))
        )
    plan.append(("Excerpts", quotes))
    plan.append(("Memos", memo_list))
    return plan


def _chosen_attributes(data: StudyData, attributes: Sequence[str] | None) -> list[str]:
    return default_attributes(data.transcripts) if attributes is None else list(attributes)


def build_sheets(data: StudyData, attributes: Sequence[str] | None = None) -> list[str]:
    """The titles of the sheets ``write_workbook`` writes, in order (for progress bars)."""
    plan = _sheet_plan(data, _chosen_attributes(data, attributes))
    return [sheet_title(title) for title, _ in plan]


def _facet_pair(data: StudyData) -> tuple[str, str]:
    layout = data.codebook.settings.get("cartography", {})
    rows, cols = layout.get("rows"), layout.get("cols")
    if rows in data.facets and cols in data.facets and rows != cols:
        return str(rows), str(cols)
    return data.facets[0], data.facets[1]


def write_workbook(
    data: StudyData,
    path: Path,
    attributes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Write every theme matrix of ``data`` as one sheet of an xlsx file; returns sheet names.

    ``attributes`` picks the participant attributes that get a codes x attribute
    sheet (default: those with at most 20 distinct values).
    """
    done = progress or (lambda _title: None)
    wb = Workbook(write_only=True)
    cells = Cells()
    plan = _sheet_plan(data, _chosen_attributes(data, attributes))
    for title, write in plan:
        write(wb, cells, title)
        done(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return [sheet_title(title) for title, _ in plan]

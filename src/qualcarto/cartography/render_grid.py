# SPDX-License-Identifier: MIT
"""Draw the cartography grid (the study's Figure 1) and one row of it (Figures 2-7).

Every label is measured and wrapped before anything is placed: a cell grows to
hold its codes, a row to hold its tallest cell, the figure to hold its rows, so
no text can overlap another or leave the page. Codes are drawn as
``name (n=interviews)`` behind a marker whose colour and shape come from the
split value's position in the codebook's vocabulary.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from qualcarto.cartography.grid import CartographyMap, Cell
from qualcarto.cartography.layout import TextMeasurer, TextStyle, type_scale, with_count
from qualcarto.cartography.palette import (
    BAND_FILL,
    HEADER_FILL,
    RULE,
    marker_size,
    split_styles,
    style_for,
)
from qualcarto.cartography.sheet import LegendEntry, Sheet, legend_size

PAPER_WIDTH = 7.0  # inches: the text width of a two-column page
MIN_COLUMN = 1.3  # inches at 6.5 pt: the narrowest a fitted column gets
# Average advance of a DejaVu Sans glyph, in ems: only to compare column layouts.
_EM_PER_CHAR = 0.55
COUNT_NOTE = "n = interviews supporting the code"


@dataclass(frozen=True)
class GridGeometry:
    """Spacing of a grid figure, in inches unless marked as points."""

    margin: float = 0.1
    pad: float = 0.05
    item_gap: float = 0.04
    split_gap: float = 0.09
    row_label_width: float = 0.8
    title_gap: float = 0.1
    legend_gap: float = 0.1
    marker_pt: float = 4.2


def facet_label(facet: str) -> str:
    """Readable name of a facet key: ``collab_type`` -> ``collab type``."""
    return facet.replace("_", " ")


def heading(value: str) -> str:
    """Capitalize a vocabulary value for a heading, keeping the rest as written."""
    return value[:1].upper() + value[1:]


def _default_title(m: CartographyMap, row: str | None = None) -> str:
    what = " and ".join(m.splits) + " codes" if m.splits else "Codes"
    if row is None:
        return heading(f"{what} by {facet_label(m.col_facet)} and {facet_label(m.row_facet)}")
    return f"{heading(row)}: {what.lower()} by {facet_label(m.col_facet)}"


def _cell_items(
    cell: Cell, measurer: TextMeasurer, text_w: float, body: TextStyle, g: GridGeometry
) -> tuple[list[tuple[str, float, float]], float]:
    """Wrap a cell's code labels; return (text, offset, height) per code and the total height.

    Codes of different split values are set further apart than codes of the same one.
    """
    items = []
    offset = 0.0
    for index, code in enumerate(cell.codes):
        if index:
            offset += g.split_gap if code.split != cell.codes[index - 1].split else g.item_gap
        wrapped, _, height = measurer.block(with_count(code.name, code.interviews), text_w, body)
        items.append((wrapped, offset, height))
        offset += height
    return items, offset


def estimated_height(
    m: CartographyMap,
    rows: Sequence[str],
    widths: Sequence[float],
    fontsize: float,
    overhead: float,
) -> float:
    """Rough height of the rows' cells with these column widths, in lines of text."""
    char_w = _EM_PER_CHAR * fontsize / 72
    total = 0.0
    for row in rows:
        tallest = 0.0
        for cell, width in zip(m.row_cells(row), widths, strict=True):
            # Smooth on purpose (a label's last line counts half), so that small
            # changes of width change the estimate and the search can move.
            chars_per_line = max(1.0, (width - overhead) / char_w)
            lines = sum((len(c.name) + 6) / chars_per_line + 0.5 for c in cell.codes)
            tallest = max(tallest, lines)
        total += tallest
    return total


def fit_widths(
    m: CartographyMap,
    rows: Sequence[str],
    total: float,
    minimum: float,
    fontsize: float,
    overhead: float,
    step: float = 0.05,
) -> list[float]:
    """Share ``total`` inches among the columns so the estimated height is least."""
    n = len(m.cols)
    widths = [total / n] * n
    best = estimated_height(m, rows, widths, fontsize, overhead)
    improved = True
    while improved:
        improved = False
        for give, take in itertools.permutations(range(n), 2):
            if widths[give] - step < minimum:
                continue
            trial = list(widths)
            trial[give] -= step
            trial[take] += step
            height = estimated_height(m, rows, trial, fontsize, overhead)
            if height < best - 1e-9:
                widths, best, improved = trial, height, True
    return widths


def draw_grid(
    m: CartographyMap,
    rows: Sequence[str],
    title: str,
    width: float,
    fontsize: float,
    row_labels: bool,
    geometry: GridGeometry | None = None,
    fit_columns: bool = True,
) -> Figure:
    """Draw the given rows of ``m`` as a table of cells; the figure height fits the content.

    With ``fit_columns`` the columns share the width by how much text they
    hold (each at least ``MIN_COLUMN`` inches at 6.5 pt), which keeps a grid
    with one crowded column from growing needlessly tall; else they are equal.
    """
    scale = fontsize / 6.5
    base = geometry or GridGeometry()
    g = GridGeometry(
        margin=base.margin,
        pad=base.pad * scale,
        item_gap=base.item_gap * scale,
        split_gap=base.split_gap * scale,
        row_label_width=base.row_label_width * scale,
        title_gap=base.title_gap,
        legend_gap=base.legend_gap,
        marker_pt=base.marker_pt * scale,
    )
    measurer = TextMeasurer()
    body, head, title_style = type_scale(fontsize)
    styles = split_styles(m.splits)
    marker_pt = g.marker_pt
    marker_w = marker_pt / 72 + 0.045 * scale
    line_h = measurer.line_height(body)

    inner_w = width - 2 * g.margin
    label_w = g.row_label_width if row_labels else 0.0
    overhead = 2 * g.pad + marker_w
    equal_w = (inner_w - label_w) / max(1, len(m.cols))
    if equal_w < 0.6 * scale:
        raise ValueError(f"{len(m.cols)} columns do not fit {width} in; widen the figure")
    col_ws = [equal_w] * len(m.cols)
    if fit_columns:
        minimum = min(MIN_COLUMN * scale, equal_w)
        col_ws = fit_widths(m, rows, inner_w - label_w, minimum, fontsize, overhead)
    x_cols = [g.margin + label_w + sum(col_ws[:i]) for i in range(len(m.cols))]
    sheet = Sheet(width)
    top = g.margin

    if title:
        top += sheet.paragraph(measurer, g.margin, top, title, inner_w, title_style) + g.title_gap

    headers = [
        measurer.block(heading(c), w - 2 * g.pad, head) for c, w in zip(m.cols, col_ws, strict=True)
    ]
    header_h = max(h for _, _, h in headers) + 2 * g.pad
    grid_top = top
    sheet.rect(g.margin + label_w, top, inner_w - label_w, header_h, HEADER_FILL)
    for x, w, (wrapped, _, _) in zip(x_cols, col_ws, headers, strict=True):
        sheet.text(x + w / 2, top + g.pad, wrapped, head, ha="center")
    top += header_h

    for index, row in enumerate(rows):
        label, _, label_h = (
            measurer.block(heading(row), label_w - 2 * g.pad, head) if row_labels else ("", 0, 0)
        )
        cells = m.row_cells(row)
        laid = [
            _cell_items(cell, measurer, w - overhead, body, g)
            for cell, w in zip(cells, col_ws, strict=True)
        ]
        row_h = max([label_h, line_h, *(total for _, total in laid)]) + 2 * g.pad
        if index % 2 == 1:
            sheet.rect(g.margin, top, inner_w, row_h, BAND_FILL)
        if row_labels:
            sheet.text(g.margin + g.pad, top + g.pad, label, head)
        for x, cell, (items, _) in zip(x_cols, cells, laid, strict=True):
            for code, (wrapped, offset, _) in zip(cell.codes, items, strict=True):
                style = style_for(styles, code.split)
                item_top = top + g.pad + offset
                centre = (x + g.pad + marker_w / 2 - 0.02 * scale, item_top + line_h / 2)
                size = marker_size(style.marker, marker_pt)
                sheet.marker(*centre, style.color, style.marker, size)
                sheet.text(x + g.pad + marker_w, item_top, wrapped, body)
        sheet.line([g.margin, g.margin + inner_w], [top, top], RULE, 0.4)
        top += row_h

    for x in [g.margin, *x_cols, g.margin + inner_w]:
        if x == g.margin and not row_labels:
            continue
        sheet.line([x, x], [grid_top if x != g.margin else grid_top + header_h, top], RULE, 0.4)
    if row_labels:
        sheet.line([g.margin, g.margin + label_w], [grid_top + header_h] * 2, RULE, 0.4)
    sheet.line([g.margin, g.margin + inner_w], [top, top], RULE, 0.6)

    top += g.legend_gap
    entries = [LegendEntry(heading(v), styles[v].color, styles[v].marker) for v in m.splits]
    if entries:
        _, legend_h, ncols = legend_size(entries, COUNT_NOTE, body, marker_pt, inner_w)
        sheet.legend(g.margin, top, entries, COUNT_NOTE, body, marker_pt, ncols)
        top += legend_h
    else:
        top += sheet.paragraph(measurer, g.margin, top, COUNT_NOTE, inner_w, body)
    return sheet.figure(top + g.margin, title)


def figure_grid(
    m: CartographyMap,
    title: str | None = None,
    width: float = PAPER_WIDTH,
    fontsize: float = 6.5,
    fit_columns: bool = True,
) -> Figure:
    """Draw the whole map (Figure 1): rows x columns, each cell listing its codes.

    ``title=None`` builds a title from the facets; ``title=""`` draws none. The
    figure is ``width`` inches wide and as tall as its content needs; with
    ``fit_columns`` crowded columns get more of the width than sparse ones.
    """
    chosen = _default_title(m) if title is None else title
    return draw_grid(m, m.rows, chosen, width, fontsize, True, fit_columns=fit_columns)


def figure_row(
    m: CartographyMap,
    row_value: str,
    title: str | None = None,
    width: float = PAPER_WIDTH,
    fontsize: float = 8.0,
    fit_columns: bool = True,
) -> Figure:
    """Draw one row of the map across its columns, in a larger type (Figures 2-7)."""
    if row_value not in m.rows:
        raise ValueError(f"{row_value!r} is not a row of the map; rows are {list(m.rows)}")
    chosen = _default_title(m, row_value) if title is None else title
    return draw_grid(m, [row_value], chosen, width, fontsize, False, fit_columns=fit_columns)

# SPDX-License-Identifier: MIT
"""Draw the cartography grid: the one-page overview (Figure 1), the full grid, one row (2-7).

Every label is set (``text.Typesetter``) before anything is placed. Columns get
at least the width of their widest word and share the rest so that the rows
come out as short as the measured wraps allow; a row is as tall as its tallest
cell, the figure as tall as its rows. Within a cell the codes are grouped under
a labelled heading per split value (``On-ramps``, ``Challenges``: the split reads
in black and white), each code with its support bar and ``(n=interviews)``.
An empty cell says "none reported": little collaboration is a finding too.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from matplotlib.figure import Figure

from qualcarto.cartography.design import (
    Design,
    Provenance,
    ascent,
    draw_caption,
    draw_note,
    draw_title,
    support_bar,
)
from qualcarto.cartography.grid import CartographyMap, Cell
from qualcarto.cartography.palette import (
    INK,
    RULE,
    SplitStyle,
    marker_size,
    split_styles,
    style_for,
)
from qualcarto.cartography.sheet import Sheet
from qualcarto.cartography.text import TextStyle, Typesetter

NONE_REPORTED = "none reported"
MAX_WIDTH = 9.0  # inches: the widest a figure grows, a 7 x 9 in page turned on its side
MIN_COLUMN = 1.1  # inches: the narrowest column, even when empty
ITEM_GAP = 0.25  # leadings between two codes
GROUP_GAP = 0.6  # leadings before a split heading
OVERVIEW_GAP = 0.2


def facet_label(facet: str) -> str:
    """Readable name of a facet key: ``collab_type`` -> ``collab type``."""
    return facet.replace("_", " ")


def heading(value: str) -> str:
    """Capitalize a vocabulary value for a heading, keeping the rest as written."""
    return value[:1].upper() + value[1:]


def plural(value: str) -> str:
    """``on-ramp`` -> ``on-ramps``: a split value naming many codes."""
    return value if value.endswith("s") else value + "s"


def default_title(
    m: CartographyMap, row: str | None = None, labels: Mapping[str, str] | None = None
) -> str:
    """A title from the split values and the facets' readable names."""
    names = labels or {}
    what = " and ".join(plural(s) for s in m.splits) if m.splits else "codes"
    cols = names.get(m.col_facet, facet_label(m.col_facet))
    if row is None:
        rows = names.get(m.row_facet, facet_label(m.row_facet))
        return heading(f"{what} by {cols} and {rows}")
    return f"{heading(row)}: {what} by {cols}"


@dataclass(frozen=True)
class Block:
    """One label of a cell: a split heading, a code, a count or a note."""

    kind: str  # "group", "item", "count" or "note"
    text: str
    tail: str | None = None
    split: str | None = None
    value: int | None = None
    gap: float = 0.0  # leadings before it
    code_id: object = None


def cell_blocks(m: CartographyMap, cell: Cell, overview: bool) -> list[Block]:
    """What a cell shows: per split value a heading and its codes, or counts in the overview."""
    if not cell.codes:
        return [Block("note", NONE_REPORTED)]
    blocks: list[Block] = []
    groups = [
        (split, [c for c in cell.codes if c.split == split]) for split in (m.splits or (None,))
    ]
    for split, codes in groups:
        if not codes:
            continue
        gap = (OVERVIEW_GAP if overview else GROUP_GAP) if blocks else 0.0
        if overview:
            name = split if len(codes) == 1 else plural(split) if split else "codes"
            blocks.append(Block("group", f"{len(codes)}\u00a0{name}", None, split, gap=gap))
            continue
        if split is not None:
            blocks.append(Block("group", heading(plural(split)), None, split, gap=gap))
            gap = 0.0
        for index, code in enumerate(codes):
            blocks.append(
                Block(
                    "item",
                    code.name,
                    f"(n={code.interviews})",
                    split,
                    code.interviews,
                    gap if index == 0 else ITEM_GAP,
                    code.id,
                )
            )
    if overview:
        word = "interview" if cell.interviews == 1 else "interviews"
        count = f"{cell.interviews}\u00a0{word}"
        blocks.append(Block("count", count, None, None, cell.interviews, 0.3))
    return blocks


class CellSetter:
    """Sets and measures the blocks of cells for one design."""

    def __init__(self, design: Design, setter: Typesetter):
        self.d = design
        self.setter = setter
        self.marker_w = design.marker_pt / 72 + 0.05

    def indent(self, block: Block) -> float:
        if block.kind in ("item", "count") and block.value is not None:
            return self.d.bar + self.d.bar_gap
        return self.marker_w if block.kind == "group" and block.split is not None else 0.0

    def style(self, block: Block) -> TextStyle:
        if block.kind == "group":
            return TextStyle(self.d.body, "bold")
        return self.d.muted if block.kind == "note" else self.d.text

    def min_width(self, block: Block) -> float:
        return self.indent(block) + self.setter.min_width(block.text, self.style(block), block.tail)

    def height(self, blocks: Sequence[Block], width: float) -> float:
        """Height in leadings of a cell's blocks set in ``width``."""
        total = -1.0
        for block in blocks:
            lines = self.setter.count_lines(
                block.text, width - self.indent(block), self.style(block), block.tail
            )
            total += block.gap + lines
        return total

    def draw(
        self,
        sheet: Sheet,
        blocks: Sequence[Block],
        at: tuple[float, float, float],
        styles: dict[str, SplitStyle],
        scale: int,
    ) -> float:
        """Draw a cell's blocks at ``(x, first baseline, width)``; return the last baseline."""
        x, baseline, width = at
        leading = self.d.leading
        y = baseline - leading
        for block in blocks:
            y += leading * (1 + block.gap)
            style = self.style(block)
            indent = self.indent(block)
            if block.kind == "note":
                count = draw_note(sheet, self.setter, x, y, block.text, width, self.d)
                y += (count - 1) * leading
                continue
            split = style_for(styles, block.split)
            if block.kind == "group" and block.split is not None:
                centre = y - self.d.body * 0.3 / 72
                size = marker_size(split.marker, self.d.marker_pt)
                sheet.marker(x + self.marker_w / 2 - 0.02, centre, split.color, split.marker, size)
            if block.value is not None:
                color = INK if block.kind == "count" else split.color
                support_bar(sheet, x, y, block.value, scale, self.d, color)
            lines = self.setter.lines(block.text, width - indent, style, block.tail)
            role = "code" if block.kind == "item" else block.kind
            label = sheet.lines(x + indent, y, lines, style, leading, role)
            if block.code_id is not None:
                sheet.tips[f"{role}-{label}-"] = block.code_id
            y += (len(lines) - 1) * leading
        return y


def column_minimums(
    cells: CellSetter, grid: Sequence[Sequence[Sequence[Block]]], floor: float
) -> list[float]:
    """Each column's least width: its widest word (with indent), at least ``floor``."""
    ncols = len(grid[0]) if grid else 0
    return [
        max([floor, *(cells.min_width(b) for row in grid for b in row[col])])
        for col in range(ncols)
    ]


def fit_columns(
    cells: CellSetter,
    grid: Sequence[Sequence[Sequence[Block]]],
    available: float,
    step: float = 0.05,
) -> list[float]:
    """Share ``available`` inches among the columns so the rows are as short as possible.

    Each column gets at least its widest word (and ``MIN_COLUMN``); the rest moves in
    ``step`` inches between columns while that makes the sum of the rows' heights,
    counted from the measured wraps, smaller.
    """
    ncols = len(grid[0]) if grid else 0
    minimum = column_minimums(cells, grid, min(MIN_COLUMN, available / max(1, ncols)))
    if sum(minimum) > available:
        minimum = column_minimums(cells, grid, 0.5)
    if sum(minimum) > available + 1e-9:
        raise ValueError(
            f"the columns need {sum(minimum):.2f} in for their longest words and get "
            f"{available:.2f} in; widen the figure or shorten the names"
        )
    words = [sum(len(b.text) for row in grid for b in row[col]) + 1 for col in range(ncols)]
    spare = available - sum(minimum)
    widths = [m + spare * w / sum(words) for m, w in zip(minimum, words, strict=True)]

    def total(trial: Sequence[float]) -> float:
        # The rows' heights, and a little of every cell's: a short cell still reads
        # badly at two words a line.
        heights = [[cells.height(row[c], trial[c]) for c in range(ncols)] for row in grid]
        return sum(max(row) + 0.25 * sum(row) for row in heights)

    best = total(widths)
    for _ in range(200):
        improved = False
        for give, take in itertools.permutations(range(ncols), 2):
            if widths[give] - step < minimum[give]:
                continue
            trial = list(widths)
            trial[give] -= step
            trial[take] += step
            height = total(trial)
            if height < best - 1e-9:
                widths, best, improved = trial, height, True
        if not improved:
            break
    return widths


def draw_table(
    m: CartographyMap,
    rows: Sequence[str],
    title: str,
    design: Design,
    provenance: Provenance | None,
    row_labels: bool,
    overview: bool = False,
) -> Figure:
    """Draw ``rows`` of ``m`` as a table of cells under one header row."""
    if not m.cols:
        raise ValueError("the map has no columns to draw")
    setter = design.setter()
    cells = CellSetter(design, setter)
    grid = [[cell_blocks(m, cell, overview) for cell in m.row_cells(row)] for row in rows]
    # Words are never split: a figure whose columns cannot hold their longest words
    # grows, up to a page turned on its side.
    need = sum(column_minimums(cells, grid, 0.5)) + design.gutter * (len(m.cols) - 1)
    d = replace(design, width=min(MAX_WIDTH, max(design.width, need + 2 * design.margin)))
    styles = split_styles(m.splits)
    scale = _scale(m, provenance)
    leading = d.leading
    inner = d.width - 2 * d.margin
    label_w = 0.0
    gutters = d.gutter * (len(m.cols) - 1)
    above = False  # row labels as headings above their rows, when columns need the room
    if row_labels:
        widest = max(setter.width(heading(r), d.head) for r in rows)
        label_w = min(widest, 1.1) + d.gutter
        try:
            widths = fit_columns(cells, grid, inner - label_w - gutters)
        except ValueError:
            label_w, above = 0.0, True
    if not row_labels or above:
        widths = fit_columns(cells, grid, inner - gutters)
    xs = [d.margin + label_w + sum(widths[:i]) + d.gutter * i for i in range(len(m.cols))]

    sheet = Sheet(d.width)
    top = draw_title(sheet, setter, d.margin, title, d)
    header = d.head
    base = top + ascent(header)
    deepest = base
    for x, w, col in zip(xs, widths, m.cols, strict=True):
        lines = setter.lines(heading(col), w, header)
        sheet.lines(x, base, lines, header, leading, "col")
        deepest = max(deepest, base + (len(lines) - 1) * leading)
    rule = deepest + 0.45 * leading
    sheet.line([d.margin, d.width - d.margin], [rule, rule], INK, 0.7)
    for index, (row, blocks) in enumerate(zip(rows, grid, strict=True)):
        first = rule + leading
        last = first
        if above:
            lines = setter.lines(heading(row), inner, header)
            sheet.lines(d.margin, first, lines, header, leading, "row")
            first += (len(lines) + 0.2) * leading
            last = first
        elif row_labels:
            lines = setter.lines(heading(row), label_w - d.gutter, header)
            sheet.lines(d.margin, first, lines, header, leading, "row")
            last = first + (len(lines) - 1) * leading
        for x, w, cell in zip(xs, widths, blocks, strict=True):
            last = max(last, cells.draw(sheet, cell, (x, first, w), styles, scale))
        rule = last + 0.5 * leading
        if index < len(rows) - 1:
            sheet.line([d.margin, d.width - d.margin], [rule, rule], RULE, 0.4)
    key = (
        f"Counts: codes in the cell. Bar: interviews supporting any of them (0 to {scale}). "
        "The codes are listed in the row figures."
        if overview
        else f"Bar and n: interviews supporting the code, on a scale of 0 to {scale}."
    )
    caption = [key, provenance.caption() if provenance else ""]
    bottom = draw_caption(sheet, setter, rule + 0.2 * leading, caption, d)
    return sheet.figure(bottom + d.margin, title)


def _scale(m: CartographyMap, provenance: Provenance | None) -> int:
    if provenance is not None and provenance.interviews:
        return provenance.interviews
    return max([1, *(c.interviews for c in m.cells), *(code.interviews for code in m.codes())])


def figure_overview(
    m: CartographyMap,
    title: str | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw the one-page overview (Figure 1): per cell the codes of each split and their support.

    ``title=None`` builds a title from the facets; ``title=""`` draws none.
    """
    d = design or Design()
    chosen = default_title(m, None, d.labels) if title is None else title
    return draw_table(m, m.rows, chosen, d, provenance, True, overview=True)


def figure_grid(
    m: CartographyMap,
    title: str | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw the whole map with every code in its cell (the paper's Figure 1, in full)."""
    d = design or Design()
    chosen = default_title(m, None, d.labels) if title is None else title
    return draw_table(m, m.rows, chosen, d, provenance, True)


def figure_row(
    m: CartographyMap,
    row_value: str,
    title: str | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw one row of the map across its columns (Figures 2-7)."""
    if row_value not in m.rows:
        raise ValueError(f"{row_value!r} is not a row of the map; rows are {list(m.rows)}")
    d = design or Design()
    chosen = default_title(m, row_value, d.labels) if title is None else title
    return draw_table(m, [row_value], chosen, d, provenance, False)

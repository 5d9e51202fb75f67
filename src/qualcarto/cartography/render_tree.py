# SPDX-License-Identifier: MIT
"""Draw a tree graph as an organization chart: the motivations (Figure 8) and
organizational models (Figure 9).

The root sits in a box at the top; its children head columns joined to it by
connectors; their descendants are listed down each column, indented by depth
and hung from a spine. Labels are measured and wrapped first, so columns grow
to fit them and the figure grows to fit its columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from qualcarto.cartography.layout import TextMeasurer, TextStyle, type_scale, with_count
from qualcarto.cartography.motivations import children, motivation_graph
from qualcarto.cartography.organizations import organization_graph
from qualcarto.cartography.palette import HEADER_FILL, INK, RULE
from qualcarto.cartography.render_grid import PAPER_WIDTH, heading
from qualcarto.cartography.sheet import Sheet

MOTIVATION_NOTE = "n = interviews supporting the motivation (or any motivation in the category)"
ORGANIZATION_NOTE = "n = interviewees"


@dataclass(frozen=True)
class TreeGeometry:
    """Spacing of a tree figure, in inches."""

    margin: float = 0.1
    pad: float = 0.05
    col_gap: float = 0.15
    item_gap: float = 0.05
    indent: float = 0.14
    spine: float = 0.06
    link: float = 0.16
    title_gap: float = 0.12


def node_text(graph: nx.DiGraph, node: str, count_attr: str) -> str:
    """A node's label followed by its count, e.g. ``Peer recognition (n=3)``."""
    data = graph.nodes[node]
    count = data.get(count_attr)
    label = str(data.get("label", node))
    return label if count is None else with_count(label, count)


def _descendants(graph: nx.DiGraph, node: str, depth: int = 1) -> list[tuple[str, int]]:
    found = []
    for child in children(graph, node):
        found.append((child, depth))
        found.extend(_descendants(graph, child, depth + 1))
    return found


def draw_tree(
    graph: nx.DiGraph,
    title: str,
    note: str,
    count_attr: str,
    width: float = PAPER_WIDTH,
    fontsize: float = 6.5,
    max_columns: int = 5,
    geometry: TreeGeometry | None = None,
) -> Figure:
    """Draw ``graph`` (a tree rooted at ``graph.graph["root"]``) as an organization chart."""
    g = geometry or TreeGeometry()
    measurer = TextMeasurer()
    body, head, title_style = type_scale(fontsize)
    line_h = measurer.line_height(body)
    pen = _Pen(measurer, body, line_h, count_attr, g)
    root = graph.graph["root"]
    groups = children(graph, root)
    ncols = max(1, min(len(groups), max_columns))
    inner_w = width - 2 * g.margin
    col_w = (inner_w - g.col_gap * (ncols - 1)) / ncols
    if col_w < 0.7:
        raise ValueError(f"{ncols} columns do not fit {width} in; lower max_columns")
    sheet = Sheet(width)
    top = g.margin

    if title:
        top += sheet.paragraph(measurer, g.margin, top, title, inner_w, title_style) + g.title_gap

    root_text, root_w, root_h = measurer.block(
        node_text(graph, root, count_attr), min(inner_w, 3.0) - 2 * g.pad, head
    )
    root_box_w, root_box_h = root_w + 2 * g.pad, root_h + 2 * g.pad
    centre = width / 2
    sheet.rect(centre - root_box_w / 2, top, root_box_w, root_box_h, HEADER_FILL, INK, 0.6, True)
    sheet.text(centre, top + g.pad, root_text, head, ha="center")
    trunk_top, trunk_x = top + root_box_h, centre
    top += root_box_h + g.link

    for start in range(0, len(groups), ncols):
        tier = groups[start : start + ncols]
        used = len(tier) * col_w + (len(tier) - 1) * g.col_gap
        xs = [g.margin + (inner_w - used) / 2 + i * (col_w + g.col_gap) for i in range(len(tier))]
        bar = top - g.link / 2
        centres = [x + col_w / 2 for x in xs]
        sheet.line([trunk_x, trunk_x], [trunk_top, bar], RULE, 0.8)
        ends = [trunk_x, *centres]
        if start + ncols < len(groups):
            ends.append(g.margin / 2)
        sheet.line([min(ends), max(ends)], [bar, bar], RULE, 0.8)
        headers = [
            measurer.block(node_text(graph, node, count_attr), col_w - 2 * g.pad, head)
            for node in tier
        ]
        header_h = max(h for _, _, h in headers) + 2 * g.pad
        bottom = top + header_h
        for x, node, (wrapped, _, _) in zip(xs, tier, headers, strict=True):
            sheet.line([x + col_w / 2] * 2, [bar, top], RULE, 0.8)
            sheet.rect(x, top, col_w, header_h, HEADER_FILL, INK, 0.6, True)
            sheet.text(x + col_w / 2, top + g.pad, wrapped, head, ha="center")
            column = _draw_column(sheet, graph, node, (x, top + header_h, col_w), pen)
            bottom = max(bottom, column)
        # The next tier hangs from a trunk in the left margin, clear of every column.
        trunk_x, trunk_top = g.margin / 2, bar
        top = bottom + g.link + g.title_gap

    top -= g.link
    top += sheet.paragraph(measurer, g.margin, top, note, inner_w, body)
    return sheet.figure(top + g.margin, title)


@dataclass(frozen=True)
class _Pen:
    """What every column of one tree figure is drawn with."""

    measurer: TextMeasurer
    body: TextStyle
    line_h: float
    count_attr: str
    geometry: TreeGeometry


def _draw_column(
    sheet: Sheet, graph: nx.DiGraph, group: str, box: tuple[float, float, float], pen: _Pen
) -> float:
    """Draw the descendants of ``group`` in the column ``box`` (x, top, width) under its
    header; return the column's bottom."""
    x, top, col_w = box
    g, body, line_h, measurer = pen.geometry, pen.body, pen.line_h, pen.measurer
    hooks: dict[str, tuple[float, float]] = {group: (x + g.spine, top)}
    lowest: dict[str, float] = {}
    y = top + g.item_gap
    for node, depth in _descendants(graph, group):
        text_x = x + g.spine + depth * g.indent - g.indent / 2 + 0.04
        wrapped, _, height = measurer.block(
            node_text(graph, node, pen.count_attr), x + col_w - g.pad - text_x, body
        )
        sheet.text(text_x, y, wrapped, body)
        parent = next(iter(graph.predecessors(node)))
        spine_x, _ = hooks[parent]
        mid = y + line_h / 2
        sheet.line([spine_x, text_x - 0.03], [mid, mid], RULE, 0.6)
        lowest[parent] = mid
        hooks[node] = (text_x + 0.02, y + line_h)
        y += height + g.item_gap
    for parent, last in lowest.items():
        spine_x, spine_top = hooks[parent]
        sheet.line([spine_x, spine_x], [spine_top, last], RULE, 0.6)
    return y


def figure_motivations(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    facet_orders: Mapping[str, Sequence[str]],
    category_facet: str = "category",
    title: str | None = None,
    coders: Sequence[str] | None = None,
    min_support: int = 1,
    show_empty: bool = False,
    width: float = PAPER_WIDTH,
    fontsize: float = 6.5,
) -> Figure:
    """Draw the motivations tree (Figure 8): categories and their motivations with support."""
    graph = motivation_graph(
        codes, codings, facet_orders, category_facet, coders, min_support, show_empty
    )
    for node in children(graph, graph.graph["root"]):
        graph.nodes[node]["label"] = heading(str(graph.nodes[node]["label"]))
    chosen = f"Motivations by {category_facet.replace('_', ' ')}" if title is None else title
    return draw_tree(graph, chosen, MOTIVATION_NOTE, "interviews", width, fontsize)


def figure_organizations(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    participants: pd.DataFrame,
    model_column: str = "organizational_model",
    facet_orders: Mapping[str, Sequence[str]] | None = None,
    model_facet: str = "org_model",
    title: str | None = None,
    coders: Sequence[str] | None = None,
    width: float = PAPER_WIDTH,
    fontsize: float = 6.5,
) -> Figure:
    """Draw the organizational models (Figure 9) with the organizations and projects in each."""
    graph = organization_graph(
        codes, codings, participants, model_column, facet_orders, model_facet, coders
    )
    for node in children(graph, graph.graph["root"]):
        graph.nodes[node]["label"] = heading(str(graph.nodes[node]["label"]))
    chosen = "Organizational models of the projects studied" if title is None else title
    return draw_tree(graph, chosen, ORGANIZATION_NOTE, "interviewees", width, fontsize)

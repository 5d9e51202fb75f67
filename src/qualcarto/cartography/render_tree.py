# SPDX-License-Identifier: MIT
"""Draw a two-level tree as columns: the motivations (Figure 8) and the
organizational models (Figure 9).

Each child of the root heads a column (headings on one baseline, a rule under
them) and its children are listed below, set like the grid's cells: the same
text engine, the same support bar on the study's interview scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from qualcarto.cartography.design import (
    Design,
    Provenance,
    ascent,
    draw_caption,
    draw_note,
    draw_title,
)
from qualcarto.cartography.motivations import children, motivation_graph
from qualcarto.cartography.organizations import organization_graph
from qualcarto.cartography.palette import INK, MUTED_INK
from qualcarto.cartography.render_grid import NONE_REPORTED, Block, CellSetter, heading
from qualcarto.cartography.sheet import Sheet
from qualcarto.cartography.text import TextStyle

MOTIVATION_NOTE = (
    "Bar and n: interviews supporting the motivation (for a category: any of its "
    "motivations), on a scale of 0 to {scale}."
)
ORGANIZATION_NOTE = "Organizations and their projects, by the organizational model of the project."


def plural_count(count: int, word: str) -> str:
    """``4 projects``, ``1 interviewee``, never broken between number and noun."""
    return f"{count}\u00a0{word}{'' if count == 1 else 's'}"


def draw_columns(
    graph: nx.DiGraph,
    title: str,
    notes: Sequence[str],
    design: Design,
    headline: Mapping[str, tuple[str, str | None, str]],
    items: Mapping[str, list[Block]],
    max_columns: int = 5,
    scale: int = 0,
) -> Figure:
    """Draw the root's children as columns; ``headline[node]`` is (heading, tail, subline).

    Items with a value get a support bar on the 0-``scale`` scale.
    """
    d = replace(design, gutter=min(design.gutter, 0.1))
    head = TextStyle(d.body, "bold")
    setter = d.setter()
    cells = CellSetter(d, setter)
    leading = d.leading
    groups = children(graph, graph.graph["root"])
    inner = d.width - 2 * d.margin
    ncols = max(1, min(len(groups), max_columns))
    while True:
        col_w = (inner - d.gutter * (ncols - 1)) / ncols
        need = max(
            [
                *(cells.min_width(b) for node in groups for b in items[node]),
                *(setter.min_width(headline[n][0], head, headline[n][1]) for n in groups),
                0.0,
            ]
        )
        if need <= col_w or ncols == 1:
            break
        ncols -= 1
    if need > col_w:
        raise ValueError(f"a word needs {need:.2f} in and a column gets {col_w:.2f} in")
    sheet = Sheet(d.width)
    top = draw_title(sheet, setter, d.margin, title, d)
    for start in range(0, len(groups), ncols):
        tier = groups[start : start + ncols]
        xs = [d.margin + i * (col_w + d.gutter) for i in range(len(tier))]
        base = top + ascent(head)
        heads = [setter.lines(headline[n][0], col_w, head, headline[n][1]) for n in tier]
        last = base + (max(len(h) for h in heads) - 1) * leading
        for x, lines in zip(xs, heads, strict=True):
            sheet.lines(x, base, lines, head, leading, "col")
        subs = [headline[n][2] for n in tier]
        if any(subs):
            sub_base = last + leading
            deepest = sub_base
            for x, text in zip(xs, subs, strict=True):
                # "4 projects · 6 interviewees", one part a line when it does not fit.
                lines = setter.lines(text, col_w, d.text)
                if len(lines) > 1:
                    parts = text.split(" · ")
                    lines = tuple(ln for part in parts for ln in setter.lines(part, col_w, d.text))
                sheet.lines(x, sub_base, lines, d.text, leading, "sub", color=MUTED_INK)
                deepest = max(deepest, sub_base + (len(lines) - 1) * leading)
            last = deepest
        rule = last + 0.45 * leading
        sheet.line([xs[0], xs[-1] + col_w], [rule, rule], INK, 0.7)
        bottom = rule
        for x, node in zip(xs, tier, strict=True):
            blocks = items[node]
            if not blocks:
                draw_note(sheet, setter, x, rule + leading, NONE_REPORTED, col_w, d)
                bottom = max(bottom, rule + leading)
                continue
            bottom = max(bottom, cells.draw(sheet, blocks, (x, rule + leading, col_w), {}, scale))
        top = bottom + 1.5 * leading
    end = draw_caption(sheet, setter, top - leading, notes, d)
    return sheet.figure(end + d.margin, title)


def figure_motivations(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    facet_orders: Mapping[str, Sequence[str]],
    category_facet: str = "category",
    title: str | None = None,
    coders: Sequence[str] | None = None,
    min_support: int = 1,
    show_empty: bool = False,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw the motivations (Figure 8): per category its motivations with support bars."""
    graph = motivation_graph(
        codes, codings, facet_orders, category_facet, coders, min_support, show_empty
    )
    return draw_motivations(graph, title, design, provenance)


def draw_motivations(
    graph: nx.DiGraph,
    title: str | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw a ``motivation_graph`` as columns of categories."""
    d = design or Design()
    root = graph.graph["root"]
    groups = children(graph, root)
    scale = (provenance.interviews if provenance else None) or max(
        [1, *(int(graph.nodes[n].get("interviews") or 0) for n in graph.nodes)]
    )
    headline = {
        n: (heading(str(graph.nodes[n]["label"])), f"(n={graph.nodes[n]['interviews']})", "")
        for n in groups
    }
    items = {
        n: [
            Block(
                "item",
                str(graph.nodes[c]["label"]),
                f"(n={graph.nodes[c]['interviews']})",
                None,
                int(graph.nodes[c]["interviews"]),
                0.0 if i == 0 else 0.25,
                graph.nodes[c].get("code_id"),
            )
            for i, c in enumerate(children(graph, n))
        ]
        for n in groups
    }
    facet = str(graph.graph.get("facet", "category"))
    chosen = f"Motivations by {d.labels.get(facet, facet.replace('_', ' '))}"
    notes = [MOTIVATION_NOTE.format(scale=scale), provenance.caption() if provenance else ""]
    chosen = chosen if title is None else title
    return draw_columns(graph, chosen, notes, d, headline, items, scale=scale)


def figure_organizations(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    participants: pd.DataFrame,
    model_column: str = "organizational_model",
    facet_orders: Mapping[str, Sequence[str]] | None = None,
    model_facet: str = "org_model",
    title: str | None = None,
    coders: Sequence[str] | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw the organizational models (Figure 9): per model its organizations and projects."""
    graph = organization_graph(
        codes, codings, participants, model_column, facet_orders, model_facet, coders
    )
    return draw_organizations(graph, title, design, provenance)


def draw_organizations(
    graph: nx.DiGraph,
    title: str | None = None,
    design: Design | None = None,
    provenance: Provenance | None = None,
) -> Figure:
    """Draw an ``organization_graph`` as columns of models."""
    d = design or Design()
    groups = children(graph, graph.graph["root"])
    headline = {
        n: (
            heading(str(graph.nodes[n]["label"])),
            None,
            f"{plural_count(graph.out_degree(n), 'project')} · "
            f"{plural_count(int(graph.nodes[n]['interviewees']), 'interviewee')}",
        )
        for n in groups
    }
    items = {
        n: [
            Block("item", str(graph.nodes[c]["label"]), gap=0.0 if i == 0 else 0.25)
            for i, c in enumerate(children(graph, n))
        ]
        for n in groups
    }
    chosen = "Organizational models of the projects studied" if title is None else title
    notes = [ORGANIZATION_NOTE, provenance.caption() if provenance else ""]
    return draw_columns(graph, chosen, notes, d, headline, items)

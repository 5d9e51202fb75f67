# SPDX-License-Identifier: MIT
"""Rebuild the study's cartography figures from coded data, for any codebook.

The cartography is a pure core: DataFrames from the store go in; dataclasses,
``networkx`` graphs and matplotlib figures come out. Only ``save_figure`` and
``write_json`` write files.

* ``build_map`` places each code in the grid cell its facets name (rows one
  facet, columns another, codes split by a third) with its support: distinct
  interviews, excerpts and participants. ``map_to_dict`` gives it as JSON-ready
  data.
* ``CartographyData`` holds a study's frames; ``resolve_layout``, ``draw_map``,
  ``map_frame``, ``code_excerpts`` and ``provenance`` work on it.
* ``figure_overview`` draws the one-page overview (the study's Figure 1),
  ``figure_grid`` the whole grid with every code, ``figure_row`` one row of it
  (Figures 2-7), ``figure_motivations`` the motivations (Figure 8, from
  ``motivation_graph``) and ``figure_organizations`` the organizational models
  (Figure 9, from ``organization_graph``). ``Typesetter`` sets their text.
* ``render_all`` writes a study's figures (SVG with real text, PNG at 300 dpi,
  PDF) or its map as JSON to a folder.
* ``text_overlaps``, ``text_outside``, ``split_words``, ``uneven_leading`` and
  ``off_baseline`` check a figure's text as drawn.

Example, with the codebook's defaults ``rows=collab_type, cols=stage,
split=polarity``::

    m = build_map(codes, codings, facet_orders, "collab_type", "stage", "polarity",
                  coders=["linaker2025"])
    fig = figure_overview(m, title="Cartography of open collaboration")
    save_figure(fig, "figure1.pdf", "pdf")
"""

from qualcarto.cartography.design import Design, Provenance
from qualcarto.cartography.grid import CartographyMap, Cell, CodeSupport, build_map, map_to_dict
from qualcarto.cartography.layout import (
    off_baseline,
    split_words,
    text_lines,
    text_outside,
    text_overlaps,
    uneven_leading,
)
from qualcarto.cartography.motivations import motivation_graph
from qualcarto.cartography.organizations import organization_graph
from qualcarto.cartography.palette import OKABE_ITO, SplitStyle, split_styles
from qualcarto.cartography.render import (
    graph_to_dict,
    render_all,
    save_figure,
    svg_text,
    write_json,
)
from qualcarto.cartography.render_grid import figure_grid, figure_overview, figure_row
from qualcarto.cartography.render_tree import figure_motivations, figure_organizations
from qualcarto.cartography.sheet import figure_codes
from qualcarto.cartography.study import (
    NO_SPLIT,
    CartographyData,
    Layout,
    code_excerpts,
    draw_map,
    figure_design,
    map_frame,
    provenance,
    resolve_layout,
)
from qualcarto.cartography.support import support_table
from qualcarto.cartography.text import TextStyle, Typesetter

__all__ = [
    "NO_SPLIT",
    "OKABE_ITO",
    "CartographyData",
    "CartographyMap",
    "Cell",
    "CodeSupport",
    "Design",
    "Layout",
    "Provenance",
    "SplitStyle",
    "TextStyle",
    "Typesetter",
    "build_map",
    "code_excerpts",
    "draw_map",
    "figure_codes",
    "figure_design",
    "figure_grid",
    "figure_motivations",
    "figure_organizations",
    "figure_overview",
    "figure_row",
    "graph_to_dict",
    "map_frame",
    "map_to_dict",
    "motivation_graph",
    "off_baseline",
    "organization_graph",
    "provenance",
    "render_all",
    "resolve_layout",
    "save_figure",
    "split_styles",
    "split_words",
    "support_table",
    "svg_text",
    "text_lines",
    "text_outside",
    "text_overlaps",
    "uneven_leading",
    "write_json",
]

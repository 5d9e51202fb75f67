# SPDX-License-Identifier: MIT
"""Rebuild the study's cartography figures from coded data, for any codebook.

The cartography is a pure core: DataFrames from the store go in; dataclasses,
``networkx`` graphs and matplotlib figures come out. Only ``save_figure`` and
``write_json`` write files.

* ``build_map`` places each code in the grid cell its facets name (rows one
  facet, columns another, codes split by a third) with its support: distinct
  interviews, excerpts and participants. ``map_to_dict`` gives it as JSON-ready
  data.
* ``figure_grid`` draws the whole grid (the study's Figure 1), ``figure_row``
  one row of it (Figures 2-7), ``figure_motivations`` the motivations tree
  (Figure 8, from ``motivation_graph``) and ``figure_organizations`` the
  organizational models (Figure 9, from ``organization_graph``).
* ``render_all`` writes a study's figures (SVG, PNG at 300 dpi, PDF) or its map
  as JSON to a folder.
* ``text_overlaps`` and ``text_outside`` check that no text of a figure overlaps
  another or leaves the page.

Example, with the codebook's defaults ``rows=collab_type, cols=stage,
split=polarity``::

    m = build_map(codes, codings, facet_orders, "collab_type", "stage", "polarity",
                  coders=["linaker2025"])
    fig = figure_grid(m, title="Cartography of open collaboration")
    save_figure(fig, "figure1.pdf", "pdf")
"""

from qualcarto.cartography.grid import CartographyMap, Cell, CodeSupport, build_map, map_to_dict
from qualcarto.cartography.layout import text_outside, text_overlaps
from qualcarto.cartography.motivations import motivation_graph
from qualcarto.cartography.organizations import organization_graph
from qualcarto.cartography.palette import OKABE_ITO, SplitStyle, split_styles
from qualcarto.cartography.render import render_all, save_figure, write_json
from qualcarto.cartography.render_grid import figure_grid, figure_row
from qualcarto.cartography.render_tree import figure_motivations, figure_organizations
from qualcarto.cartography.support import support_table

__all__ = [
    "OKABE_ITO",
    "CartographyMap",
    "Cell",
    "CodeSupport",
    "SplitStyle",
    "build_map",
    "figure_grid",
    "figure_motivations",
    "figure_organizations",
    "figure_row",
    "map_to_dict",
    "motivation_graph",
    "organization_graph",
    "render_all",
    "save_figure",
    "split_styles",
    "support_table",
    "text_outside",
    "text_overlaps",
    "write_json",
]

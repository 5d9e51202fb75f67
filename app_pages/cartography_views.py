# SPDX-License-Identifier: MIT
"""The Cartography page's figures: which figure the radio names, drawn as the CLI draws it.

The figures come from ``qualcarto.cartography`` with the study's design and provenance;
this module only maps the page's choice (the overview, the full grid, one row, the
motivations or the organizational models) to the call that draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from qualcarto.cartography import (
    CartographyData,
    CartographyMap,
    figure_design,
    figure_grid,
    figure_motivations,
    figure_organizations,
    figure_overview,
    figure_row,
    provenance,
)

OVERVIEW, GRID, MOTIVATIONS, ORGANIZATIONS = "Overview", "Full grid", "Motivations", "Organizations"


def figure_choices(m: CartographyMap) -> list[str]:
    """The figures the page offers for map ``m``: overview, grid, each row, the rest."""
    return [OVERVIEW, GRID, *m.rows, MOTIVATIONS, ORGANIZATIONS]


def draw_figure(
    data: CartographyData,
    m: CartographyMap,
    chosen: str,
    coders: Sequence[str],
    min_support: int,
    show_empty: bool,
) -> Figure:
    """The figure ``chosen`` (one of ``figure_choices``), untitled for the screen.

    Raises ``KeyError`` or ``ValueError`` when the study cannot draw it (a facet missing).
    """
    design, origin = figure_design(data), provenance(data, list(coders))
    if chosen == OVERVIEW:
        return figure_overview(m, "", design, origin)
    if chosen == GRID:
        return figure_grid(m, "", design, origin)
    if chosen == MOTIVATIONS:
        return figure_motivations(
            data.codes,
            data.codings,
            data.facet_orders,
            coders=list(coders),
            min_support=min_support,
            show_empty=show_empty,
            title="",
            design=design,
            provenance=origin,
        )
    if chosen == ORGANIZATIONS:
        return figure_organizations(
            data.codes,
            data.codings,
            data.participants,
            facet_orders=data.facet_orders,
            coders=list(coders),
            title="",
            design=design,
            provenance=origin,
        )
    return figure_row(m, chosen, "", design, origin)

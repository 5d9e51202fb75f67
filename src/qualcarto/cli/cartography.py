# SPDX-License-Identifier: MIT
"""``qualcarto cartography``: rebuild the study's figures (or the map as JSON) from codings.

The command reads one layer and codebook version through ``qualcarto.cartography_data``,
takes rows, columns and split from the codebook's ``cartography:`` block unless given,
and hands the map to ``qualcarto.cartography.render_all``. Figures with nothing to show
are skipped with a note on stderr.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from qualcarto.cli.common import store_session
from qualcarto.errors import ValidationError

FIGURE_CHOICES = ("1", "2-7", "8", "9", "all")
FORMAT_CHOICES = ("svg", "png", "pdf", "json")


@click.command("cartography")
@click.option("--rows", default=None, metavar="FACET", help="Facet for rows (codebook default).")
@click.option("--cols", default=None, metavar="FACET", help="Facet for columns (codebook default).")
@click.option(
    "--split",
    default=None,
    metavar="FACET",
    help="Facet splitting each cell, or 'none' (codebook default).",
)
@click.option(
    "--coder",
    "coders",
    metavar="NAME",
    multiple=True,
    help="Only these coders' codings (repeatable; default: all).",
)
@click.option("--version", type=int, default=None, help="Codebook version (default: newest).")
@click.option(
    "--min-support",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Leave out codes backed by fewer interviews.",
)
@click.option("--show-empty", is_flag=True, help="Also show codes nobody coded (support 0).")
@click.option(
    "--figure",
    "figure",
    type=click.Choice(FIGURE_CHOICES),
    default="all",
    show_default=True,
    help="1 the grid, 2-7 one figure per row, 8 motivations, 9 organizational models.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="svg",
    show_default=True,
    help="Figure file format (SVG with real text, PNG at 300 dpi, PDF), or json for the data.",
)
@click.option(
    "--title/--no-title",
    "draw_titles",
    default=True,
    show_default=True,
    help="Draw each figure's title (leave it out when the paper's caption names it).",
)
@click.option(
    "--full-grid",
    is_flag=True,
    help="Figure 1 lists every code in its cell instead of the one-page overview.",
)
@click.pass_context
def cartography(
    ctx: click.Context,
    rows: str | None,
    cols: str | None,
    split: str | None,
    coders: tuple[str, ...],
    version: int | None,
    min_support: int,
    show_empty: bool,
    figure: str,
    out: Path,
    fmt: str,
    draw_titles: bool,
    full_grid: bool,
) -> None:
    """Draw the cartography of the coded study: codes in a grid of two facets, with support.

    Support is the number of distinct interviews (and excerpts) whose codings use a
    code. Rows, columns and split default to the codebook's 'cartography:' block.
    Files: figure1 (a one-page overview; --full-grid for every code), figure2-<row>...
    (one per row), then the motivations and organizational models; --format json
    writes map.json (the map, its provenance and the last two figures as data).

    Example: qualcarto cartography --coder linaker2025 --format pdf --out figures
    """
    from qualcarto.cartography import (
        draw_map,
        figure_design,
        provenance,
        render_all,
        resolve_layout,
    )
    from qualcarto.cartography_data import cartography_data

    with store_session(ctx, read_only=True) as session:
        data = cartography_data(session, coders or None, version=version)
    layout = resolve_layout(data, rows, cols, split)
    m = draw_map(data, layout, min_support=min_support, show_empty=show_empty)
    with warnings.catch_warnings(record=True) as skipped:
        warnings.simplefilter("always")
        try:
            written = render_all(
                m,
                data.codes,
                data.codings,
                data.participants,
                data.facet_orders,
                out,
                fmt,
                figure,
                draw_titles=draw_titles,
                full_grid=full_grid,
                design=figure_design(data),
                provenance=provenance(data, coders or None),
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    for warning in skipped:
        click.echo(f"note: {warning.message}", err=True)
    shown = sum(len(cell.codes) for cell in m.cells)
    click.echo(
        f"{shown} codes on a {len(m.rows)} x {len(m.cols)} map "
        f"({layout.rows} x {layout.cols}, split {layout.split or 'none'}), "
        f"codebook version {data.codebook_version}"
    )
    for path in written:
        click.echo(f"  wrote {path}")

# SPDX-License-Identifier: MIT
"""``qualcarto cartography``: rebuild the study's figures (or the map as JSON) from codings.

The command reads one layer and codebook version through ``qualcarto.cartography_data``,
takes rows, columns and split from the codebook's ``cartography:`` block unless given,
and hands the map to ``qualcarto.cartography.render_all``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from qualcarto.cli import store_session
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
    help="Figure file format (PNG at 300 dpi), or json for the map as data.",
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
) -> None:
    """Draw the cartography of the coded study: codes in a grid of two facets, with support.

    Support is the number of distinct interviews (and excerpts) whose codings use a
    code. Rows, columns and split default to the codebook's 'cartography:' block.
    Files: figure1 (the grid), figure2-<row>... (one per row), then the motivations
    and organizational models; --format json writes map.json instead.

    Example: qualcarto cartography --coder linaker2025 --format pdf --out figures
    """
    from qualcarto.cartography import render_all
    from qualcarto.cartography_data import cartography_data, draw_map, resolve_layout

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

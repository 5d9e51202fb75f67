# SPDX-License-Identifier: MIT
"""``qualcarto report``: write the methods appendix (HTML, PDF, tables, figures) to a folder."""

from __future__ import annotations

from pathlib import Path

import click

from qualcarto.cli.common import store_session


@click.command("report")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write into (created if missing).",
)
@click.option(
    "--coders",
    multiple=True,
    metavar="NAME",
    help="Coders of the agreement round when no round is recorded (repeatable; default: every person).",
)
@click.option(
    "--layer",
    multiple=True,
    metavar="NAME",
    help="Layer(s) for saturation and cartography (default: the widest non-machine).",
)
@click.option(
    "--bootstrap",
    default=1000,
    show_default=True,
    type=click.IntRange(0),
    help="Bootstrap resamples of transcripts for the agreement intervals.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of every resampling.")
@click.option(
    "--overlap",
    default=0.9,
    show_default=True,
    type=float,
    help="Segment match: share of the longer span.",
)
@click.option("--base", default=4, show_default=True, type=int, help="Saturation base size.")
@click.option(
    "--run", "run_length", default=2, show_default=True, type=int, help="Saturation run length."
)
@click.option(
    "--threshold",
    default=0.05,
    show_default=True,
    type=float,
    help="New-information threshold (share of the base's codes).",
)
@click.option(
    "--orders",
    default=1000,
    show_default=True,
    type=click.IntRange(1),
    help="Random interview orders for saturation.",
)
@click.option(
    "--order",
    type=click.Choice(["name", "coded", "imported"]),
    default="name",
    show_default=True,
    help="Interview order: by name, first-coding date or import.",
)
@click.option(
    "--pdf/--no-pdf",
    default=True,
    show_default=True,
    help="Also print appendix.pdf with headless Chromium.",
)
@click.pass_context
def report(
    ctx: click.Context,
    out: Path,
    coders: tuple[str, ...],
    layer: tuple[str, ...],
    bootstrap: int,
    seed: int,
    overlap: float,
    base: int,
    run_length: int,
    threshold: float,
    orders: int,
    order: str,
    pdf: bool,
) -> None:
    """Write the methods appendix: study, codebook and its change log, coding process,
    agreement with bootstrap intervals, disagreement anatomy, saturation, cartography
    figures and a drafted methods paragraph, as HTML and PDF with every table as csv.

    Example: qualcarto report --out appendix --coders ana ben --layer linaker2025
    """
    from qualcarto.appendix_data import AppendixOptions, appendix_data
    from qualcarto.exchange.appendix_files import write_appendix

    options = AppendixOptions(
        coders, layer, bootstrap, seed, overlap, base, run_length, threshold, orders, order
    )
    with store_session(ctx, read_only=True) as session:
        appendix, cartography = appendix_data(session, options)
    _, written = write_appendix(appendix, cartography, out, pdf=pdf)
    click.echo(f"wrote the appendix to {out}: {len(written)} files")
    for path in written:
        if path.suffix in {".html", ".pdf"}:
            click.echo(f"  {path}")

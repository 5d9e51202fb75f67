# SPDX-License-Identifier: MIT
"""``qualcarto export ...``: theme matrices, tidy csv, REFI-QDA and graph files.

Each command gathers one layer (``--coder``, repeatable, or ``--consensus``; default:
every coder) against one codebook version (``--version``, default the newest), of
every transcript or one transcript group (``--group``), and hands it to one writer in
``qualcarto.exchange``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qualcarto.cli.common import RAW_CSV_HELP, progress_bar, store_session
from qualcarto.wording import counted


def _layer_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--group", "group", default=None, metavar="NAME", help="Only this transcript group."
    )(command)
    command = click.option(
        "--version", "version", type=int, default=None, help="Codebook version (default: newest)."
    )(command)
    command = click.option(
        "--consensus", is_flag=True, help="Only the consensus layer (the coder 'consensus')."
    )(command)
    command = click.option(
        "--coder", "coders", multiple=True, help="Only these coders (repeatable; default: all)."
    )(command)
    return click.argument("out", type=click.Path(dir_okay=False, path_type=Path))(command)


@click.group("export")
def export() -> None:
    """Export theme matrices, codings and the codebook to other tools."""


@export.command("xlsx")
@_layer_options
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    help="Participant attribute for a codes x attribute sheet (repeatable; default: all small ones).",
)
@click.pass_context
def export_xlsx(
    ctx: click.Context,
    out: Path,
    coders: tuple[str, ...],
    consensus: bool,
    version: int | None,
    group: str | None,
    attributes: tuple[str, ...],
) -> None:
    """Write every theme matrix as a sheet of one Excel workbook.

    Example: qualcarto export xlsx themes.xlsx --coder ana --coder ben
    """
    from qualcarto.exchange import study_data, write_workbook
    from qualcarto.exchange.xlsx import build_sheets

    with store_session(ctx, read_only=True) as session:
        data = study_data(session, coders, consensus=consensus, version=version, group=group)
    chosen = list(attributes) or None
    missing = [a for a in attributes if a not in data.transcripts.columns]
    if missing:
        raise click.BadParameter(f"no participant attribute {', '.join(missing)}")
    sheets = build_sheets(data, chosen)
    with progress_bar(len(sheets), "writing sheets") as bar:
        write_workbook(data, out, chosen, progress=lambda _title: bar.update(1))
    click.echo(
        f"wrote {counted(len(sheets), 'sheet')} ({counted(len(data.codings), 'coding')}) to {out}"
    )


@export.command("csv")
@_layer_options
@click.option("--raw", is_flag=True, help=RAW_CSV_HELP)
@click.pass_context
def export_csv(
    ctx: click.Context,
    out: Path,
    coders: tuple[str, ...],
    consensus: bool,
    version: int | None,
    group: str | None,
    raw: bool,
) -> None:
    """Write the tidy table: one row per coding with its labels, attributes and facets.

    Example: qualcarto export csv codings.csv --consensus
    """
    from qualcarto.exchange import study_data, write_tidy_csv

    with store_session(ctx, read_only=True) as session:
        data = study_data(session, coders, consensus=consensus, version=version, group=group)
    rows = write_tidy_csv(data, out, raw=raw)
    click.echo(f"wrote {counted(rows, 'coding')} to {out}")


def _graph(fmt: str) -> click.Command:
    @_layer_options
    @click.option(
        "--scope",
        type=click.Choice(["overlap", "turn", "transcript"]),
        default=None,
        help="Codes co-occur on overlapping passages, in one speaker turn, or in one "
        "transcript (default: overlap, or turn when no coder's codings overlap).",
    )
    @click.pass_context
    def command(
        ctx: click.Context,
        out: Path,
        coders: tuple[str, ...],
        consensus: bool,
        version: int | None,
        group: str | None,
        scope: str | None,
    ) -> None:
        from qualcarto.exchange import study_data, write_graph

        with store_session(ctx, read_only=True) as session:
            data = study_data(session, coders, consensus=consensus, version=version, group=group)
        graph = write_graph(data, out, fmt, scope)  # type: ignore[arg-type]
        click.echo(
            f"wrote {counted(graph.number_of_nodes(), 'code')} and "
            f"{counted(graph.number_of_edges(), 'co-occurrence')} to {out}\n"
            f"scope: {graph.graph['scope']} ({graph.graph['scope_reason']})"
        )

    command.__doc__ = (
        f"Write the code co-occurrence network as {fmt.upper()} (for Gephi and networkx).\n\n"
        f"    Example: qualcarto export {fmt} codes.{fmt} --scope transcript\n"
    )
    return click.command(fmt)(command)


export.add_command(_graph("graphml"))
export.add_command(_graph("gexf"))


@export.command("qdpx")
@_layer_options
@click.option(
    "--positions",
    type=click.Choice(["codepoints", "utf16"]),
    default="codepoints",
    help="Count positions in code points (the standard) or UTF-16 units (NVivo, QualCoder).",
)
@click.pass_context
def export_qdpx(
    ctx: click.Context,
    out: Path,
    coders: tuple[str, ...],
    consensus: bool,
    version: int | None,
    group: str | None,
    positions: str,
) -> None:
    """Write the study as a REFI-QDA project for NVivo, MAXQDA, ATLAS.ti or QualCoder.

    Example: qualcarto export qdpx study.qdpx --version 2 --positions utf16
    """
    from qualcarto.exchange import study_data
    from qualcarto.exchange.refi_export import write_qdpx

    with store_session(ctx, read_only=True) as session:
        data = study_data(session, coders, consensus=consensus, version=version, group=group)
        with progress_bar(len(data.transcripts), "writing sources") as bar:
            report = write_qdpx(
                session,
                data,
                out,
                progress=lambda _name: bar.update(1),
                positions=positions,  # type: ignore[arg-type]
            )
    counts = [
        counted(report.transcripts, "transcript"),
        counted(report.codes, "code"),
        counted(report.codings, "coding"),
    ]
    click.echo(f"wrote {', '.join(counts)} and {counted(report.notes, 'note')} to {out}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@export.command("qdc")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", type=int, default=None, help="Codebook version.")
@click.pass_context
def export_qdc(ctx: click.Context, out: Path, version: int | None) -> None:
    """Write a codebook version as a REFI-QDA codebook (.qdc).

    Example: qualcarto export qdc codebook.qdc --version 1
    """
    from qualcarto.exchange.refi_export import write_qdc

    with store_session(ctx, read_only=True) as session:
        count = write_qdc(session, out, version)
    click.echo(f"wrote {counted(count, 'code')} to {out}")


def import_refi_file(
    ctx: click.Context,
    path: Path,
    actor: str,
    *,
    skip_broken: bool = False,
    sources: Path | None = None,
) -> None:
    """Import one .qdpx, .qdc or .qde file (called by ``qualcarto import``); print its report.

    Written in short batches, so coders keep working while a large project imports.
    """
    from qualcarto.exchange.refi_import import import_refi_in_batches
    from qualcarto.store import connect

    engine = connect(ctx.obj["db"])
    try:
        with progress_bar(0, f"importing {path.name}") as bar:
            report = import_refi_in_batches(
                engine,
                path,
                actor=actor,
                progress=lambda _name: bar.update(1),
                skip_broken=skip_broken,
                sources=sources,
            )
    finally:
        engine.dispose()
    for line in report.lines():
        click.echo(line)

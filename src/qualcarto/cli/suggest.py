# SPDX-License-Identifier: MIT
"""``qualcarto suggest``: run the code suggester as a machine coder, or just show its output."""

from __future__ import annotations

from pathlib import Path

import click

from qualcarto.cli.common import store_session


@click.command("suggest")
@click.option("--coder", default="auto", show_default=True, help="Machine coder to write as.")
@click.option(
    "--method", type=click.Choice(["rules", "semantic"]), default="rules", show_default=True
)
@click.option("--threshold", type=float, default=None, help="Minimum score (default: method's).")
@click.option("--transcript", "transcripts", multiple=True, help="Only these (repeatable).")
@click.option(
    "--layer-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also write the layer as YAML files into this folder.",
)
@click.option("--show", is_flag=True, help="Print the suggestions; store nothing.")
@click.option("--as", "actor", default="system", help="Who runs it (for the audit log).")
@click.pass_context
def suggest(
    ctx: click.Context,
    coder: str,
    method: str,
    threshold: float | None,
    transcripts: tuple[str, ...],
    layer_dir: Path | None,
    show: bool,
    actor: str,
) -> None:
    """Suggest codes for transcripts and store them as a machine coder's layer.

    The coder is created with kind 'machine'; a new run replaces its earlier codings of
    the same transcripts. Compare it with a person using the agreement report.

    Example: qualcarto suggest --coder auto --method rules --threshold 1.5
    """
    from qualcarto.suggest import make_suggester, run_machine_coder, suggest_transcripts

    with store_session(ctx) as session:
        if show:
            suggester = make_suggester(session, method, threshold)
            names, found = suggest_transcripts(session, suggester, transcripts)
            for s in found:
                click.echo(f"{s.transcript}\t{s.start}-{s.end}\t{s.code_id}\t{s.describe()}")
            click.echo(f"{len(found)} suggestions in {len(names)} transcripts (nothing stored)")
            return
        run = run_machine_coder(
            session, coder, method, threshold, transcripts, actor=actor, layer_dir=layer_dir
        )
    if layer_dir is not None:
        click.echo(
            f"wrote layer files to {layer_dir} ({len(run.left_out)} suggestions with a "
            "repeated quote left out)"
        )
    click.echo(
        f"machine coder '{coder}': {run.stored} codings in {len(run.transcripts)} transcripts "
        f"({method})"
    )

# SPDX-License-Identifier: MIT
"""``qualcarto round``: record coding rounds and their reconciliation, list them."""

from __future__ import annotations

import click

from qualcarto.cli.common import store_session


@click.group("round")
def round_group() -> None:
    """Record coding rounds (coders, transcripts, codebook version) for the appendix.

    Example: qualcarto round add "pilot" --coder ana --coder ben --transcript I8 --as lena
    """


@round_group.command("add")
@click.argument("name")
@click.option("--coder", "coders", multiple=True, required=True, help="A coder (repeatable).")
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    required=True,
    help="A transcript of the round (repeatable).",
)
@click.option(
    "--codebook-version", type=int, default=None, help="The version coded under (default: newest)."
)
@click.option("--as", "actor", default="system", help="The lead recording it (audit log).")
@click.pass_context
def add(
    ctx: click.Context,
    name: str,
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    codebook_version: int | None,
    actor: str,
) -> None:
    """Record a round: coders who coded the transcripts independently.

    Example: qualcarto round add "pilot" --coder ana --coder ben --transcript I8 --as lena
    """
    from qualcarto.rounds import add_round

    with store_session(ctx) as session:
        found = add_round(session, actor, name, coders, transcripts, codebook_version)
        click.echo(
            f"round {found.number} ({found.name}): {', '.join(found.coders)} on "
            f"{len(found.transcripts)} transcript(s), codebook version "
            f"{found.codebook_version}"
        )


@round_group.command("reconciled")
@click.argument("number", type=int)
@click.option("--as", "actor", default="system", help="The lead recording it (audit log).")
@click.pass_context
def reconciled(ctx: click.Context, number: int, actor: str) -> None:
    """Record that a round's disagreements were settled.

    Example: qualcarto round reconciled 1 --as lena
    """
    from qualcarto.rounds import mark_reconciled

    with store_session(ctx) as session:
        mark_reconciled(session, actor, number)
    click.echo(f"round {number} marked reconciled")


@round_group.command("list")
@click.pass_context
def list_rounds(ctx: click.Context) -> None:
    """List the recorded rounds.

    Example: qualcarto round list
    """
    from qualcarto.rounds import rounds_frame

    with store_session(ctx, read_only=True) as session:
        frame = rounds_frame(session)
    if frame.empty:
        click.echo("no coding rounds recorded")
        return
    settled = frame["reconciled_at"].notna().tolist()
    for row, reconciled in zip(frame.itertuples(index=False), settled, strict=True):
        done = "reconciled" if reconciled else "open"
        click.echo(
            f"{row.round}\t{row.name}\tv{row.codebook_version}\t{row.coders}\t"
            f"{row.transcripts}\t{done}"
        )

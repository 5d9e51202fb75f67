# SPDX-License-Identifier: MIT
"""``qualcarto coding ...``: add, list, edit and delete codings without the app.

The commands call the same functions as the app's coding page (``qualcarto.coding``):
the same span and code rules, only a coding's own coder may change it, a change made
meanwhile is refused (``--if-version``), and every change is in the audit log.
"""

from __future__ import annotations

from pathlib import Path

import click

from qualcarto.cli.common import RAW_CSV_HELP, store_session
from qualcarto.wording import counted


@click.group("coding")
def coding() -> None:
    """Add, list, edit and delete codings from the command line."""


@coding.command("add")
@click.argument("transcript")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("code")
@click.option("--coder", required=True, help="Who codes (a user of the store).")
@click.option("--memo", default="")
@click.pass_context
def coding_add(
    ctx: click.Context, transcript: str, start: int, end: int, code: str, coder: str, memo: str
) -> None:
    """Code text[START:END] of TRANSCRIPT with CODE (offsets are Python str indices).

    `qualcarto transcript show NAME --offsets` and `transcript find` give the offsets.
    Grouping codes (parents of active codes) are refused, as in the app.

    Example: qualcarto coding add I8 120 245 pre-model-secrecy --coder ana
    """
    from qualcarto.coding import add_coding

    with store_session(ctx) as session:
        made = add_coding(session, transcript, start, end, code, coder, memo)
        click.echo(f"coding {made.id}: {made.text!r}")


@coding.command("list")
@click.option("--coder", "coders", multiple=True, help="Only these coders (repeatable).")
@click.option("--transcript", "transcripts", multiple=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="csv file.")
@click.option("--raw", is_flag=True, help=RAW_CSV_HELP)
@click.pass_context
def coding_list(
    ctx: click.Context,
    coders: tuple[str, ...],
    transcripts: tuple[str, ...],
    output: Path | None,
    raw: bool,
) -> None:
    """List codings with their excerpts (csv to a file, a table to the terminal).

    Example: qualcarto coding list --coder linaker2025 -o codings.csv
    """
    from qualcarto.coding import codings_frame
    from qualcarto.exchange.csv_safe import to_csv

    with store_session(ctx, read_only=True) as session:
        frame = codings_frame(session, coders or None, transcripts or None)
    if output:
        to_csv(frame, output, raw=raw)
        click.echo(f"wrote {counted(len(frame), 'coding')} to {output}")
    elif frame.empty:
        click.echo("no codings")
    else:
        columns = ["coding_id", "transcript", "coder", "code_id", "start", "end", "text"]
        click.echo(frame[columns].to_string(index=False, max_colwidth=50))


_IF_VERSION = click.option(
    "--if-version",
    "expected_version",
    type=int,
    default=None,
    metavar="N",
    help="Refuse if the coding is no longer at row version N (someone changed it meanwhile).",
)


@coding.command("edit")
@click.argument("coding_id", metavar="ID", type=int)
@click.option("--coder", required=True, help="Who edits: only a coding's own coder may.")
@click.option("--start", type=int, default=None, help="New start offset.")
@click.option("--end", type=int, default=None, help="New end offset.")
@click.option("--code", "code_id", default=None, help="New code (a leaf, active code).")
@click.option("--memo", default=None, help="New memo ('' clears it).")
@_IF_VERSION
@click.pass_context
def coding_edit(
    ctx: click.Context,
    coding_id: int,
    coder: str,
    start: int | None,
    end: int | None,
    code_id: str | None,
    memo: str | None,
    expected_version: int | None,
) -> None:
    """Change a coding's span, code or memo, as the app's coding page does.

    Example: qualcarto coding edit 12 --coder ana --end 260 --memo "ends at the answer"
    """
    from qualcarto.coding import edit_coding

    if start is None and end is None and code_id is None and memo is None:
        raise click.UsageError("say what to change: --start, --end, --code or --memo")
    with store_session(ctx) as session:
        made = edit_coding(
            session,
            coding_id,
            coder,
            start=start,
            end=end,
            code_id=code_id,
            memo=memo,
            expected_version=expected_version,
        )
        click.echo(
            f"coding {made.id} (row version {made.row_version}): {made.code_id} "
            f"{made.start}-{made.end} {made.text!r}"
        )


@coding.command("delete")
@click.argument("coding_id", metavar="ID", type=int)
@click.option("--coder", required=True, help="Who deletes: only a coding's own coder may.")
@_IF_VERSION
@click.pass_context
def coding_delete(
    ctx: click.Context, coding_id: int, coder: str, expected_version: int | None
) -> None:
    """Delete one of your codings; the audit log keeps all of it.

    Example: qualcarto coding delete 12 --coder ana
    """
    from qualcarto.coding import delete_coding

    with store_session(ctx) as session:
        gone = delete_coding(session, coding_id, coder, expected_version=expected_version)
    click.echo(f"deleted coding {coding_id} ({gone['code_id']} {gone['start']}-{gone['end']})")

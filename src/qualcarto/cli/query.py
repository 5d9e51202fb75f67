# SPDX-License-Identifier: MIT
"""``qualcarto query``: ask which passages match a combination of codes (docs/queries.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcarto.cli.common import RAW_CSV_HELP
from qualcarto.names import printable
from qualcarto.wording import counted


@click.command("query")
@click.argument("text", metavar="QUERY", required=False)
@click.option("--saved", default=None, metavar="NAME", help="Run a saved query instead.")
@click.option("--coder", "coders", multiple=True, help="Only these coders (repeatable).")
@click.option("--version", "version", type=int, default=None, help="Codebook version for codes.")
@click.option("--group", default=None, metavar="NAME", help="Only this transcript group.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--crosstab", "by", default=None, metavar="ATTR", help="Count hits by attribute.")
@click.option("--save", "save_as", default=None, metavar="NAME", help="Also save it as NAME.")
@click.option("--as", "author", default=None, help="Who saves the query (with --save).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@click.option("--raw", is_flag=True, help=RAW_CSV_HELP)
@click.pass_context
def query(
    ctx: click.Context,
    text: str | None,
    saved: str | None,
    coders: tuple[str, ...],
    version: int | None,
    group: str | None,
    fmt: str,
    by: str | None,
    save_as: str | None,
    author: str | None,
    output: Path | None,
    raw: bool,
) -> None:
    """List every passage matching QUERY, one row per hit (docs/queries.md has the language).

    Example: qualcarto query 'pre-compute-* AND polarity:challenge WITHIN turn
    WHERE organization_type = "Company"' --format csv -o hits.csv
    """
    from qualcarto.exchange.csv_safe import to_csv
    from qualcarto.queries import answer_query, get_saved_query, save_query
    from qualcarto.query import hit_crosstab
    from qualcarto.store import connect, read_scope, session_scope
    from qualcarto.transcripts.frames import transcripts_frame

    if (text is None) == (saved is None):
        raise click.UsageError("give a QUERY or --saved NAME (one of them)")
    if save_as and not author:
        raise click.UsageError("--save needs --as NAME (who saves it)")
    engine = connect(ctx.obj["db"])
    try:
        with read_scope(engine) as session:
            if saved is not None:
                text, version = get_saved_query(session, saved)
            assert text is not None
            hits = answer_query(session, text, coders=coders or None, version=version, group=group)
            table = hit_crosstab(hits, transcripts_frame(session), by) if by else None
        if save_as and author:
            with session_scope(engine) as session:
                save_query(session, save_as, text, author)
            click.echo(f"saved query {printable(save_as)}", err=True)
    finally:
        engine.dispose()
    frame = hits.drop(columns=["transcript_id"]) if table is None else table.reset_index()
    if fmt == "csv":
        if output:
            to_csv(frame, output, raw=raw)
        else:
            click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        payload = json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, default=str)
        if output:
            output.write_text(payload + "\n", encoding="utf-8")
        else:
            click.echo(payload)
    else:
        shown = frame if table is not None else frame.drop(columns=["left", "right"])
        rendered = shown.to_string(index=False, max_colwidth=60) if len(shown) else "no hits"
        if output:
            output.write_text(rendered + "\n", encoding="utf-8")
        else:
            click.echo(rendered)
    if output:
        click.echo(f"wrote {counted(len(frame), 'row')} to {output}")

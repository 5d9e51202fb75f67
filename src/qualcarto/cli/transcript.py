# SPDX-License-Identifier: MIT
"""``qualcarto transcript ...``: list, read and search transcripts without the app.

``show --offsets`` and ``find`` print the Python ``str`` offsets ``coding add`` takes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from qualcarto.cli.common import store_session
from qualcarto.names import printable
from qualcarto.wording import counted


@click.group("transcript")
def transcript() -> None:
    """List, read and search the stored transcripts."""


@transcript.command("list")
@click.pass_context
def transcript_list(ctx: click.Context) -> None:
    """List the transcripts: name, participant and length in characters.

    Example: qualcarto transcript list
    """
    from qualcarto.transcripts import transcripts_frame

    with store_session(ctx, read_only=True) as session:
        frame = transcripts_frame(session)
    if frame.empty:
        click.echo("no transcripts yet: qualcarto import FOLDER")
        return
    rows = [("transcript", "participant", "characters")]
    rows += [
        (
            str(t.transcript),
            "" if t.participant_id is None else str(t.participant_id),
            str(t.length),
        )
        for t in frame.itertuples(index=False)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for name, participant, length in rows:
        click.echo(f"{name:<{widths[0]}}  {participant:<{widths[1]}}  {length:>{widths[2]}}")


@transcript.command("show")
@click.argument("name")
@click.option("--offsets", is_flag=True, help="Each line's start offset in the margin.")
@click.option(
    "--width",
    type=click.IntRange(min=20),
    default=None,
    help="Line width with --offsets (default: the terminal's).",
)
@click.pass_context
def transcript_show(ctx: click.Context, name: str, offsets: bool, width: int | None) -> None:
    """Print a transcript's stored text; with --offsets, where each line starts.

    The offsets are Python str indices into the stored text (the unit of `coding add`):
    a line starting at 120 has its fifth character at 124.

    Example: qualcarto transcript show I3 --offsets
    """
    from qualcarto.transcripts.lookup import get_transcript
    from qualcarto.transcripts.view import offset_lines

    with store_session(ctx, read_only=True) as session:
        text = get_transcript(session, name).text
    if not offsets:
        click.echo(text, nl=not text.endswith("\n"))
        return
    margin = len(str(len(text))) + 2
    total = width or shutil.get_terminal_size().columns
    for start, line in offset_lines(text, max(total - margin, 10)):
        click.echo(f"{start:>{margin - 2}}  {line}".rstrip())


@transcript.command("find")
@click.argument("phrase")
@click.option("--transcript", "transcripts", multiple=True, help="Only these (repeatable).")
@click.option("--lemma", is_flag=True, help="Inflected forms match too (needs spacy-lookups-data).")
@click.option(
    "--context",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Characters shown on each side of a hit.",
)
@click.pass_context
def transcript_find(
    ctx: click.Context, phrase: str, transcripts: tuple[str, ...], lemma: bool, context: int
) -> None:
    """Find a word or phrase in the transcripts: the offsets of each hit, with context.

    Case never matters. START and END are ready for `qualcarto coding add`.

    Example: qualcarto transcript find "good first issue"
    """
    from qualcarto.search import search

    with store_session(ctx, read_only=True) as session:
        hits = search(
            session, phrase, lemma=lemma, transcripts=list(transcripts) or None, width=context
        )
    if hits.empty:
        click.echo(f"no hits for {printable(phrase)}")
        return
    name_width = max(len("transcript"), *(len(n) for n in hits["transcript"]))
    number_width = max(len("start"), len(str(int(hits["end"].max()))))
    rows = [("transcript", "start", "end", "context")]
    rows += [
        (
            str(hit["transcript"]),
            str(hit["start"]),
            str(hit["end"]),
            _in_context(str(hit["left"]), str(hit["match"]), str(hit["right"]), context),
        )
        for hit in hits.to_dict("records")
    ]
    for name, start, end, seen in rows:
        click.echo(f"{name:<{name_width}}  {start:>{number_width}}  {end:>{number_width}}  {seen}")
    click.echo(counted(len(hits), "hit"))


def _in_context(left: str, match: str, right: str, width: int) -> str:
    """``…left[match]right…``, the ellipses only where the text goes on."""
    before = "…" if len(left) == width and width else ""
    after = "…" if len(right) == width and width else ""
    return f"{before}{left}[{match}]{right}{after}"


@transcript.command("edit")
@click.argument("name")
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Take the corrected text from this UTF-8 file (default: open $EDITOR).",
)
@click.option("--as", "actor", required=True, help="The lead making the correction.")
@click.pass_context
def transcript_edit(ctx: click.Context, name: str, source: Path | None, actor: str) -> None:
    """Correct a transcript's text; its codings move with the text, none is dropped.

    A coding whose whole text is deleted stays, flagged for review. Every moved or
    flagged coding is written to the audit log.

    Example: qualcarto transcript edit I3 --from I3-corrected.txt --as lena
    """
    from qualcarto.transcripts.corrections import correct_transcript
    from qualcarto.transcripts.decode import decode_text, read_bytes
    from qualcarto.transcripts.lookup import get_transcript

    with store_session(ctx) as session:
        doc = get_transcript(session, name)
        old_text, checksum = doc.text, doc.checksum
    if source is not None:
        new_text = decode_text(read_bytes(source), source)
    else:
        edited = click.edit(old_text, extension=".txt")
        if edited is None:
            click.echo("no changes")
            return
        new_text = edited
    with store_session(ctx) as session:
        report = correct_transcript(session, name, new_text, actor, expected_checksum=checksum)
    click.echo(report.summary())

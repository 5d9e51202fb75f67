# SPDX-License-Identifier: MIT
"""``qualcarto memo``: the research notebook from the command line (docs/memos.md)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from qualcarto.cli.common import store_session

if TYPE_CHECKING:
    import pandas as pd

SUBJECTS = ["project", "transcript", "code", "coding", "participant"]
FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table"
)
VIEWER = click.option(
    "--as", "viewer", default=None, help="Show only what this user may see (blind coding)."
)


@click.group("memo")
def memo_group() -> None:
    """Write, list, show and search memos: the study's research notebook."""


def _text(text: str) -> str:
    """The memo text argument; '-' reads it from standard input."""
    return sys.stdin.read() if text == "-" else text


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, default=str))
    elif not len(frame):
        click.echo("no memos")
    else:
        shown = frame.drop(columns=["row_version"]).assign(
            text=frame["text"].str.replace("\n", " ", regex=False)
        )
        click.echo(shown.to_string(index=False, max_colwidth=50))


@memo_group.command("add")
@click.argument("text")
@click.option("--as", "author", required=True, help="Who writes the memo.")
@click.option("--subject", type=click.Choice(SUBJECTS), default="project", show_default=True)
@click.option(
    "--about",
    default=None,
    help="What it is about: a transcript name, code id, coding number or participant key.",
)
@click.option("--title", default="", help="A title (names a study-level note).")
@click.pass_context
def memo_add(
    ctx: click.Context, text: str, author: str, subject: str, about: str | None, title: str
) -> None:
    """Write a memo; [[I3:681-801]], [[code:ID]], [[memo:N]] in TEXT link it ('-': stdin).

    Example: qualcarto memo add --as ana --subject code --about pre-model-secrecy
    'Secrecy also shows in [[I3:681-801]]; compare [[code:pre-data-reluctance-to-share]]'
    """
    from qualcarto.memos import write_memo

    if subject != "project" and about is None:
        raise click.UsageError(f"a {subject} memo needs --about (which {subject})")
    where: dict[str, Any] = {"subject": subject, "title": title}
    if subject == "coding":
        if about is None or not about.isdigit():
            raise click.UsageError("--about for a coding memo is the coding's number")
        where["coding_id"] = int(about)
    elif subject != "project":
        key = {"transcript": "transcript", "code": "code_id", "participant": "participant"}
        where[key[subject]] = about
    with store_session(ctx) as session:
        number = write_memo(session, author, _text(text), **where).id
    click.echo(f"memo {number} saved")


@memo_group.command("list")
@VIEWER
@click.option("--subject", type=click.Choice(SUBJECTS), default=None, help="Only this kind.")
@FORMAT
@click.pass_context
def memo_list(ctx: click.Context, viewer: str | None, subject: str | None, fmt: str) -> None:
    """List memos, newest first.

    Example: qualcarto memo list --subject code --format csv
    """
    from qualcarto.memos import memos_frame

    with store_session(ctx, read_only=True) as session:
        frame = memos_frame(session, viewer)
    if subject:
        frame = frame[frame["subject"] == subject]
    _emit(frame, fmt)


@memo_group.command("search")
@click.argument("words", nargs=-1, required=True)
@VIEWER
@FORMAT
@click.pass_context
def memo_search(ctx: click.Context, words: tuple[str, ...], viewer: str | None, fmt: str) -> None:
    """Memos whose title or text holds every word (case does not matter).

    Example: qualcarto memo search compute partnership
    """
    from qualcarto.memos import search_memos

    with store_session(ctx, read_only=True) as session:
        frame = search_memos(session, " ".join(words), viewer)
    _emit(frame, fmt)


@memo_group.command("show")
@click.argument("number", type=int)
@VIEWER
@click.pass_context
def memo_show(ctx: click.Context, number: int, viewer: str | None) -> None:
    """One memo in full: what it is about, its text, its links and the memos linking to it.

    Example: qualcarto memo show 12
    """
    from qualcarto.backlinks import backlinks
    from qualcarto.errors import NotFoundError
    from qualcarto.memos import LINK, memos_frame

    with store_session(ctx, read_only=True) as session:
        frame = memos_frame(session, viewer)
        found = frame[frame["memo_id"] == number]
        if not len(found):
            raise NotFoundError(f"memo {number} does not exist")
        linking = backlinks(session, memo=number, viewer=viewer)
    memo = found.iloc[0]
    about = (
        f" on {memo['subject']} {memo['about']}".rstrip() if memo["subject"] != "project" else ""
    )
    click.echo(f"memo {number}{about} by {memo['author']} (version {memo['row_version']})")
    if memo["title"]:
        click.echo(f"title: {memo['title']}")
    click.echo(f"updated: {memo['updated_at']}")
    click.echo("")
    click.echo(memo["text"])
    links = [match[0] for match in LINK.finditer(memo["text"])]
    if links:
        click.echo("")
        click.echo("links: " + ", ".join(links))
    if len(linking):
        click.echo("linked from: " + ", ".join(f"memo {m}" for m in linking["memo_id"]))


@memo_group.command("edit")
@click.argument("number", type=int)
@click.argument("text")
@click.option("--as", "author", required=True, help="The memo's author.")
@click.option("--title", default="", help="A new title (default: keep it).")
@click.option(
    "--expect-version",
    "expected",
    type=int,
    default=None,
    help="Refuse if the memo changed since this version (memo show prints it).",
)
@click.pass_context
def memo_edit(
    ctx: click.Context, number: int, text: str, author: str, title: str, expected: int | None
) -> None:
    """Rewrite one of your memos with TEXT ('-': stdin); its links are checked again.

    Example: qualcarto memo edit 12 --as ana --expect-version 3 'Sharper: [[code:pre-model]]'
    """
    from qualcarto.memos import write_memo

    with store_session(ctx) as session:
        memo = write_memo(
            session, author, _text(text), title=title, memo_id=number, expected_version=expected
        )
        version = memo.row_version
    click.echo(f"memo {number} saved (version {version})")

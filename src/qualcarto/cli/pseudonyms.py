# SPDX-License-Identifier: MIT
"""``qualcarto pseudonymise``: names and places replaced across the study, the key kept apart."""

from __future__ import annotations

from pathlib import Path

import click

from qualcarto.cli.common import store_session


@click.command("pseudonymise")
@click.option(
    "--map",
    "key_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Key file: csv with columns name,pseudonym (kept by you, never stored).",
)
@click.option(
    "--suggest",
    type=click.Path(path_type=Path),
    default=None,
    help="Write candidate names to this new csv, to fill in as the key file.",
)
@click.option(
    "--copy",
    type=click.Path(path_type=Path),
    default=None,
    help="Pseudonymise a copy (a new SQLite file) and leave the store as it is.",
)
@click.option("--as", "actor", default=None, help="The lead pseudonymising (for the audit log).")
@click.pass_context
def pseudonymise(
    ctx: click.Context,
    key_file: Path | None,
    suggest: Path | None,
    copy: Path | None,
    actor: str | None,
) -> None:
    """Replace names and places in every transcript and memo; codings move with the text.

    Start with --suggest to list candidates (capitalised words, participants' attributes),
    fill in the pseudonym column, then run with --map. With --copy the store stays as it
    is and a pseudonymised copy, without recordings, is written for sharing.

    Example: qualcarto pseudonymise --map names.csv --copy shared.db --as lena
    """
    from qualcarto.pseudonyms import (
        name_candidates,
        read_key,
        scrub_copy,
        write_key_template,
    )
    from qualcarto.pseudonyms import (
        pseudonymise as replace_all,
    )

    if suggest is not None:
        with store_session(ctx) as session:
            rows = write_key_template(name_candidates(session), suggest)
        click.echo(f"wrote {rows} candidate names to {suggest}: fill in the pseudonym column")
        return
    if key_file is None or actor is None:
        raise click.UsageError("pass --map KEY.csv and --as LEAD (or --suggest OUT.csv)")
    key = read_key(key_file)
    if copy is not None:
        from qualcarto.store.backup import backup_store

        if not ctx.obj["db"].startswith("sqlite:"):
            raise click.UsageError("--copy works on a SQLite store; back up and restore first")
        backup_store(ctx.obj["db"], copy)
        ctx.obj["db"] = f"sqlite:///{copy}"
    with store_session(ctx) as session:
        report = replace_all(session, key, actor)
        if copy is not None:
            scrub_copy(session, key)
    click.echo(report.summary() + (f"; copy in {copy}" if copy else ""))

# SPDX-License-Identifier: MIT
"""Running a team server: ``serve``, ``backup``, ``restore`` and ``verify``.

These are the commands a lead runs (by hand, from systemd or from cron; see
``docs/deploy.md``); each parses its arguments and calls one function of the core.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcarto.config import DB_ENV_VAR
from qualcarto.errors import NotFoundError, QualcartoError

if TYPE_CHECKING:
    from qualcarto.verify import Problem

DEFAULT_APP = Path(__file__).resolve().parents[3] / "app.py"


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.pass_context
def backup(ctx: click.Context, out: Path, force: bool) -> None:
    """Copy the whole store to a file while coders keep working.

    SQLite stores are copied with SQLite's online backup API into a single .db file;
    PostgreSQL stores with pg_dump (custom format). Either way the copy is one
    consistent moment of the store.

    Example: qualcarto --db study.db backup backups/study-$(date +%F).db
    """
    from qualcarto.store.backup import backup_store

    report = backup_store(ctx.obj["db"], out, force=force)
    click.echo(
        f"backed up {report.backend} store to {report.path} "
        f"({report.size:,} bytes, schema {report.revision})"
    )


@click.command()
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a store that already holds data.")
@click.pass_context
def restore(ctx: click.Context, source: Path, force: bool) -> None:
    """Replace the store with a backup made by `qualcarto backup`, then verify it.

    Stop the app first. A SQLite store that is replaced is first copied aside byte for
    byte (<file>.before-restore.<time>.bak), so a damaged store can be restored too.

    Example: qualcarto --db study.db restore backups/study-2025-03-01.db --force
    """
    from qualcarto.store.backup import restore_store
    from qualcarto.verify import verify_url

    report = restore_store(ctx.obj["db"], source, force=force)
    if report.kept is not None:
        click.echo(f"kept the replaced store as {report.kept}")
    click.echo(f"restored {source} into {ctx.obj['db']} (schema {report.revision})")
    problems, _counts = verify_url(ctx.obj["db"])
    _report_problems(problems)
    click.echo("verified: no integrity problems")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Check the store's integrity and report problems, changing nothing.

    Checks offsets of turns, sentences and codings against their text, each
    coding's excerpt, the codes of codings against their codebook version, text
    checksums and (SQLite) the database file. Exit status 2 if anything is wrong.

    Example: qualcarto --db study.db verify
    """
    from qualcarto.verify import verify_url

    problems, counts = verify_url(ctx.obj["db"])
    if as_json:
        click.echo(
            json.dumps([vars(p) for p in problems] if problems else counts, ensure_ascii=False)
        )
    elif not problems:
        click.echo(
            f"ok: {counts['transcripts']} transcripts, {counts['sentences']} sentences "
            f"and {counts['codings']} codings checked"
        )
    _report_problems(problems, quiet=as_json)


def _report_problems(problems: list[Problem], quiet: bool = False) -> None:
    if not problems:
        return
    if not quiet:
        for problem in problems:
            click.echo(str(problem))
    noun = "problem" if len(problems) == 1 else "problems"
    raise QualcartoError(f"{len(problems)} integrity {noun} found; nothing was changed")


def streamlit_command(app: Path, address: str, port: int) -> list[str]:
    """The ``streamlit run`` command line with the settings a shared server needs.

    Headless (no browser, no e-mail prompt), no usage statistics sent anywhere, XSRF
    protection on, no file watcher (the code does not change under a running server),
    errors shown by type only (no stack traces, which can quote data), bound to one
    address so a reverse proxy can be the only way in.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.enableXsrfProtection=true",
        "--server.enableCORS=true",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--client.showErrorDetails=type",
        "--client.toolbarMode=minimal",
        f"--server.address={address}",
        f"--server.port={port}",
    ]


@click.command()
@click.option("--address", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8501, show_default=True, type=int)
@click.option(
    "--app",
    "app",
    type=click.Path(path_type=Path),
    default=DEFAULT_APP,
    help="The Streamlit entry point (default: app.py of this checkout).",
)
@click.pass_context
def serve(ctx: click.Context, address: str, port: int, app: Path) -> None:
    """Run the app for a team with production settings (behind a TLS reverse proxy).

    The store is opened (and migrated) before the server starts, so a wrong --db
    fails here in one line rather than in everyone's browser.

    Example: qualcarto --db postgresql+psycopg://qualcarto@localhost/study serve --port 8501
    """
    from qualcarto.store import connect
    from qualcarto.store.engine import sqlite_path

    if not app.is_file():
        raise NotFoundError(f"{app}: no Streamlit app here; pass --app path/to/app.py")
    url = ctx.obj["db"]
    path = sqlite_path(url)
    if path is not None:  # the server runs beside app.py: a relative file must not move
        url = f"sqlite:///{path.resolve()}"
    connect(url).dispose()
    env = {**os.environ, DB_ENV_VAR: url}
    click.echo(f"serving {url} on http://{address}:{port}", err=True)
    # Become the server (exec, not a child process), so the signals systemd or a terminal
    # sends reach Streamlit itself and nothing is left running when it stops.
    os.chdir(app.parent)
    command = streamlit_command(app, address, port)
    os.execve(command[0], command, env)

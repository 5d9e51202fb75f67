# SPDX-License-Identifier: MIT
"""The ``qualcarto`` command: each command parses its arguments and calls one core function.

Errors a user can act on come out as one line on stderr and exit status 2. Commands live
in modules here by noun (``qualcarto.cli.<noun>``) and are registered below by plain
imports; what they share (``store_session``, ``progress_bar``) is in ``qualcarto.cli.common``.

Start-up: a command module imports only click and light qualcarto modules at the top.
Services, the store and heavy libraries (pandas, SQLAlchemy, matplotlib, spaCy, PyAV, ...)
are imported inside the command that uses them, so ``qualcarto --help`` loads none of them
and ``qualcarto status`` loads only what it reads. These deferred imports are for speed
only, never to dodge an import cycle: ``tests/test_architecture.py`` counts imports inside
functions when it looks for cycles.
"""

from __future__ import annotations

import sqlite3
import sys

import click

from qualcarto import __version__
from qualcarto.cli.agreement import agreement
from qualcarto.cli.calibration import calibration_group
from qualcarto.cli.cartography import cartography
from qualcarto.cli.codebook import codebook
from qualcarto.cli.coding import coding
from qualcarto.cli.exchange import export
from qualcarto.cli.groups import group
from qualcarto.cli.memo import memo_group
from qualcarto.cli.ops import backup, restore, serve, verify
from qualcarto.cli.pseudonyms import pseudonymise
from qualcarto.cli.query import query
from qualcarto.cli.report import report
from qualcarto.cli.rounds import round_group
from qualcarto.cli.study import demo, import_, init, status
from qualcarto.cli.suggest import suggest
from qualcarto.cli.transcript import transcript
from qualcarto.cli.users import user
from qualcarto.config import DB_ENV_VAR, resolve_db_url
from qualcarto.errors import QualcartoError
from qualcarto.names import escaped


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=DB_ENV_VAR,
    default=None,
    metavar="URL",
    help=f"Store URL or SQLite file (default: ${DB_ENV_VAR} or sqlite:///qualcarto.db).",
)
@click.version_option(__version__, prog_name="qualcarto")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Code qualitative interview studies as a team.

    Example: qualcarto demo && qualcarto status
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = resolve_db_url(db)


for _command in (
    init,
    import_,
    codebook,
    user,
    status,
    demo,
    transcript,
    coding,
    suggest,
    export,
    cartography,
    agreement,
    report,
    round_group,
    calibration_group,
    backup,
    restore,
    verify,
    serve,
    query,
    memo_group,
    pseudonymise,
    group,
):
    cli.add_command(_command)


def _store_failure(exc: Exception) -> str | None:
    """Why the store could not be used, if ``exc`` says so (busy, damaged, not a database).

    SQLAlchemy is looked up, not imported: if no command loaded it, none of its errors
    can have been raised, and ``qualcarto --help`` stays free of it.
    """
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DatabaseError):
        return str(exc.orig)
    if isinstance(exc, sqlite3.DatabaseError):
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn our errors into one line on stderr and exit status 2."""
    try:
        cli.main(args=argv, prog_name="qualcarto", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except QualcartoError as exc:
        click.echo(f"error: {escaped(exc)}", err=True)
        return 2
    except (UnicodeEncodeError, UnicodeDecodeError) as exc:  # argv or file names not UTF-8
        text = exc.object if isinstance(exc.object, str) else repr(exc.object)
        click.echo(f"error: {escaped(text)}: not valid UTF-8 text ({exc.reason})", err=True)
        return 2
    except Exception as exc:
        reason = _store_failure(exc)
        if reason is None:
            raise
        click.echo(f"error: the store could not be used ({escaped(reason)})", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

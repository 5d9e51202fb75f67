# SPDX-License-Identifier: MIT
"""The ``qualcarto`` command: each command parses its arguments and calls one core function.

Errors a user can act on come out as one line on stderr and exit status 2. Commands
of later features live in their own modules here (``qualcarto.cli.<feature>``) and are
registered at the bottom of this file with ``cli.add_command``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from qualcarto import __version__
from qualcarto.config import DB_ENV_VAR, resolve_db_url
from qualcarto.errors import QualcartoError
from qualcarto.names import escaped, printable, problem
from qualcarto.wording import counted

RAW_CSV_HELP = (
    "Write text exactly as stored: no apostrophe before cells starting with = + - @ "
    "(for pandas or R, not for spreadsheets)."
)


@contextmanager
def store_session(
    ctx: click.Context, *, create: bool = False, read_only: bool = False
) -> Iterator[Session]:
    """One transaction on the store named by ``--db``; commands use nothing else.

    Commands that only read (status, lists, reports, exports) pass ``read_only``: their
    snapshot takes no write lock, so they never wait for a coder's save or delay one.
    """
    from qualcarto.store import connect, read_scope, session_scope

    engine = connect(ctx.obj["db"], create=create)
    try:
        with (read_scope if read_only else session_scope)(engine) as session:
            yield session
    finally:
        engine.dispose()


class _SilentProgress:
    """Stands in for a progress bar where nobody watches (pipes, logs, tests)."""

    def __enter__(self) -> _SilentProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def update(self, _steps: int) -> None:
        return None


def progress_bar(length: int, label: str) -> Any:
    """A progress bar on stderr, shown only to a person at a terminal (never in logs or pipes)."""
    if not sys.stderr.isatty():
        return _SilentProgress()
    return click.progressbar(length=length, label=label, file=sys.stderr)


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


@cli.command()
@click.option("--name", default="study", help="Name of the study.")
@click.pass_context
def init(ctx: click.Context, name: str) -> None:
    """Create an empty store for a new study.

    Example: qualcarto --db study.db init --name "Onboarding interviews"
    """
    from sqlalchemy import select

    from qualcarto.store import Project

    with store_session(ctx, create=True) as session:
        if session.scalars(select(Project)).first() is not None:
            raise QualcartoError(f"{ctx.obj['db']}: already holds a study")
        session.add(Project(name=name))
    click.echo(f"created study {printable(name)} in {ctx.obj['db']}")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--participants", type=click.Path(path_type=Path), help="csv with an 'id' column.")
@click.option("--as", "actor", default="system", help="Who is importing (for the audit log).")
@click.option(
    "--skip-broken",
    is_flag=True,
    help="REFI-QDA: import the whole sources and report each broken one (default: all or nothing).",
)
@click.option(
    "--sources",
    "sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="REFI-QDA: the folder of source files for a bare project.qde.",
)
@click.option(
    "--transcribe", is_flag=True, help="Transcribe recordings locally (docs/recordings.md)."
)
@click.option(
    "--model", type=click.Path(path_type=Path), help="Local CTranslate2 Whisper model folder."
)
@click.option("--language", default="en", show_default=True, help="Spoken language of recordings.")
@click.option("--no-vad", is_flag=True, help="Transcribe silences too (no voice-activity filter).")
@click.option(
    "--media", "media_dir", default=None, help="Media folder (default: beside the store)."
)
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[Path, ...],
    participants: Path | None,
    actor: str,
    transcribe: bool,
    model: Path | None,
    language: str,
    no_vad: bool,
    media_dir: str | None,
    skip_broken: bool,
    sources: Path | None,
) -> None:
    """Import transcripts (txt, md, docx, vtt, srt) and recordings, files or folders, all or nothing.

    A recording (mp3, wav, m4a, ogg, opus, flac, webm, mp4) is paired with the .vtt/.srt
    of the same name beside it, or transcribed on this machine with --transcribe.
    A REFI-QDA project (.qdpx, .qde) or codebook (.qdc) from another QDA tool is imported on
    its own: users, codebook, transcripts, codings and memos (see docs/exchange.md).

    Example: qualcarto import interviews/ --participants interviews/participants.csv
    """
    from qualcarto.media import split_media
    from qualcarto.transcripts import collect_files, import_transcripts

    if any(p.suffix.lower() in (".qdpx", ".qdc", ".qde") for p in paths):
        if len(paths) != 1 or participants:
            raise click.UsageError("import a .qdpx, .qdc or .qde file on its own")
        from qualcarto.cli.exchange import import_refi_file

        import_refi_file(ctx, paths[0], actor, skip_broken=skip_broken, sources=sources)
        return
    recordings, others = split_media(paths)
    files = collect_files(others)
    if recordings:
        from qualcarto.cli.media import recordings_importer

        add_recordings = recordings_importer(
            ctx, recordings, media_dir, transcribe, model, language, not no_vad, actor
        )
    with (
        store_session(ctx) as session,
        progress_bar(len(files) + len(recordings), "importing") as bar,
    ):
        report = import_transcripts(
            session,
            files,
            participants_csv=participants,
            actor=actor,
            progress=lambda _path: bar.update(1),
        )
        summary = report.summary() if files or not recordings else ""
        if recordings:
            summary = "; ".join(filter(None, [summary, add_recordings(session, bar)]))
    click.echo(summary)


@cli.group()
def codebook() -> None:
    """Publish, compare and export codebook versions."""


@codebook.command("publish")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-m", "--message", required=True, help="What changed and why.")
@click.option("--author", default=None, help="Lead publishing the version.")
@click.pass_context
def codebook_publish(ctx: click.Context, file: Path, message: str, author: str | None) -> None:
    """Validate a codebook file and store it as the next version.

    Example: qualcarto codebook publish codebook/linaker2025.yaml -m "merge duplicates"
    """
    from qualcarto.codebook import load_codebook
    from qualcarto.codebook.staged import publish_in_batches
    from qualcarto.store import connect

    book = load_codebook(file)
    engine = connect(ctx.obj["db"])
    try:  # a large codebook goes in short transactions: coders keep saving meanwhile
        result = publish_in_batches(engine, book, message, author=author, source_file=file.name)
    finally:
        engine.dispose()
    if result.unchanged:
        click.echo(f"{file}: no changes since version {result.number}; nothing published")
        return
    click.echo(f"published codebook version {result.number}")
    for line in result.diff.lines():
        click.echo(f"  {line}")
    for move, count in result.migrated.items():
        click.echo(f"  migrated {counted(count, 'coding')} {move}")
    for note in result.notes:
        click.echo(f"note: {note}")


@codebook.command("diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.pass_context
def codebook_diff(ctx: click.Context, old: int, new: int) -> None:
    """Show what changed between two versions.

    Example: qualcarto codebook diff 1 2
    """
    from qualcarto.codebook import diff_codebooks, get_version, version_codebook

    with store_session(ctx, read_only=True) as session:
        a = version_codebook(get_version(session, old))
        b = version_codebook(get_version(session, new))
    for line in diff_codebooks(a, b).lines():
        click.echo(line)


@codebook.command("export")
@click.option("--version", "number", type=int, default=None, help="Version (default: newest).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@click.pass_context
def codebook_export(ctx: click.Context, number: int | None, fmt: str, output: Path | None) -> None:
    """Write a stored version back as a codebook file, in YAML or as the same document in JSON.

    Both formats carry every field of the file (facets, cartography, definitions, colours,
    keywords, merges); either one publishes back as an equal codebook.

    Example: qualcarto codebook export --version 1 -o codebook-v1.yaml
    """
    from qualcarto.codebook import export_codebook, get_version, version_codebook

    with store_session(ctx, read_only=True) as session:
        text = export_codebook(version_codebook(get_version(session, number)), fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@cli.group()
def user() -> None:
    """Manage coders and leads."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["coder", "lead"]), default="coder")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add a coder or lead; the password is asked without echo.

    Example: qualcarto user add maria --role coder
    """
    from qualcarto.users import add_user

    password = _read_password(password_stdin)
    with store_session(ctx) as session:
        add_user(session, name, role, password)
    click.echo(f"added {role} {printable(name)}")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a person's password, e.g. for a coder imported from a REFI-QDA project.

    Example: qualcarto user password maria
    """
    from qualcarto.users import set_password

    password = _read_password(password_stdin)
    with store_session(ctx) as session:
        set_password(session, name, password)
    click.echo(f"password set for {printable(name)}")


@user.command("unlock")
@click.argument("name")
@click.pass_context
def user_unlock(ctx: click.Context, name: str) -> None:
    """Forget a person's failed sign-ins, so they can sign in now (run it on the server).

    Example: qualcarto user unlock lena
    """
    from qualcarto.auth import unlock

    with store_session(ctx) as session:
        count = unlock(session, name)
    noun = "failure" if count == 1 else "failures"
    click.echo(f"cleared {count} failed sign-in {noun} for {printable(name)}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        try:
            password = sys.stdin.readline().rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise QualcartoError("the password on stdin is not valid UTF-8 text") from exc
    else:
        password = str(click.prompt("password", hide_input=True, confirmation_prompt=True))
    if problem(password):
        raise QualcartoError(f"the password {problem(password)}; choose visible characters")
    return password


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Summarize the store: transcripts, codebook, codings per coder.

    Example: qualcarto status --json
    """
    from qualcarto.status import codebook_summary, store_status

    with store_session(ctx, read_only=True) as session:
        info = store_status(session)
        summary = codebook_summary(session)
    if as_json:
        keys = ("transcripts", "participants", "codebook_version", "codes", "codings")
        click.echo(json.dumps({k: info[k] for k in keys}, ensure_ascii=False))
        return
    click.echo(f"study: {info['project']}")
    click.echo(f"transcripts: {info['transcripts']} ({info['participants']} participants)")
    click.echo(f"codebook: version {info['codebook_version']}, {info['codes']} active codes")
    for line in summary:
        click.echo(f"  {line}")
    click.echo("codings:")
    for coder, count in info["codings"].items():
        click.echo(f"  {coder}: {count}")


@cli.command()
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder with codebook/ and transcripts/ (default: the repository).",
)
@click.pass_context
def demo(ctx: click.Context, data: Path | None) -> None:
    """Build a fresh store holding the demo study (replaces an older demo store).

    Example: qualcarto --db demo.db demo
    """
    from qualcarto.demo import DEMO_USERS, build_demo

    report = build_demo(ctx.obj["db"], data)
    report.engine.dispose()
    click.echo(f"demo study in {ctx.obj['db']}: {report.transcripts} transcripts")
    for coder, count in report.layers.items():
        click.echo(f"  layer {coder}: {count} codings")
    click.echo("demo accounts (public, for trying the app only):")
    for name, role, password in DEMO_USERS:
        click.echo(f"  {name} ({role}): {password}")


def _register_feature_commands() -> None:
    """Feature modules add their commands here; each module defines click commands or groups."""
    from importlib import import_module

    for module_name, names in FEATURE_COMMANDS:
        module = import_module(f"qualcarto.cli.{module_name}")
        for name in names:
            cli.add_command(getattr(module, name))


# (module in qualcarto.cli, command objects it defines)
FEATURE_COMMANDS: list[tuple[str, list[str]]] = [
    ("transcript", ["transcript"]),
    ("coding", ["coding"]),
    ("suggest", ["suggest"]),
    ("exchange", ["export"]),
    ("cartography", ["cartography"]),
    ("agreement", ["agreement"]),
    ("report", ["report"]),
    ("rounds", ["round_group"]),
    ("ops", ["backup", "restore", "verify", "serve"]),
    ("query", ["query"]),
    ("pseudonyms", ["pseudonymise"]),
]
_register_feature_commands()


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
    except DatabaseError as exc:  # busy, damaged or not a database at all: one line
        click.echo(f"error: the store could not be used ({escaped(exc.orig)})", err=True)
        return 2
    except sqlite3.DatabaseError as exc:
        click.echo(f"error: the store could not be used ({escaped(exc)})", err=True)
        return 2
    except (
        UnicodeEncodeError,
        UnicodeDecodeError,
    ) as exc:  # a name or path that is not valid UTF-8 (argv, file names)
        text = exc.object if isinstance(exc.object, str) else repr(exc.object)
        click.echo(f"error: {escaped(text)}: not valid UTF-8 text ({exc.reason})", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

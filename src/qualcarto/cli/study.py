# SPDX-License-Identifier: MIT
"""The study as a whole: ``init``, ``import``, ``status`` and ``demo``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcarto.cli.common import progress_bar, store_session
from qualcarto.cli.exchange import import_refi_file
from qualcarto.cli.media import recordings_importer
from qualcarto.names import printable


@click.command()
@click.option("--name", default="study", help="Name of the study.")
@click.pass_context
def init(ctx: click.Context, name: str) -> None:
    """Create an empty store for a new study.

    Example: qualcarto --db study.db init --name "Onboarding interviews"
    """
    from qualcarto.study import create_study

    with store_session(ctx, create=True) as session:
        create_study(session, name, store=ctx.obj["db"])
    click.echo(f"created study {printable(name)} in {ctx.obj['db']}")


@click.command("import")
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
    from qualcarto.store import connect, staged_import
    from qualcarto.transcripts import collect_files, import_with

    if any(p.suffix.lower() in (".qdpx", ".qdc", ".qde") for p in paths):
        if len(paths) != 1 or participants:
            raise click.UsageError("import a .qdpx, .qdc or .qde file on its own")
        import_refi_file(ctx, paths[0], actor, skip_broken=skip_broken, sources=sources)
        return
    recordings, others = split_media(paths)
    files = collect_files(others)
    if recordings:
        add_recordings = recordings_importer(
            ctx, recordings, media_dir, transcribe, model, language, not no_vad, actor
        )
    said: list[str] = []
    engine = connect(ctx.obj["db"])
    # In short batches, hidden until done: coders keep working while a corpus imports.
    try:
        with (
            progress_bar(len(files) + len(recordings), "importing") as bar,
            staged_import(engine, f"{len(files) + len(recordings)} files", actor) as run,
        ):
            report = import_with(
                run,
                files,
                participants,
                actor,
                lambda _path: bar.update(1),
                then=(lambda: said.append(add_recordings(run, bar))) if recordings else None,
            )
    finally:
        engine.dispose()
    summary = "; ".join(filter(None, [report.summary() if files or not recordings else "", *said]))
    click.echo(summary)


@click.command()
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


@click.command()
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

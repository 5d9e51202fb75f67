# SPDX-License-Identifier: MIT
"""``qualcarto codebook``: publish, compare and export codebook versions."""

from __future__ import annotations

from pathlib import Path

import click

from qualcarto.cli.common import store_session
from qualcarto.wording import counted


@click.group()
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json", "docx", "html", "md"]),
    default="yaml",
    help="yaml/json: the codebook file; docx/html/md: the codebook as a document to read.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@click.pass_context
def codebook_export(ctx: click.Context, number: int | None, fmt: str, output: Path | None) -> None:
    """Write a stored version as a codebook file (YAML, JSON) or a document (docx, html, md).

    The files carry every field (facets, cartography, definitions, colours, keywords,
    merges); either one publishes back as an equal codebook. The document is for people:
    hierarchy, definitions, include/exclude, examples, coding counts, a typical excerpt
    per code and the change log across versions (docs/codebook.md).

    Example: qualcarto codebook export --version 1 -o codebook-v1.yaml

    Example: qualcarto codebook export --format docx -o codebook.docx
    """
    from qualcarto.codebook import export_codebook, get_version, version_codebook
    from qualcarto.exchange.codebook_doc import (
        gather_codebook_document,
        render_codebook_document,
    )

    if fmt == "docx" and output is None:
        raise click.UsageError("a docx document is a file: name it with -o FILE")
    data: str | bytes
    with store_session(ctx, read_only=True) as session:
        if fmt in ("yaml", "json"):
            data = export_codebook(version_codebook(get_version(session, number)), fmt)
        else:
            doc = gather_codebook_document(session, number)
            data = render_codebook_document(doc, fmt)  # type: ignore[arg-type]
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            output.write_bytes(data)
            click.echo(f"wrote the codebook as {fmt} to {output}")
        else:
            output.write_text(data, encoding="utf-8")
    else:
        click.echo(data.decode("utf-8") if isinstance(data, bytes) else data, nl=False)

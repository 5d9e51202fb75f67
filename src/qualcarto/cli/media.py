# SPDX-License-Identifier: MIT
"""Recordings on the command line: ``qualcarto import interview.mp3 [--transcribe]`` lands here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qualcarto.config import resolve_media_dir

if TYPE_CHECKING:
    from qualcarto.store import ImportRun


def recordings_importer(
    ctx: click.Context,
    files: list[Path],
    media_dir: str | None,
    transcribe: bool,
    model: Path | None,
    language: str | None,
    vad: bool,
    actor: str,
) -> Callable[[ImportRun, Any], str]:
    """Settle the media folder and load the model first (errors before any write), then return
    the step that imports ``files`` through the import's run and says what it did."""
    from qualcarto.media import TranscribeOptions, Transcriber, import_recordings_with

    folder = resolve_media_dir(ctx.obj["db"], media_dir)
    transcriber = (
        Transcriber(TranscribeOptions(model_dir=model, language=language, vad=vad))
        if transcribe
        else None
    )

    def add(run: ImportRun, bar: Any) -> str:
        report = import_recordings_with(
            run, files, folder, transcriber, actor, lambda _path: bar.update(1)
        )
        return report.summary()

    return add

# SPDX-License-Identifier: MIT
"""Read a .vtt/.srt beside a recording with its times, as timed turns."""

from __future__ import annotations

import io
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qualcarto.errors import InputError
from qualcarto.media.timing import TimedPiece, TimedTurn
from qualcarto.transcripts.decode import decode_text, read_bytes
from qualcarto.transcripts.readers import strip_tags
from qualcarto.transcripts.turns import SPEAKER_LABEL

CAPTION_SUFFIXES = (".vtt", ".srt")


def read_timed_captions(path: Path) -> list[TimedTurn]:
    """Captions as turns: consecutive captions of one speaker (a voice tag or ``Name:``) merge."""
    fmt = path.suffix.lower().lstrip(".")
    text = decode_text(read_bytes(path), path).replace("\r\n", "\n").replace("\r", "\n")
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt).captions
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError) as exc:
        raise InputError(path, f"not a valid .{fmt} file ({exc or type(exc).__name__})") from exc
    turns: list[tuple[str | None, list[TimedPiece]]] = []
    for caption in captions:
        line = " ".join(strip_tags(caption.text).split())
        if not line:
            continue
        speaker = caption.voice
        if speaker is None and (label := SPEAKER_LABEL.match(line)):
            speaker, line = label["speaker"].strip(), line[label.end() :]
        piece = TimedPiece(
            line,
            caption.start_time.in_milliseconds() / 1000,
            caption.end_time.in_milliseconds() / 1000,
        )
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(piece)
        else:
            turns.append((speaker, [piece]))
    if not turns:
        raise InputError(path, f"holds no captions: not a valid .{fmt} file")
    return [TimedTurn(speaker, tuple(pieces)) for speaker, pieces in turns]

# SPDX-License-Identifier: MIT
"""Text with times: compose a transcript from timed words or captions, and map offsets to seconds.

Pure code (no I/O): a recording's words come in with seconds, leave as the stored text
(paragraph per turn, ``Speaker: words`` where the speaker is known) plus a sorted list of
``(start, end, seconds_from, seconds_to)`` rows that tie character offsets to seconds.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qualcarto.transcripts.turns import TurnSpan

PAUSE_SECONDS = 1.0
"""A silence at least this long between two stretches of speech starts a new turn."""

Timing = tuple[int, int, float, float]


@dataclass(frozen=True)
class TimedPiece:
    """A word (from speech recognition) or a caption line, with its seconds."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class TimedTurn:
    """Consecutive pieces of one speaker (``None``: not known yet)."""

    speaker: str | None
    pieces: tuple[TimedPiece, ...]


@dataclass(frozen=True)
class TimedText:
    """The stored text of a timed transcript, its turns with seconds, and the word timings."""

    text: str
    turns: list[TurnSpan]
    turn_times: list[tuple[float, float]]
    timings: list[Timing]


def split_on_pauses(
    stretches: Sequence[Sequence[TimedPiece]], pause: float = PAUSE_SECONDS
) -> list[TimedTurn]:
    """Group stretches of speech (e.g. recognizer segments) into turns at silences >= ``pause``."""
    turns: list[list[TimedPiece]] = []
    last_end: float | None = None
    for stretch in stretches:
        pieces = [p for p in stretch if p.text.strip()]
        if not pieces:
            continue
        if last_end is None or pieces[0].start - last_end >= pause:
            turns.append([])
        turns[-1].extend(pieces)
        last_end = pieces[-1].end
    return [TimedTurn(None, tuple(t)) for t in turns]


def compose(turns: Sequence[TimedTurn]) -> TimedText:
    """The stored text of ``turns`` (NFC, one paragraph per turn) and where each piece lies."""
    parts: list[str] = []
    spans: list[TurnSpan] = []
    turn_times: list[tuple[float, float]] = []
    timings: list[Timing] = []
    offset = 0
    for turn in turns:
        words = [(_clean(p.text), p) for p in turn.pieces]
        words = [(w, p) for w, p in words if w]
        if not words:
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        start = offset
        if turn.speaker:
            label = f"{_clean(turn.speaker)}: "
            parts.append(label)
            offset += len(label)
        body_start = offset
        for i, (word, piece) in enumerate(words):
            if i:
                parts.append(" ")
                offset += 1
            parts.append(word)
            timings.append((offset, offset + len(word), piece.start, max(piece.end, piece.start)))
            offset += len(word)
        spans.append(TurnSpan(turn.speaker, start, body_start, offset))
        turn_times.append((words[0][1].start, max(p.end for _w, p in words)))
    return TimedText("".join(parts), spans, turn_times, timings)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def time_range(
    timings: Sequence[Sequence[float]], start: int, end: int
) -> tuple[float, float] | None:
    """Seconds of the recording that ``text[start:end]`` was said in, or ``None`` if untimed."""
    if not timings or end <= start:
        return None
    ends = [int(t[1]) for t in timings]
    first = bisect.bisect_right(ends, start)
    starts = [int(t[0]) for t in timings]
    last = bisect.bisect_left(starts, end) - 1
    if first >= len(timings) or last < first:
        return None
    return float(timings[first][2]), float(timings[last][3])

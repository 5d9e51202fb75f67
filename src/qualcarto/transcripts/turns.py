# SPDX-License-Identifier: MIT
"""Speaker turns: find ``Name:`` prefixes at line starts in the stored text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A speaker label: up to six words, starting with a letter or digit, ending in a colon and a
# space, at the start of a line. Long labels are not speakers but sentences with a colon.
SPEAKER_LABEL = re.compile(r"^(?P<speaker>[^\W_][\w.'’()\- ]{0,48}?):[ \t]+(?=\S)", re.MULTILINE)
_MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class TurnSpan:
    """A turn ``text[start:end]``; the speaker's own words begin at ``body_start``."""

    speaker: str | None
    start: int
    body_start: int
    end: int


def find_turns(text: str) -> list[TurnSpan]:
    """Split text into speaker turns; text before the first label is a turn without a speaker."""
    labels = [
        m for m in SPEAKER_LABEL.finditer(text) if len(m["speaker"].split()) <= _MAX_LABEL_WORDS
    ]
    turns: list[TurnSpan] = []
    first = labels[0].start() if labels else len(text)
    if text[:first].strip():
        turns.append(TurnSpan(None, 0, 0, _rstrip_end(text, 0, first)))
    for i, match in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        turns.append(
            TurnSpan(
                match["speaker"].strip(),
                match.start(),
                match.end(),
                _rstrip_end(text, match.end(), end),
            )
        )
    return turns


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end

# SPDX-License-Identifier: MIT
"""A transcript as lines for a terminal, each with the offset it starts at.

Pure: text in, ``(offset, line)`` pairs out. Offsets are Python ``str`` indices into
the stored text, the unit ``coding add`` takes, so a coder without the app can read a
span's boundaries off the margin.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\s+")


def offset_lines(text: str, width: int = 80) -> list[tuple[int, str]]:
    """Cut ``text`` into lines of at most ``width`` characters, breaking at spaces.

    Each pair is ``(start, line)`` with ``text[start:start + len(line)] == line``; a word
    longer than ``width`` is cut. Empty lines of the text are kept (as empty strings), so
    the turns stay apart.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    lines: list[tuple[int, str]] = []
    offset = 0
    paragraphs = text.split("\n")
    if len(paragraphs) > 1 and not paragraphs[-1]:
        paragraphs.pop()  # a final newline ends the last line; it starts no new one
    for paragraph in paragraphs:
        lines.extend(_wrap(paragraph, offset, width))
        offset += len(paragraph) + 1
    return lines


def _wrap(paragraph: str, offset: int, width: int) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    start = 0
    while True:
        if len(paragraph) - start <= width:
            if start < len(paragraph) or not pieces:
                pieces.append((offset + start, paragraph[start:]))
            return pieces
        cut = start + width
        spaces = [m for m in _BREAK.finditer(paragraph, start, cut + 1) if m.start() > start]
        end = spaces[-1].start() if spaces else cut
        gap = _BREAK.match(paragraph, end)
        after = gap.end() if gap else end
        pieces.append((offset + start, paragraph[start:end]))
        start = after

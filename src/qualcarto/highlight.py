# SPDX-License-Identifier: MIT
"""Cut a text into pieces by overlapping coded spans, for drawing highlights.

Pure and independent of any UI: the app escapes each piece and colours it by the
codes that cover it. A sweep over span boundaries keeps the cost in the number of
spans, not the length of the text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """``text[start:end]``, covered by the codings ``coding_ids`` (empty: not coded)."""

    start: int
    end: int
    coding_ids: tuple[int, ...]


def highlight_pieces(length: int, spans: Iterable[tuple[int, int, int]]) -> list[Piece]:
    """Split ``[0, length)`` at every boundary of the ``(coding_id, start, end)`` spans."""
    events: dict[int, list[tuple[int, int]]] = {}
    for coding_id, start, end in spans:
        events.setdefault(start, []).append((1, coding_id))
        events.setdefault(end, []).append((-1, coding_id))
    boundaries = sorted({0, length, *events})
    active: set[int] = set()
    pieces: list[Piece] = []
    for left, right in itertools.pairwise(boundaries):
        for sign, coding_id in events.get(left, []):
            if sign > 0:
                active.add(coding_id)
            else:
                active.discard(coding_id)
        if right > left:
            pieces.append(Piece(left, right, tuple(sorted(active))))
    return pieces

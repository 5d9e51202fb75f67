# SPDX-License-Identifier: MIT
"""Sets of characters as sorted, disjoint half-open intervals, with vectorized set algebra.

Every (coder, transcript) pair is a group; a position ``p`` of group ``g`` is stored as
the key ``g * stride + p``, so one pair of NumPy arrays holds all groups at once and an
interval never reaches into another group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Spans:
    """Disjoint ``[starts[i], ends[i])`` intervals sorted by start (so ends are sorted too)."""

    starts: IntArray
    ends: IntArray

    def __len__(self) -> int:
        return int(self.starts.size)

    def take(self, mask: npt.NDArray[np.bool_]) -> Spans:
        return Spans(self.starts[mask], self.ends[mask])


def empty() -> Spans:
    return Spans(np.zeros(0, np.int64), np.zeros(0, np.int64))


def _sweep(positions: IntArray, deltas: IntArray, keep: npt.NDArray[np.bool_]) -> Spans:
    """Walk the boundary events in order; keep the stretches whose running state is kept."""
    if positions.size == 0:
        return empty()
    order = np.argsort(positions, kind="stable")
    positions, deltas = positions[order], deltas[order]
    unique, first = np.unique(positions, return_index=True)
    state = np.cumsum(np.add.reduceat(deltas, first))[:-1]
    selected = keep[np.clip(state, 0, keep.size - 1)]
    before = np.concatenate([[False], selected[:-1]])
    after = np.concatenate([selected[1:], [False]])
    return Spans(unique[:-1][selected & ~before], unique[1:][selected & ~after])


def normalize(starts: IntArray, ends: IntArray) -> Spans:
    """The union of possibly overlapping intervals as disjoint ones."""
    n = starts.size
    positions = np.concatenate([starts, ends]).astype(np.int64)
    deltas = np.concatenate([np.ones(n, np.int64), -np.ones(n, np.int64)])
    keep = np.ones(n + 1, bool)
    keep[0] = False
    return _sweep(positions, deltas, keep)


def combine(a: Spans, b: Spans, keep: tuple[bool, bool, bool, bool]) -> Spans:
    """Characters whose membership (in a, in b) is kept: keep[in_a + 2 * in_b]."""
    positions = np.concatenate([a.starts, a.ends, b.starts, b.ends])
    deltas = np.concatenate(
        [
            np.ones(len(a), np.int64),
            -np.ones(len(a), np.int64),
            np.full(len(b), 2, np.int64),
            np.full(len(b), -2, np.int64),
        ]
    )
    return _sweep(positions, deltas, np.array(keep))


def intersect(a: Spans, b: Spans) -> Spans:
    return combine(a, b, (False, False, False, True))


def union(a: Spans, b: Spans) -> Spans:
    return combine(a, b, (False, True, True, True))


def subtract(a: Spans, b: Spans) -> Spans:
    return combine(a, b, (False, True, False, False))


def touching(units: Spans, found: Spans) -> npt.NDArray[np.bool_]:
    """Which of ``units`` share at least one character with ``found``."""
    if len(found) == 0:
        return np.zeros(len(units), bool)
    index = np.searchsorted(found.ends, units.starts, side="right")
    inside = index < len(found)
    result = np.zeros(len(units), bool)
    result[inside] = found.starts[index[inside]] < units.ends[inside]
    return result

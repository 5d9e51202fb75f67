# SPDX-License-Identifier: MIT
"""Unions of half-open ``[start, end)`` spans: the one place their overlaps are merged.

Coverage on the Assignments page, coded characters in the theme matrices and the
character-level agreement all ask how many characters a set of codings covers, counting a
character once however many codings cover it. They all ask ``merge_overlaps`` (many groups
at once, vectorized) or ``covered_length`` (one list of spans). Pure: numpy only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def merge_overlaps(
    group: np.ndarray, start: np.ndarray, end: np.ndarray, presorted: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of spans within each group: spans that share a character become one.

    Spans that only touch (``end == next start``) stay separate. Returns the merged
    spans sorted by group, then start; ``presorted`` says the input already is.
    """
    if group.size == 0:
        return group.copy(), start.copy(), end.copy()
    stride = int(end.max()) + 1
    if presorted:
        g, s, e = group, start, end
    else:
        order = np.lexsort((start, group))
        g, s, e = group[order], start[order], end[order]
    running_end = np.maximum.accumulate(g * stride + e)
    new_run = np.ones(g.size, dtype=bool)
    new_run[1:] = (g[1:] * stride + s[1:]) >= running_end[:-1]
    first = np.flatnonzero(new_run)
    last = np.append(first[1:] - 1, g.size - 1)
    return g[first], s[first], running_end[last] - g[first] * stride


def covered_lengths(
    group: np.ndarray, start: np.ndarray, end: np.ndarray, n_groups: int
) -> np.ndarray:
    """Characters covered by the union of each group's spans: ``n_groups`` int64 counts.

    ``group`` numbers each span's group from 0 to ``n_groups - 1``.
    """
    g, s, e = merge_overlaps(
        np.asarray(group, dtype=np.int64),
        np.asarray(start, dtype=np.int64),
        np.asarray(end, dtype=np.int64),
    )
    return np.bincount(g, weights=e - s, minlength=n_groups).astype(np.int64)


def covered_length(spans: Iterable[tuple[int, int]]) -> int:
    """How many characters the union of ``[start, end)`` spans covers (overlaps once)."""
    pairs = np.array(list(spans), dtype=np.int64).reshape(-1, 2)
    if pairs.size == 0:
        return 0
    zeros = np.zeros(len(pairs), dtype=np.int64)
    return int(covered_lengths(zeros, pairs[:, 0], pairs[:, 1], 1)[0])

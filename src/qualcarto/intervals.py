# SPDX-License-Identifier: MIT
"""Unions of half-open ``[start, end)`` spans: the one place their overlaps are merged.

Coverage on the Assignments page, coded characters in the theme matrices and the
character-level agreement all ask how many characters a set of codings covers, counting a
character once however many codings cover it. They all ask ``merge_overlaps`` (many groups
at once, vectorized) or ``covered_length`` (one list of spans). The disagreement anatomy
asks ``overlapping_pairs`` which spans of two coders share characters. Pure: numpy only.
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


def overlapping_pairs(
    group_a: np.ndarray,
    start_a: np.ndarray,
    end_a: np.ndarray,
    group_b: np.ndarray,
    start_b: np.ndarray,
    end_b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of an ``a`` span and a ``b`` span of one group sharing a character.

    Returns the indices into ``a`` and ``b`` and the characters shared, sorted by the ``a``
    index, then the ``b`` index. Only candidates are formed: a ``b`` span overlapping
    ``[s, e)`` starts in ``[s - longest + 1, e)``, found by binary search on (group,
    start), so the work grows with the pairs found, not with every pair in a group.
    """
    order = np.lexsort((start_b, group_b))
    stride = int(max(end_a.max(initial=0), end_b.max(initial=0))) + 1
    longest = int((end_b - start_b).max(initial=1))
    keys = group_b[order] * stride + start_b[order]
    low = np.searchsorted(keys, group_a * stride + np.maximum(start_a - longest + 1, 0))
    counts = np.maximum(np.searchsorted(keys, group_a * stride + end_a) - low, 0)
    ia = np.repeat(np.arange(group_a.size), counts)
    ib = order[
        np.arange(int(counts.sum()))
        - np.repeat(np.cumsum(counts) - counts, counts)
        + np.repeat(low, counts)
    ]
    shared = np.minimum(end_a[ia], end_b[ib]) - np.maximum(start_a[ia], start_b[ib])
    keep = shared > 0
    ia, ib, shared = ia[keep], ib[keep], shared[keep]
    by_pair = np.lexsort((ib, ia))
    return ia[by_pair], ib[by_pair], shared[by_pair]

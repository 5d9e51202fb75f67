# SPDX-License-Identifier: MIT
"""Sweeps over sorted span boundaries: who covered which characters, which segments match.

Nothing here allocates per character. Each span is keyed by ``group * stride + offset``
(group = transcript x code), so one sort orders all spans of all groups and a running
sum over the boundaries gives the coverage of every stretch of text. Cost grows with
the number of codings, not with the length of the transcripts.

The results are per (transcript, code) *cells*, additive over transcripts, from which
:mod:`.span_agreement` builds its tables and :mod:`.bootstrap` its resamples.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from qualcarto.agreement.codings import SpanData
from qualcarto.agreement.ratings import AgreementInputError
from qualcarto.intervals import merge_overlaps

MAX_OVERLAP_DENOMINATOR = 10_000


@dataclass(frozen=True)
class Coverage:
    """Per (transcript, code): ``depth[t, c, j]`` characters covered by exactly j coders
    (j = 0..m) and ``covered[t, c, i]`` characters covered by coder i."""

    depth: np.ndarray
    covered: np.ndarray


def char_coverage(data: SpanData) -> Coverage:
    """Sweep the union of each coder's spans; count characters by how many coders cover them."""
    n_t, n_c, m = len(data.transcripts), len(data.codes), len(data.coders)
    n_groups, stride = data.n_groups, data.stride
    cell, s, e = merge_overlaps(data.group * m + data.coder, data.start, data.end, presorted=True)
    covered = np.bincount(cell, weights=e - s, minlength=n_groups * m)

    # Boundary events as packed keys (group * stride + offset) * 2 + is_start, sorted: ends
    # sort before starts at the same offset, so touching spans never count a coder twice.
    # Arithmetic is in place because fresh large temporaries cost page faults.
    n = cell.size
    events = np.concatenate([cell, cell])
    events //= m
    events *= stride
    events[:n] += e
    events[n:] += s
    events *= 2
    events[n:] += 1
    events.sort()
    depth_after = events & 1
    depth_after *= 2
    depth_after -= 1
    np.cumsum(depth_after, out=depth_after)
    events >>= 1
    length = np.diff(events)
    inside = depth_after[:-1] > 0
    index = events[:-1][inside]
    index //= stride
    index *= m + 1
    index += depth_after[:-1][inside]
    depth = np.bincount(index, weights=length[inside], minlength=n_groups * (m + 1))
    depth = depth.reshape(n_t, n_c, m + 1)
    depth[:, :, 0] = data.lengths[:, None] - depth[:, :, 1:].sum(axis=2)
    return Coverage(
        depth=depth.astype(np.int64), covered=covered.reshape(n_t, n_c, m).astype(np.int64)
    )


def document_presence(data: SpanData) -> Coverage:
    """Per (transcript, code): whether each coder used the code there, as a Coverage of
    one unit per transcript (``depth[t, c, j]`` is 1 for the j coders who did)."""
    n_t, n_c, m = len(data.transcripts), len(data.codes), len(data.coders)
    used = np.bincount(data.group * m + data.coder, minlength=data.n_groups * m) > 0
    covered = used.reshape(n_t, n_c, m).astype(np.int64)
    n_using = covered.sum(axis=2)
    depth = np.zeros((n_t, n_c, m + 1), dtype=np.int64)
    np.put_along_axis(depth, n_using[:, :, None], 1, axis=2)
    return Coverage(depth=depth, covered=covered)


def overlap_fraction(overlap: float) -> Fraction:
    """The overlap threshold as an exact fraction (0.9 -> 9/10), checked to lie in (0, 1]."""
    if isinstance(overlap, bool) or not isinstance(overlap, int | float | Fraction):
        raise AgreementInputError(f"overlap must be a number in (0, 1], got {overlap!r}")
    if not 0 < overlap <= 1:
        raise AgreementInputError(f"overlap must be in (0, 1], got {overlap}")
    return Fraction(overlap).limit_denominator(MAX_OVERLAP_DENOMINATOR)


def segment_matches(data: SpanData, overlap: float = 0.9) -> np.ndarray:
    """For each span of ``data``, the number of *other* coders with a matching span.

    Spans s and t of two coders match when they carry the same code in the same
    transcript and ``|s ∩ t| >= overlap * max(|s|, |t|)`` (exact integer arithmetic on
    ``overlap`` as a fraction p/q). Candidates come from a window on sorted starts that
    any match must fall in, so the work grows with the number of spans.
    """
    ratio = overlap_fraction(overlap)
    p, q = ratio.numerator, ratio.denominator
    m = len(data.coders)
    stride = data.stride
    group = data.group
    length = data.end - data.start
    n_matching = np.zeros(data.start.size, dtype=np.int64)
    rows_of = [np.flatnonzero(data.coder == i) for i in range(m)]
    for i in range(m):
        for j in range(i + 1, m):
            a, b = rows_of[i], rows_of[j]
            if a.size == 0 or b.size == 0:
                continue
            b = b[np.argsort(group[b] * stride + data.start[b], kind="stable")]
            key_b = group[b] * stride + data.start[b]
            len_a = length[a]
            # A match t of s starts within [s.start - (1-r)/r |s|, s.start + (1-r)|s|].
            before = ((q - p) * len_a + p - 1) // p
            after = ((q - p) * len_a + q - 1) // q
            low = np.maximum(data.start[a] - before, 0)
            high = np.minimum(data.start[a] + after, stride - 1)
            lo = np.searchsorted(key_b, group[a] * stride + low, side="left")
            hi = np.searchsorted(key_b, group[a] * stride + high, side="right")
            n_candidates = hi - lo
            total = int(n_candidates.sum())
            if total == 0:
                continue
            pair_a = np.repeat(np.arange(a.size), n_candidates)
            first = np.repeat(lo - (np.cumsum(n_candidates) - n_candidates), n_candidates)
            pair_b = first + np.arange(total)
            ra, rb = a[pair_a], b[pair_b]
            shared = np.minimum(data.end[ra], data.end[rb])
            shared -= np.maximum(data.start[ra], data.start[rb])
            match = shared * q >= p * np.maximum(length[ra], length[rb])
            n_matching[a] += np.bincount(pair_a[match], minlength=a.size) > 0
            n_matching[b] += np.bincount(pair_b[match], minlength=b.size) > 0
    return n_matching


@dataclass(frozen=True)
class SegmentCounts:
    """Per (transcript, code, coder): ``segments`` coded and ``matched`` evaluations, i.e.
    the number of (segment, other coder) pairs in which the other coder has a match."""

    segments: np.ndarray
    matched: np.ndarray


def segment_counts(data: SpanData, overlap: float = 0.9) -> SegmentCounts:
    """Aggregate :func:`segment_matches` per transcript, code and coder."""
    n_t, n_c, m = len(data.transcripts), len(data.codes), len(data.coders)
    n_matching = segment_matches(data, overlap)
    cell = data.group * m + data.coder
    size = data.n_groups * m
    segments = np.bincount(cell, minlength=size).reshape(n_t, n_c, m)
    matched = np.bincount(cell, weights=n_matching, minlength=size).reshape(n_t, n_c, m)
    return SegmentCounts(segments=segments.astype(np.int64), matched=matched.astype(np.int64))

# SPDX-License-Identifier: MIT
"""Units interviews need: the speaker turn and the question-answer pair (Campbell et al. 2013).

Pure. A transcript is cut into units - its speaker turns, or question-answer pairs (an
interviewer's turn with the turns that answer it, up to the next interviewer turn) - and
each coding is counted in every unit it overlaps. Agreement per unit is then the
document-unit agreement with the units as documents: for each code, did each coder put
it somewhere in the turn (or pair)? Uncoded units count as agreement on absence, as
uncoded transcripts do at the document unit.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcarto.agreement.ratings import AgreementInputError

Span = tuple[int, int]


def qa_pairs(turns: Sequence[tuple[int, int, bool]]) -> list[Span]:
    """Question-answer pairs from ``(start, end, by_interviewer)`` turns in text order.

    Each interviewer turn opens a pair that runs to the start of the next interviewer
    turn (so it holds the answers); turns before the first interviewer turn form one
    unit of their own. Returns ``(start, end)`` spans.
    """
    units: list[Span] = []
    for start, end, asks in turns:
        if asks or not units:
            units.append((start, end))
        else:
            units[-1] = (units[-1][0], end)
    return units


def by_units(
    codings: pd.DataFrame, units: Mapping[Hashable, Sequence[Span]]
) -> tuple[pd.DataFrame, dict[Hashable, int]]:
    """``codings`` re-keyed to units: one row per (coding, unit it overlaps), clipped to it.

    ``units``: per transcript id, its units as ``(start, end)`` spans in text order, not
    overlapping. The new ``transcript_id`` is ``(transcript_id, k)`` for the k-th unit;
    returns the rows and every unit's length (units nobody coded included). Codings that
    overlap no unit are dropped.
    """
    lengths: dict[Hashable, int] = {}
    parts = []
    for tid, spans in units.items():
        if not len(spans):
            continue
        starts = np.array([s for s, _ in spans], dtype=np.int64)
        ends = np.array([e for _, e in spans], dtype=np.int64)
        if (ends < starts).any() or (starts[1:] < ends[:-1]).any():
            raise AgreementInputError(f"units of transcript {tid!r} overlap or run backwards")
        for i, (s, e) in enumerate(spans):
            lengths[(tid, i)] = int(e - s)
        rows = codings[codings["transcript_id"] == tid]
        if rows.empty:
            continue
        first = np.searchsorted(ends, rows["start"].to_numpy(), side="right")
        last = np.searchsorted(starts, rows["end"].to_numpy(), side="left") - 1
        count = np.maximum(last - first + 1, 0)
        expanded = rows.loc[rows.index.repeat(count)].copy()
        k = np.repeat(first, count) + (
            np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        )
        expanded["start"] = np.maximum(expanded["start"].to_numpy(), starts[k]) - starts[k]
        expanded["end"] = np.minimum(expanded["end"].to_numpy(), ends[k]) - starts[k]
        keep = expanded["end"].to_numpy() > expanded["start"].to_numpy()
        expanded["transcript_id"] = pd.Series(
            [(tid, int(i)) for i in k], index=expanded.index, dtype=object
        )
        parts.append(expanded[keep])
    out = pd.concat(parts, ignore_index=True) if parts else codings.iloc[:0].copy()
    return out, lengths


__all__ = ["by_units", "qa_pairs"]

# SPDX-License-Identifier: MIT
"""Unions of spans: merged spans and covered lengths equal a character-by-character union."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.intervals import (
    covered_length,
    covered_lengths,
    merge_overlaps,
    overlapping_pairs,
)
from qualcarto.reports import code_by_transcript

GROUPED_SPANS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(1, 10)), min_size=0, max_size=25
)


def arrays(spans: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group, start, length) triples as the group, start and end arrays."""
    group = np.array([g for g, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    return group, start, start + np.array([n for _, _, n in spans], dtype=np.int64)


@settings(max_examples=60, deadline=None)
@given(GROUPED_SPANS)
def test_merge_overlaps_equals_boolean_union(spans: list[tuple[int, int, int]]) -> None:
    group, start, end = arrays(spans)
    merged = merge_overlaps(group, start, end)
    for g in range(4):
        expected = np.zeros(41, dtype=bool)
        got = np.zeros(41, dtype=bool)
        for s, e in zip(start[group == g], end[group == g], strict=True):
            expected[s:e] = True
        mine = merged[0] == g
        for s, e in zip(merged[1][mine], merged[2][mine], strict=True):
            assert not got[s:e].any()  # merged spans are disjoint
            got[s:e] = True
        assert np.array_equal(got, expected)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=12))
def test_covered_length_equals_the_size_of_the_union(spans: list[tuple[int, int]]) -> None:
    pairs = [(start, start + width) for start, width in spans]
    covered = set().union(*(range(s, e) for s, e in pairs)) if pairs else set()
    assert covered_length(pairs) == len(covered)


@settings(max_examples=60, deadline=None)
@given(GROUPED_SPANS)
def test_covered_lengths_count_each_groups_union(spans: list[tuple[int, int, int]]) -> None:
    group, start, end = arrays(spans)
    expected = [
        len(
            {
                i
                for s, e in zip(start[group == g], end[group == g], strict=True)
                for i in range(s, e)
            }
        )
        for g in range(5)
    ]
    assert covered_lengths(group, start, end, 5).tolist() == expected


def test_touching_and_nested_spans_count_once() -> None:
    assert covered_length([(0, 5), (5, 8), (1, 3), (20, 21)]) == 9
    assert covered_length([]) == 0


def test_coded_characters_are_the_covered_length_of_each_cell() -> None:
    """The theme matrix's coded characters are ``covered_length`` of each cell."""
    spans = [(0, 10), (5, 20), (30, 31)]
    codings = pd.DataFrame(
        {
            "code_id": ["a"] * 3 + ["b"],
            "transcript": ["T1"] * 3 + ["T1"],
            "coder": ["x", "y", "x", "x"],
            "start": [s for s, _ in spans] + [2],
            "end": [e for _, e in spans] + [4],
        }
    )
    codes = pd.DataFrame({"code_id": ["a", "b"], "name": ["A", "B"], "path": ["A", "B"]})
    transcripts = pd.DataFrame({"transcript": ["T1"], "participant_id": ["P1"]})
    table = code_by_transcript(codings, codes, transcripts, "characters")
    assert table.at["a", "T1"] == covered_length(spans) == 21
    assert table.at["b", "T1"] == 2


SPANS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(1, 15)), max_size=25)


def _arrays(spans: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    group, start, length = (np.array(c, dtype=np.int64) for c in zip(*spans, strict=True))
    return group, start, start + length


@settings(max_examples=200, deadline=None)
@given(SPANS.filter(bool), SPANS.filter(bool))
def test_overlapping_pairs_are_every_pair_of_a_group_sharing_a_character(
    a: list[tuple[int, int, int]], b: list[tuple[int, int, int]]
) -> None:
    """The definition, pair by pair: same group, and min(end) - max(start) > 0."""
    ga, sa, ea = _arrays(a)
    gb, sb, eb = _arrays(b)
    expected = [
        (i, j, min(ea[i], eb[j]) - max(sa[i], sb[j]))
        for i in range(len(a))
        for j in range(len(b))
        if ga[i] == gb[j] and min(ea[i], eb[j]) > max(sa[i], sb[j])
    ]
    ia, ib, shared = overlapping_pairs(ga, sa, ea, gb, sb, eb)
    assert list(zip(ia.tolist(), ib.tolist(), shared.tolist(), strict=True)) == expected


def test_overlapping_pairs_of_nothing_is_nothing() -> None:
    empty = np.array([], dtype=np.int64)
    one = (
        np.array([0], dtype=np.int64),
        np.array([2], dtype=np.int64),
        np.array([5], dtype=np.int64),
    )
    for arrays in ((empty, empty, empty, *one), (*one, empty, empty, empty)):
        assert all(part.size == 0 for part in overlapping_pairs(*arrays))

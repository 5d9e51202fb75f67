# SPDX-License-Identifier: MIT
"""Code queries, specified on a hand-built study where every answer is worked out here.

Transcript T1 (100 characters, participant P-co, a Company) has turns [0,40) [40,70)
[70,100) and sentences [0,20) [22,40) [44,70) [74,100). Transcript T2 (80 characters,
P-uni, a University) has one turn [0,80) and sentences [0,40) [41,80).

ana coded T1: a [5,15), a [30,50), b [10,35), c [80,90); and T2: a [0,10), b [60,70).
ben coded T1: b [5,15).  Codes a and c are ``stage: early``, b is ``stage: late``;
all three are children of ``themes``.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.query import QueryError, QuerySyntaxError, StudyFrames, parse_query, run_query

CODES = pd.DataFrame(
    {
        "code_id": ["themes", "a", "b", "c"],
        "parent": [None, "themes", "themes", "themes"],
        "name": ["Themes", "A", "B", "C"],
        "stage": [None, "early", "late", "early"],
    }
)
TRANSCRIPTS = pd.DataFrame(
    {
        "transcript_id": [1, 2],
        "transcript": ["T1", "T2"],
        "length": [100, 80],
        "participant_id": ["P-co", "P-uni"],
        "organization_type": ["Company", "University"],
    }
)
TURNS = pd.DataFrame(
    {"transcript_id": [1, 1, 1, 2], "start": [0, 40, 70, 0], "end": [40, 70, 100, 80]}
)
SENTENCES = pd.DataFrame(
    {
        "transcript_id": [1, 1, 1, 1, 2, 2],
        "start": [0, 22, 44, 74, 0, 41],
        "end": [20, 40, 70, 100, 40, 80],
    }
)
CODINGS = pd.DataFrame(
    [
        ("ana", 1, "T1", "P-co", "a", 5, 15, 1),
        ("ana", 1, "T1", "P-co", "a", 30, 50, 1),
        ("ana", 1, "T1", "P-co", "b", 10, 35, 1),
        ("ana", 1, "T1", "P-co", "c", 80, 90, 2),
        ("ana", 2, "T2", "P-uni", "a", 0, 10, 1),
        ("ana", 2, "T2", "P-uni", "b", 60, 70, 1),
        ("ben", 1, "T1", "P-co", "b", 5, 15, 1),
    ],
    columns=[
        "coder",
        "transcript_id",
        "transcript",
        "participant_id",
        "code_id",
        "start",
        "end",
        "codebook_version",
    ],
)
FRAMES = StudyFrames(CODINGS, CODES, TRANSCRIPTS, TURNS, SENTENCES)


def hits(text: str, frames: StudyFrames = FRAMES) -> list[tuple[str, str, int, int]]:
    found = run_query(parse_query(text), frames)
    return [(r.coder, r.transcript, r.start, r.end) for r in found.itertuples()]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # overlap: characters both codes cover
        ("a AND b", [("ana", "T1", 10, 15), ("ana", "T1", 30, 35)]),
        (
            "a OR b",
            [
                ("ana", "T1", 5, 50),
                ("ana", "T2", 0, 10),
                ("ana", "T2", 60, 70),
                ("ben", "T1", 5, 15),
            ],
        ),
        ("a AND NOT b", [("ana", "T1", 5, 10), ("ana", "T1", 35, 50), ("ana", "T2", 0, 10)]),
        # the complement is taken within the transcripts a coder has coded
        (
            "NOT c",
            [
                ("ana", "T1", 0, 80),
                ("ana", "T1", 90, 100),
                ("ana", "T2", 0, 80),
                ("ben", "T1", 0, 100),
            ],
        ),
        # whole units the codes touch
        ("a AND b WITHIN sentence", [("ana", "T1", 0, 20), ("ana", "T1", 22, 40)]),
        ("a AND b WITHIN turn", [("ana", "T1", 0, 40), ("ana", "T2", 0, 80)]),
        ("a AND b WITHIN transcript", [("ana", "T1", 0, 100), ("ana", "T2", 0, 80)]),
        ("c AND NOT b WITHIN sentence", [("ana", "T1", 74, 100)]),
        # distances: [30,50) lies 30 characters and one turn before c [80,90)
        ("a NEAR/20 c", []),
        ("a NEAR/30 c", [("ana", "T1", 30, 50), ("ana", "T1", 80, 90)]),
        ("a NEAR/1turns c", [("ana", "T1", 30, 50), ("ana", "T1", 80, 90)]),
        ("a NEAR/0turns c", []),
        ("b BEFORE c", [("ana", "T1", 10, 35), ("ana", "T1", 80, 90)]),
        ("c BEFORE b", []),
        ("b BEFORE/44 c", []),
        ("b BEFORE/45 c", [("ana", "T1", 10, 35), ("ana", "T1", 80, 90)]),
        # codes by facet, glob and parent (a parent stands for its descendants)
        ("stage:early AND b", [("ana", "T1", 10, 15), ("ana", "T1", 30, 35)]),
        ("stage:late", [("ana", "T1", 10, 35), ("ana", "T2", 60, 70), ("ben", "T1", 5, 15)]),
        (
            "[ac] AND themes",
            [
                ("ana", "T1", 5, 15),
                ("ana", "T1", 30, 50),
                ("ana", "T1", 80, 90),
                ("ana", "T2", 0, 10),
            ],
        ),
        # precedence: NOT before NEAR before AND before OR; parentheses override
        ("c OR a AND b", [("ana", "T1", 10, 15), ("ana", "T1", 30, 35), ("ana", "T1", 80, 90)]),
        ("(c OR a) AND b", [("ana", "T1", 10, 15), ("ana", "T1", 30, 35)]),
        # filters on participant attributes, coders and codebook versions
        ('b WHERE organization_type = "Company"', [("ana", "T1", 10, 35), ("ben", "T1", 5, 15)]),
        ("b WHERE coder = ben", [("ben", "T1", 5, 15)]),
        ("a OR c WHERE version != 1", [("ana", "T1", 80, 90)]),
        (
            "b WHERE coder IN (ben, x) OR organization_type = University",
            [("ana", "T2", 60, 70), ("ben", "T1", 5, 15)],
        ),
        ("b WHERE NOT (coder = ana)", [("ben", "T1", 5, 15)]),
    ],
)
def test_query_answers_on_the_hand_built_study(
    query: str, expected: list[tuple[str, str, int, int]]
) -> None:
    assert hits(query) == expected


def test_each_hit_lists_the_query_codes_coded_inside_it() -> None:
    found = run_query(parse_query("a OR b"), FRAMES)
    assert list(found["codes"]) == ["a b", "a", "b", "b"]
    assert list(found["participant_id"]) == ["P-co", "P-uni", "P-uni", "P-co"]


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("a AND", 5, "a code, a glob, a facet:value or '('"),
        ("a b", 2, "AND, OR, NEAR, BEFORE, WITHIN, WHERE or the end of the query"),
        ("(a OR b", 7, "')' to close the '(' at position 1"),
        ("a WITHIN paragraph", 9, "a unit (overlap, sentence, turn, transcript)"),
        ("a WHERE org", 11, "'=', '!=' or IN after 'org'"),
        ('a WHERE org = "Co', 14, "a closing quote"),
        ("a WHERE org IN (x y)", 18, "',' or ')' to close the list of values"),
        ("stage: AND a", 6, "a value after 'stage:'"),
        ("", 0, "a code, a glob, a facet:value or '('"),
    ],
)
def test_a_bad_query_names_the_position_and_what_was_expected(
    query: str, position: int, expected: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert (caught.value.position, caught.value.expected) == (position, expected)
    assert str(caught.value).startswith(f"query position {position + 1}: expected {expected}")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a AND bb", "query position 7: no code 'bb'; closest: b"),
        ("z* OR a", "query position 1: no code matches 'z*'"),
        ("stage:middle", "query position 1: no code has stage:middle (values: early, late)"),
        ("colour:red", "query position 1: no facet 'colour' in the codebook"),
        ("a WHERE size = big", "query position 9: no field 'size'"),
    ],
)
def test_a_query_naming_what_the_study_lacks_is_refused(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(parse_query(query), FRAMES)
    assert str(caught.value).startswith(message)


LENGTH = 60
spans = st.lists(
    st.tuples(st.integers(0, LENGTH - 1), st.integers(1, 12)).map(
        lambda p: (p[0], min(LENGTH, p[0] + p[1]))
    ),
    max_size=8,
)


def _characters(pieces: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in pieces for i in range(start, end)}


@settings(max_examples=100, deadline=None)
@given(a=spans, b=spans)
def test_and_is_the_intersection_of_the_characters_each_code_covers(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    rows = [("ana", 1, "T1", "P-co", "a", s, e, 1) for s, e in a]
    rows += [("ana", 1, "T1", "P-co", "b", s, e, 1) for s, e in b]
    rows.append(("ana", 1, "T1", "P-co", "c", 0, 1, 1))  # so T1 is always in the study
    codings = pd.DataFrame(rows, columns=CODINGS.columns)
    transcripts = TRANSCRIPTS.assign(length=[LENGTH, 80])
    frames = StudyFrames(codings, CODES, transcripts, TURNS, SENTENCES)
    for query, expected in [
        ("a AND b", _characters(a) & _characters(b)),
        ("a OR b", _characters(a) | _characters(b)),
        ("a AND NOT b", _characters(a) - _characters(b)),
    ]:
        found = [(s, e) for _, _, s, e in hits(query, frames)]
        assert _characters(found) == expected
        # hits are maximal: no two touch or overlap
        assert all(e1 < s2 for (_, e1), (s2, _) in pairwise(found))

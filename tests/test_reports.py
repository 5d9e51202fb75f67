# SPDX-License-Identifier: MIT
"""Theme matrices, excerpts, the tidy table and the co-occurrence network, on hand-made frames."""

from __future__ import annotations

from datetime import UTC, datetime

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcarto.reports import (
    code_by_attribute,
    code_by_transcript,
    cooccurrence,
    cooccurrence_graph,
    excerpts,
    facet_matrix,
    tidy_codings,
)

CODES = pd.DataFrame(
    {
        "code_id": ["themes", "access", "docs", "money"],
        "name": ["Themes", "Access to compute", "Shared documentation", "Funding"],
        "parent": [None, "themes", "themes", "themes"],
        "path": ["Themes", "Themes > Access", "Themes > Docs", "Themes > Funding"],
        "status": ["active"] * 4,
        "color": [None, "#0072B2", "#D55E00", None],
        "stage": [None, "early", "late", "early"],
        "polarity": [None, "challenge", "on-ramp", "challenge"],
    }
)
VOCAB = {"stage": ["early", "late"], "polarity": ["on-ramp", "challenge"]}
TRANSCRIPTS = pd.DataFrame(
    {
        "transcript_id": [1, 2, 3],
        "transcript": ["P1", "P2", "P3"],
        "length": [100, 100, 100],
        "participant_id": ["P1", "P2", None],
        "region": ["Europe", "Asia", None],
    }
)
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def coding_rows(*rows: tuple[str, str, str, int, int]) -> pd.DataFrame:
    """Codings as ``(transcript, coder, code_id, start, end)`` in ``codings_frame`` shape."""
    participant = dict(zip(TRANSCRIPTS["transcript"], TRANSCRIPTS["participant_id"], strict=True))
    return pd.DataFrame(
        [
            {
                "coding_id": i,
                "transcript_id": int(t[1:]),
                "transcript": t,
                "participant_id": participant[t],
                "coder": coder,
                "code_id": code,
                "start": start,
                "end": end,
                "text": "x" * (end - start),
                "memo": "",
                "codebook_version": 1,
                "origin": "manual",
                "created_at": WHEN,
            }
            for i, (t, coder, code, start, end) in enumerate(rows, start=1)
        ]
    )


CODINGS = coding_rows(
    ("P1", "ana", "access", 0, 10),
    ("P1", "ana", "access", 5, 20),
    ("P1", "ana", "docs", 15, 30),
    ("P1", "ben", "money", 0, 30),
    ("P2", "ana", "docs", 40, 50),
    ("P3", "ana", "access", 0, 5),
    ("P3", "ana", "gone", 0, 5),
)


def test_code_by_transcript_counts_codings_per_cell_in_codebook_order() -> None:
    table = code_by_transcript(CODINGS, CODES, TRANSCRIPTS)
    assert list(table.index) == list(CODES["code_id"])
    assert list(table.columns) == list(TRANSCRIPTS["transcript"])
    assert table.at["access", "P1"] == 2
    assert table.at["themes", "P2"] == 0
    assert "gone" not in table.index  # a code outside the codebook version is left out
    assert table.to_numpy().sum() == CODINGS["code_id"].isin(CODES["code_id"]).sum()


def test_presence_is_zero_or_one_and_characters_count_overlaps_once() -> None:
    presence = code_by_transcript(CODINGS, CODES, TRANSCRIPTS, "presence")
    assert set(presence.to_numpy().ravel()) == {0, 1}
    characters = code_by_transcript(CODINGS, CODES, TRANSCRIPTS, "characters")
    assert characters.at["access", "P1"] == 20  # [0,10) and [5,20) cover 0..20
    assert characters.at["money", "P1"] == 30


def test_code_by_attribute_counts_participants_not_codings() -> None:
    table = code_by_attribute(CODINGS, CODES, TRANSCRIPTS, "region")
    assert table.at["access", "Europe"] == 1  # two codings, one participant
    assert table.at["access", "(missing)"] == 1  # P3 has no participant
    assert table.at["docs", "Asia"] == 1
    with pytest.raises(KeyError):
        code_by_attribute(CODINGS, CODES, TRANSCRIPTS, "shoe_size")


def test_facet_matrix_keeps_the_vocabulary_order_and_empty_cells() -> None:
    table = facet_matrix(CODINGS, CODES, "polarity", "stage", VOCAB)
    assert list(table.index) == VOCAB["polarity"]
    assert list(table.columns) == VOCAB["stage"]
    assert table.at["challenge", "early"] == 4  # three access codings and one money
    assert table.at["on-ramp", "early"] == 0
    supporting = facet_matrix(CODINGS, CODES, "polarity", "stage", VOCAB, "transcripts")
    assert supporting.at["challenge", "early"] == 2  # P1 and P3


def test_cooccurrence_counts_overlaps_of_one_coder_and_is_symmetric() -> None:
    table = cooccurrence(CODINGS, CODES, "overlap")
    assert (table.to_numpy() == table.to_numpy().T).all()
    assert table.at["access", "docs"] == 1  # ana's [5,20) overlaps her [15,30)
    assert table.at["access", "money"] == 0  # ben's money is another coder's view
    assert table.at["access", "access"] == 3  # the diagonal holds the code's codings
    by_transcript = cooccurrence(CODINGS, CODES, "transcript")
    assert by_transcript.at["access", "money"] == 1
    assert by_transcript.at["docs", "docs"] == 2


def test_touching_spans_do_not_overlap() -> None:
    touching = coding_rows(("P1", "ana", "access", 0, 10), ("P1", "ana", "docs", 10, 20))
    assert cooccurrence(touching, CODES).at["access", "docs"] == 0


def test_graph_nodes_carry_facets_and_counts_and_edges_weights() -> None:
    graph = cooccurrence_graph(CODINGS, CODES, "transcript", facets=["stage", "polarity"])
    assert isinstance(graph, nx.Graph)
    assert set(graph.nodes) == {"access", "docs", "money"}  # 'themes' has no codings
    assert graph.nodes["access"]["stage"] == "early"
    assert graph.nodes["access"]["codings"] == 3
    assert graph.nodes["access"]["transcripts"] == 2
    assert graph.edges["access", "money"]["weight"] == 1


def test_excerpts_follow_codebook_order_and_carry_their_labels() -> None:
    frame = excerpts(CODINGS, CODES)
    assert list(dict.fromkeys(frame["code_id"])) == ["access", "docs", "money"]
    first = frame.iloc[0]
    assert (first["code"], first["path"], first["transcript"]) == (
        "Access to compute",
        "Themes > Access",
        "P1",
    )


def test_tidy_table_has_one_row_per_coding_with_attributes_and_facets() -> None:
    frame = tidy_codings(CODINGS, CODES, TRANSCRIPTS, "test study", ["stage", "polarity"])
    assert len(frame) == CODINGS["code_id"].isin(CODES["code_id"]).sum()
    row = frame.iloc[0]
    assert row["project"] == "test study"
    assert row["region"] == "Europe"
    assert row["stage"] == "early"
    assert row["created_at"] == "2025-01-02T03:04:05Z"


def test_tidy_table_prefixes_a_facet_that_repeats_an_attribute() -> None:
    transcripts = TRANSCRIPTS.assign(stage=["a", "b", "c"])
    frame = tidy_codings(CODINGS, CODES, transcripts, "s", ["stage"])
    assert {"stage", "facet_stage"} <= set(frame.columns)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2", "P3"]),
            st.sampled_from(["ana", "ben"]),
            st.sampled_from(["access", "docs", "money", "gone"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_transcript_cooccurrence_counts_the_transcripts_holding_both_codes(
    rows: list[tuple[str, str, str]],
) -> None:
    codings = coding_rows(*((t, coder, code, 0, 5) for t, coder, code in rows))
    table = cooccurrence(codings, CODES, "transcript")
    held = {t: {code for t2, _, code in rows if t2 == t} for t, _, _ in rows}
    for a in CODES["code_id"]:
        for b in CODES["code_id"]:
            expected = sum(1 for codes in held.values() if a in codes and b in codes)
            assert table.at[a, b] == expected

# SPDX-License-Identifier: MIT
"""Which codes occur together: as a code x code matrix and as a ``networkx.Graph``.

Three scopes, because researchers ask different questions. ``overlap``: how often one
coder put both codes on overlapping passages (the passage is about both themes).
``turn``: in how many speaker turns one coder used both codes (the answer touches
both; needs a ``turn`` column, the turn index of each coding's start). ``transcript``:
in how many transcripts both codes occur (the interview touches both). Overlap and
turn pairs are counted within one coder's codings only: two coders tagging the same
passage differently is a disagreement, not a co-occurrence.

``default_scope`` picks ``overlap`` unless no coder's codings overlap each other (a
study coded in whole sentences, or coders who never double-code a passage), where
the overlap network would be empty; then ``turn``, and it says why.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

Scope = Literal["overlap", "turn", "transcript"]


def _known(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    return codings[codings["code_id"].isin(codes["code_id"])]


def _overlap_pairs(codings: pd.DataFrame) -> Counter[tuple[str, str]]:
    """Count overlapping coding pairs of different codes, sweeping each coder's transcript."""
    pairs: Counter[tuple[str, str]] = Counter()
    frame = codings[["transcript", "coder", "start", "end", "code_id"]].sort_values(
        ["transcript", "coder", "start", "end"], kind="stable"
    )
    active: list[tuple[int, str]] = []
    group: tuple[Any, Any] | None = None
    for transcript, coder, start, end, code in frame.itertuples(index=False, name=None):
        if (transcript, coder) != group:
            group, active = (transcript, coder), []
        active = [(e, c) for e, c in active if e > start]
        for _, other in active:
            if other != code:
                pairs[(other, code) if other < code else (code, other)] += 1
        active.append((end, code))
    return pairs


def _turn_pairs(codings: pd.DataFrame) -> Counter[tuple[str, str]]:
    """Count turns in which one coder used two codes, per pair of codes."""
    if "turn" not in codings.columns:
        raise ValueError("the turn scope needs a 'turn' column (each coding's turn index)")
    pairs: Counter[tuple[str, str]] = Counter()
    groups = codings.groupby(["transcript", "coder", "turn"])["code_id"]
    for codes_here in groups.agg(lambda s: sorted(set(s))):
        pairs.update(combinations(codes_here, 2))
    return pairs


def default_scope(codings: pd.DataFrame) -> tuple[Scope, str]:
    """``overlap`` when some coder's codings overlap, else ``turn``; and the reason."""
    if _overlap_pairs(codings):
        return "overlap", "codes on overlapping passages of one coder"
    return "turn", "no coder's codings overlap each other, so codes in one speaker turn"


def _transcript_counts(codings: pd.DataFrame, ids: list[str]) -> np.ndarray:
    """Transcripts holding both codes, for every pair at once: ``P.T @ P`` of the 0/1
    transcripts x codes presence matrix ``P`` (its diagonal: each code's transcripts)."""
    transcript, _ = pd.factorize(codings["transcript"])
    code = pd.Index(ids).get_indexer(pd.Index(codings["code_id"]))
    presence = np.zeros((transcript.max(initial=-1) + 1, len(ids)), dtype=np.int64)
    presence[transcript, code] = 1
    return presence.T @ presence


def cooccurrence(
    codings: pd.DataFrame, codes: pd.DataFrame, scope: Scope = "overlap"
) -> pd.DataFrame:
    """Code x code counts, symmetric; the diagonal holds each code's own total.

    The diagonal is the number of codings (``overlap``), of (coder, turn) pairs
    (``turn``) or of transcripts (``transcript``) of the code, so each cell can be read
    against it.
    """
    known = _known(codings, codes)
    ids = list(codes["code_id"])
    position = {code: i for i, code in enumerate(ids)}
    if scope == "transcript":
        table = pd.DataFrame(_transcript_counts(known, ids).astype(int), index=ids, columns=ids)
        table.index.name = table.columns.name = "code_id"
        return table
    counts = np.zeros((len(ids), len(ids)), dtype=int)
    counters = {"overlap": _overlap_pairs, "turn": _turn_pairs}
    pairs = counters[scope](known)
    for (a, b), n in pairs.items():
        counts[position[a], position[b]] = counts[position[b], position[a]] = n
    if scope == "overlap":
        own = known.groupby("code_id").size()
    else:
        own = (
            known.groupby(["code_id", "transcript", "coder", "turn"])
            .size()
            .groupby("code_id")
            .size()
        )
    for code, n in own.items():
        counts[position[str(code)], position[str(code)]] = int(n)
    table = pd.DataFrame(counts, index=ids, columns=ids)
    table.index.name = "code_id"
    table.columns.name = "code_id"
    return table


def _text(value: object) -> str:
    """GraphML and GEXF want typed, non-null attributes: absent facets become ''."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def cooccurrence_graph(
    codings: pd.DataFrame,
    codes: pd.DataFrame,
    scope: Scope = "overlap",
    facets: list[str] | None = None,
) -> nx.Graph:
    """The co-occurrence network: a node per code that has codings, an edge per pair.

    Nodes carry ``label`` (the code name), ``path``, ``color``, ``codings``,
    ``transcripts`` and one attribute per facet; edges carry ``weight``, the count
    ``cooccurrence`` puts in their cell. Codes without codings are left out so the
    network shows what the data holds.
    """
    known = _known(codings, codes)
    facet_names = facets if facets is not None else []
    table = cooccurrence(known, codes, scope)
    n_codings = known.groupby("code_id").size()
    n_transcripts = known.groupby("code_id")["transcript"].nunique()
    graph = nx.Graph(scope=scope)
    for row in codes.itertuples(index=False):
        code = str(row.code_id)
        if code not in n_codings.index:
            continue
        attributes: dict[str, Any] = {
            "label": _text(row.name),
            "path": _text(row.path),
            "color": _text(row.color),
            "codings": int(n_codings[code]),
            "transcripts": int(n_transcripts[code]),
        }
        for facet in facet_names:
            attributes[facet] = _text(getattr(row, facet, None))
        graph.add_node(code, **attributes)
    nodes = list(graph.nodes)
    weights = table.loc[nodes, nodes].to_numpy()
    for i, a in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            if weights[i, j]:
                graph.add_edge(a, nodes[j], weight=int(weights[i, j]))
    return graph

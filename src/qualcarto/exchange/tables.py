# SPDX-License-Identifier: MIT
"""The tidy csv and the co-occurrence network files (GraphML, GEXF for Gephi).

Both are written by their libraries (pandas, networkx) from frames and graphs that
``qualcarto.reports`` builds; the GEXF file then gets the graph's metadata in its
``meta`` element, which networkx leaves out.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import Literal

import networkx as nx
import pandas as pd
from lxml import etree

from qualcarto import __version__
from qualcarto.exchange.csv_safe import to_csv
from qualcarto.exchange.data import StudyData, codings_with_memos
from qualcarto.reports import cooccurrence_graph, tidy_codings
from qualcarto.reports.cooccurrence import Scope, default_scope

GraphFormat = Literal["graphml", "gexf"]


def tidy_frame(data: StudyData) -> pd.DataFrame:
    """The tidy table of ``data``: one row per coding, labels, attributes and facets beside it.

    Its ``memo`` column holds the coder's note and the notebook memos about the coding.
    """
    return tidy_codings(
        codings_with_memos(data),
        data.codes,
        data.transcripts,
        data.project,
        data.facets,
        data.groups,
    )


def write_tidy_csv(data: StudyData, path: Path, *, raw: bool = False) -> int:
    """Write the tidy table as UTF-8 csv (no index); returns the number of rows.

    Quotes keep their newlines inside quoted fields, which pandas' ``read_csv`` and
    R's ``read.csv`` both read back as they were. Text that a spreadsheet would run as a
    formula gets a leading apostrophe unless ``raw`` (see ``exchange.csv_safe``).
    """
    frame = tidy_frame(data)
    to_csv(frame, path, raw=raw)
    return len(frame)


def with_turns(data: StudyData) -> pd.DataFrame:
    """The codings with a ``turn`` column: the index of the speaker turn each starts in."""
    codings = data.codings.copy()
    codings["turn"] = [
        bisect.bisect_right(data.turn_starts.get(int(t), [0]), int(start)) - 1
        for t, start in zip(codings["transcript_id"], codings["start"], strict=True)
    ]
    return codings


def study_graph(data: StudyData, scope: Scope | None = None) -> nx.Graph:
    """The co-occurrence network of ``data``, with facets on the nodes.

    Without ``scope``, ``default_scope`` chooses, and the graph's ``scope_reason`` says why.
    """
    codings = with_turns(data)
    reason = f"{scope} chosen"
    if scope is None:
        scope, reason = default_scope(codings)
    graph = cooccurrence_graph(codings, data.codes, scope, facets=data.facets)
    graph.graph["study"] = data.project
    graph.graph["codebook_version"] = data.codebook_version
    graph.graph["scope_reason"] = reason
    return graph


def write_graph(
    data: StudyData, path: Path, fmt: GraphFormat, scope: Scope | None = None
) -> nx.Graph:
    """Write the co-occurrence network as GraphML or GEXF; returns the graph written.

    Both formats carry the same metadata: GraphML as graph ``data`` keys, GEXF as a JSON
    object in ``meta/description`` (and the study as the graph's name).
    """
    graph = study_graph(data, scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, path, encoding="utf-8")
        return graph
    named = graph.copy()
    named.graph["name"] = data.project
    root = etree.fromstring("\n".join(nx.generate_gexf(named)).encode("utf-8"))
    ns = root.nsmap.get(None, "")
    meta = root.find(f"{{{ns}}}meta")
    if meta is None:
        meta = etree.SubElement(root, f"{{{ns}}}meta")
        root.insert(0, meta)
    for child in meta.findall(f"{{{ns}}}creator"):
        child.text = f"qualcarto {__version__}"
    description = etree.SubElement(meta, f"{{{ns}}}description")
    description.text = json.dumps(graph.graph, sort_keys=True, ensure_ascii=False)
    path.write_bytes(
        etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    )
    return graph


def gexf_metadata(path: Path) -> dict[str, object]:
    """The graph metadata ``write_graph`` put in a GEXF file's ``meta/description``."""
    root = etree.parse(str(path)).getroot()
    ns = root.nsmap.get(None, "")
    found = root.find(f"{{{ns}}}meta/{{{ns}}}description")
    return dict(json.loads(found.text or "{}")) if found is not None else {}

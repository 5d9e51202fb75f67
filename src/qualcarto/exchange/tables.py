# SPDX-License-Identifier: MIT
"""The tidy csv and the co-occurrence network files (GraphML, GEXF for Gephi).

Both are written by their libraries (pandas, networkx) from frames and graphs that
``qualcarto.reports`` builds; nothing here formats a file by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import networkx as nx
import pandas as pd

from qualcarto.exchange.csv_safe import to_csv
from qualcarto.exchange.data import StudyData
from qualcarto.reports import cooccurrence_graph, tidy_codings
from qualcarto.reports.cooccurrence import Scope

GraphFormat = Literal["graphml", "gexf"]


def tidy_frame(data: StudyData) -> pd.DataFrame:
    """The tidy table of ``data``: one row per coding, labels, attributes and facets beside it."""
    return tidy_codings(data.codings, data.codes, data.transcripts, data.project, data.facets)


def write_tidy_csv(data: StudyData, path: Path, *, raw: bool = False) -> int:
    """Write the tidy table as UTF-8 csv (no index); returns the number of rows.

    Quotes keep their newlines inside quoted fields, which pandas' ``read_csv`` and
    R's ``read.csv`` both read back as they were. Text that a spreadsheet would run as a
    formula gets a leading apostrophe unless ``raw`` (see ``exchange.csv_safe``).
    """
    frame = tidy_frame(data)
    to_csv(frame, path, raw=raw)
    return len(frame)


def study_graph(data: StudyData, scope: Scope = "overlap") -> nx.Graph:
    """The co-occurrence network of ``data``, with facets on the nodes."""
    graph = cooccurrence_graph(data.codings, data.codes, scope, facets=data.facets)
    graph.graph["study"] = data.project
    graph.graph["codebook_version"] = data.codebook_version
    return graph


def write_graph(
    data: StudyData, path: Path, fmt: GraphFormat, scope: Scope = "overlap"
) -> nx.Graph:
    """Write the co-occurrence network as GraphML or GEXF; returns the graph written."""
    graph = study_graph(data, scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, path, encoding="utf-8")
    else:
        nx.write_gexf(graph, path, encoding="utf-8")
    return graph

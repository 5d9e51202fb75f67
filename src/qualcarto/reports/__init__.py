# SPDX-License-Identifier: MIT
"""Reports: theme matrices, excerpts, the tidy table and the co-occurrence network.

A pure core: pandas frames in (``codings_frame``, ``codebook_frame``,
``transcripts_frame`` shapes), DataFrames and ``networkx`` graphs out. No files, no
database, no UI; ``qualcarto.exchange`` writes the results to xlsx, csv and graph files.
"""

from qualcarto.reports.cooccurrence import cooccurrence, cooccurrence_graph
from qualcarto.reports.matrices import (
    code_by_attribute,
    code_by_group,
    code_by_transcript,
    excerpts,
    facet_matrix,
)
from qualcarto.reports.tidy import TIDY_COLUMNS, tidy_codings

__all__ = [
    "TIDY_COLUMNS",
    "code_by_attribute",
    "code_by_group",
    "code_by_transcript",
    "cooccurrence",
    "cooccurrence_graph",
    "excerpts",
    "facet_matrix",
    "tidy_codings",
]

# SPDX-License-Identifier: MIT
"""Code queries: a small language over codings, parsed once, answered over DataFrames.

Pure core: no database, no UI. ``qualcarto.queries`` loads the frames from the store.
"""

from qualcarto.query.ast import UNITS, Query
from qualcarto.query.evaluate import (
    HIT_COLUMNS,
    QueryError,
    StudyFrames,
    excerpts,
    hit_crosstab,
    run_query,
)
from qualcarto.query.parser import QuerySyntaxError, parse_query

__all__ = [
    "HIT_COLUMNS",
    "UNITS",
    "Query",
    "QueryError",
    "QuerySyntaxError",
    "StudyFrames",
    "excerpts",
    "hit_crosstab",
    "parse_query",
    "run_query",
]

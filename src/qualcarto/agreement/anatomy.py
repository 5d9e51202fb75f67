# SPDX-License-Identifier: MIT
"""Disagreement anatomy: where, how and between which codes coders part ways.

Pure: an :class:`~qualcarto.agreement.tables.AgreementData` in, DataFrames out.
:func:`disagreements` lists each segment another coder did not match, beside that
coder's nearest excerpt.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from qualcarto.agreement.span_agreement import match_segments
from qualcarto.agreement.tables import AgreementData, plain_errors

DISAGREEMENT_COLUMNS = [
    "transcript",
    "code_id",
    "name",
    "coder",
    "start",
    "end",
    "text",
    "other_coder",
    "other_start",
    "other_end",
    "other_text",
    "other_overlap",
]


def disagreements(data: AgreementData, overlap: float = 0.9) -> pd.DataFrame:
    """Each segment another coder did not match, beside that coder's nearest excerpt.

    One row per (segment, other coder without a match), from
    :func:`qualcarto.agreement.match_segments` on each pair of coders: for two coders,
    simply every unmatched segment. ``other_*`` describe the other coder's segment with
    the same code in the same transcript that overlaps it most (``other_overlap``: the
    shared characters as a share of the longer span); empty when the other coder did
    not code any of it. Sorted by transcript, code and offsets.
    """
    texts = (
        data.codings.drop_duplicates(["transcript_id", "coder", "code_id", "start", "end"])
        .set_index(["transcript_id", "coder", "code_id", "start", "end"])["text"]
        .to_dict()
    )
    parts = []
    for a, b in combinations(data.coders, 2):
        with plain_errors():
            found = match_segments(data.codings, data.lengths, (a, b), overlap)
        spans = found[["transcript_id", "coder", "code_id", "start", "end"]]
        unmatched = found.loc[~found["matched"], list(spans.columns)].copy()
        unmatched["other_coder"] = np.where(unmatched["coder"] == a, b, a)
        parts.append(_nearest(unmatched, spans))
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    rows = pd.concat(parts, ignore_index=True)
    key = ["transcript_id", "coder", "code_id", "start", "end"]
    rows["text"] = [texts.get(k) for k in rows[key].itertuples(index=False, name=None)]
    other = ["transcript_id", "other_coder", "code_id", "other_start", "other_end"]
    rows["other_text"] = [
        texts.get(tuple(k)) if pd.notna(k[3]) else None  # type: ignore[arg-type]
        for k in rows[other].itertuples(index=False, name=None)
    ]
    rows["transcript"] = [data.transcript_names[t] for t in rows["transcript_id"]]
    rows["name"] = [data.code_name(c) for c in rows["code_id"]]
    rows = rows.sort_values(["transcript", "code_id", "start", "end", "coder", "other_coder"])
    return rows[DISAGREEMENT_COLUMNS].reset_index(drop=True)


def _nearest(unmatched: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """``unmatched`` with the other coder's most-overlapping same-code segment, if any."""
    candidates = unmatched.reset_index(drop=True).reset_index(names="row")
    others = spans.rename(
        columns={"coder": "other_coder", "start": "other_start", "end": "other_end"}
    )
    pairs = candidates.merge(others, on=["transcript_id", "code_id", "other_coder"])
    shared = np.minimum(pairs["end"], pairs["other_end"]) - np.maximum(
        pairs["start"], pairs["other_start"]
    )
    longer = np.maximum(pairs["end"] - pairs["start"], pairs["other_end"] - pairs["other_start"])
    pairs["other_overlap"] = shared / longer
    pairs = pairs[shared > 0].sort_values(["row", "other_overlap"], ascending=[True, False])
    best = pairs.drop_duplicates("row").set_index("row")
    columns = ["other_start", "other_end", "other_overlap"]
    joined = candidates.join(best[columns], on="row").drop(columns="row")
    for column in ("other_start", "other_end"):
        joined[column] = joined[column].astype("Int64")
    return joined


__all__ = ["DISAGREEMENT_COLUMNS", "disagreements"]

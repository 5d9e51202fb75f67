# SPDX-License-Identifier: MIT
"""Disagreement anatomy: where, how and between which codes two coders part ways.

Pure: an :class:`~qualcarto.agreement.tables.AgreementData` in, DataFrames out.

* :func:`disagreements` lists each segment another coder did not match, beside that
  coder's nearest excerpt;
* :func:`partners` pairs each segment of coder a with the segment of coder b that
  overlaps it - the same code first, then the most shared characters;
* :func:`confusion_matrix` counts those pairs code x code (which codes are swapped for
  which), with ``(none)`` for a segment the other coder left uncoded;
* :func:`boundary_differences` the start and end offsets of same-code partners;
* :func:`coder_tendencies` more, fewer, longer, shorter codings per code;
* :func:`concentration` the codes whose disagreements sit in few transcripts.

Definitions and a worked example: docs/agreement.md, "Disagreement anatomy".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
import pandas as pd

from qualcarto.agreement.span_agreement import match_segments
from qualcarto.agreement.tables import AgreementData, plain_errors
from qualcarto.intervals import overlapping_pairs

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


NONE = "(none)"
SPAN = ["transcript_id", "code_id", "start", "end"]


def _distinct(codings: pd.DataFrame, coder: object) -> pd.DataFrame:
    rows = codings.loc[codings["coder"] == coder, SPAN].drop_duplicates()
    return rows.sort_values(SPAN).reset_index(drop=True)


def partners(codings: pd.DataFrame, a: object, b: object) -> pd.DataFrame:
    """Each distinct segment of coder ``a`` beside its partner among ``b``'s segments.

    Partners share at least one character in the same transcript. First each segment of
    ``a`` takes the segment of ``b`` with the same code that shares the most characters
    (ties: the earlier start). A segment of ``a`` left without one then takes, among
    ``b``'s segments that are nobody's same-code partner, the one sharing the most
    characters - a different code, so a swap. Columns ``transcript_id``, ``code_a``,
    ``start_a``, ``end_a``, ``code_b``, ``start_b``, ``end_b``, ``shared`` (characters);
    ``code_b`` is ``(none)`` when no segment of ``b`` is left for it. Segments of ``b``
    that are nobody's partner follow with ``code_a`` ``(none)``.
    """
    left = _distinct(codings, a).reset_index(names="row")
    right = _distinct(codings, b).reset_index(names="row_b")
    ia, ib, shared = overlapping_pairs(
        *(side[c].to_numpy(np.int64) for side in (left, right) for c in SPAN if c != "code_id")
    )
    pairs = (
        left.iloc[ia]
        .reset_index(drop=True)
        .join(right.iloc[ib].reset_index(drop=True), lsuffix="_a", rsuffix="_b")
    )
    pairs = pairs.assign(shared=shared)
    order = ["row", "shared", "start_b"], [True, False, True]
    same = pairs[pairs["code_id_a"] == pairs["code_id_b"]]
    first = same.sort_values(order[0], ascending=order[1]).drop_duplicates("row")
    rest = pairs[~pairs["row"].isin(first["row"]) & ~pairs["row_b"].isin(first["row_b"])]
    rest = rest[rest["code_id_a"] != rest["code_id_b"]]
    second = rest.sort_values(order[0], ascending=order[1]).drop_duplicates("row")
    best = pd.concat([first, second])
    found = left.rename(columns={"code_id": "code_a", "start": "start_a", "end": "end_a"})
    found = found.merge(
        best[["row", "row_b", "code_id_b", "start_b", "end_b", "shared"]].rename(
            columns={"code_id_b": "code_b"}
        ),
        on="row",
        how="left",
    )
    found["code_b"] = found["code_b"].fillna(NONE)
    found["shared"] = found["shared"].fillna(0).astype(np.int64)
    alone = right[~right["row_b"].isin(best["row_b"])]
    extra = pd.DataFrame(
        {
            "transcript_id": alone["transcript_id"],
            "code_a": NONE,
            "code_b": alone["code_id"],
            "start_b": alone["start"],
            "end_b": alone["end"],
            "shared": 0,
        }
    )
    out = pd.concat([found, extra], ignore_index=True) if len(extra) else found
    for column in ("start_a", "end_a", "start_b", "end_b"):
        out[column] = out[column].astype("Int64")
    columns = ["transcript_id", "code_a", "start_a", "end_a", "code_b", "start_b", "end_b"]
    return out[[*columns, "shared"]].reset_index(drop=True)


def confusion_matrix(
    codings: pd.DataFrame, a: object, b: object, found: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Code x code counts of :func:`partners`: rows coder ``a``'s code, columns ``b``'s.

    The diagonal counts segments both coders gave the same code; an off-diagonal cell
    (X, Y) a segment ``a`` coded X where ``b`` has no X over it but a Y that is no
    other segment's same-code partner (a swap); column ``(none)``: ``a`` coded it and ``b`` coded none of it; row
    ``(none)``: ``b`` coded it and ``a`` none of it. Codes sorted, ``(none)`` last.
    """
    found = partners(codings, a, b) if found is None else found
    codes = sorted((set(found["code_a"]) | set(found["code_b"])) - {NONE})
    axis = [*codes, NONE]
    table = pd.crosstab(found["code_a"], found["code_b"]).reindex(
        index=axis, columns=axis, fill_value=0
    )
    table.index.name, table.columns.name = str(a), str(b)
    return table.astype(np.int64)


def swaps(
    codings: pd.DataFrame, a: object, b: object, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The off-diagonal cells of :func:`confusion_matrix` between two codes, most first.

    Columns ``code_a``, ``code_b``, ``segments``; ``(none)`` rows and columns are left
    out (those are presence disagreements, not swaps).
    """
    table = confusion_matrix(codings, a, b) if table is None else table
    long = pd.DataFrame(
        {
            "code_a": np.repeat(table.index.to_numpy(), len(table.columns)),
            "code_b": np.tile(table.columns.to_numpy(), len(table.index)),
            "segments": table.to_numpy().ravel(),
        }
    )
    keep = (
        (long["code_a"] != long["code_b"])
        & (long["code_a"] != NONE)
        & (long["code_b"] != NONE)
        & (long["segments"] > 0)
    )
    out = long[keep].sort_values(["segments", "code_a", "code_b"], ascending=[False, True, True])
    return out.reset_index(drop=True)


BOUNDARY_COLUMNS = [
    "code_id",
    "pairs",
    "same_boundaries",
    "start_median_abs",
    "end_median_abs",
    "start_mean",
    "end_mean",
]


def boundary_differences(
    codings: pd.DataFrame, a: object, b: object, found: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How the start and end offsets of same-code partners differ, per code and pooled.

    For each pair of :func:`partners` with the same code, ``start_b - start_a`` and
    ``end_b - end_a`` in characters (positive: ``b`` starts or ends later). Per code:
    ``pairs``, ``same_boundaries`` (pairs with both offsets equal), the median absolute
    start and end differences, and the mean signed ones; a last row ``(all)`` pools
    every pair.
    """
    found = partners(codings, a, b) if found is None else found
    same = found[found["code_a"] == found["code_b"]]
    start = (same["start_b"] - same["start_a"]).astype(np.int64).to_numpy()
    end = (same["end_b"] - same["end_a"]).astype(np.int64).to_numpy()
    codes = same["code_a"].to_numpy()
    rows = []
    for code in [*sorted(set(codes)), "(all)"]:
        pick = np.ones(len(codes), bool) if code == "(all)" else codes == code
        s, e = start[pick], end[pick]
        rows.append(
            {
                "code_id": code,
                "pairs": int(pick.sum()),
                "same_boundaries": int(((s == 0) & (e == 0)).sum()),
                "start_median_abs": float(np.median(np.abs(s))) if len(s) else np.nan,
                "end_median_abs": float(np.median(np.abs(e))) if len(e) else np.nan,
                "start_mean": float(s.mean()) if len(s) else np.nan,
                "end_mean": float(e.mean()) if len(e) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=BOUNDARY_COLUMNS)


def coder_tendencies(codings: pd.DataFrame, a: object, b: object) -> pd.DataFrame:
    """Per code and pooled: how many segments each coder made and how long they are.

    Columns ``code_id``, ``segments_a``, ``segments_b``, ``more`` (the coder with more
    segments, ``=`` when equal), ``mean_length_a``, ``mean_length_b`` (characters; NaN
    without segments), ``longer`` (the coder whose segments are longer on average, ``=``
    when equal or either has none). Distinct segments count once; last row ``(all)``.
    """
    left, right = _distinct(codings, a), _distinct(codings, b)
    parts = []
    for side, frame in (("a", left), ("b", right)):
        lengths = (frame["end"] - frame["start"]).astype(np.float64)
        per = lengths.groupby(frame["code_id"]).agg(["size", "mean"])
        per.loc["(all)"] = [len(lengths), lengths.mean() if len(lengths) else np.nan]
        parts.append(
            per.rename(columns={"size": f"segments_{side}", "mean": f"mean_length_{side}"})
        )
    codes = [*sorted(set(left["code_id"]) | set(right["code_id"])), "(all)"]
    out = pd.concat(parts, axis=1).reindex(codes)
    for side in ("a", "b"):
        out[f"segments_{side}"] = out[f"segments_{side}"].fillna(0).astype(np.int64)
    na, nb = out["segments_a"].to_numpy(), out["segments_b"].to_numpy()
    ma, mb = out["mean_length_a"].to_numpy(), out["mean_length_b"].to_numpy()
    out["more"] = np.where(na > nb, str(a), np.where(nb > na, str(b), "="))
    with np.errstate(invalid="ignore"):
        out["longer"] = np.where(ma > mb, str(a), np.where(mb > ma, str(b), "="))
    out = out.rename_axis("code_id").reset_index()
    columns = ["code_id", "segments_a", "segments_b", "more", "mean_length_a", "mean_length_b"]
    return out[[*columns, "longer"]]


def concentration(unmatched: pd.DataFrame, used: pd.DataFrame, share: float = 0.25) -> pd.DataFrame:
    """The codes whose disagreements concentrate in few transcripts.

    ``unmatched``: one row per disagreement (``code_id``, ``transcript``), e.g. from
    :func:`disagreements`; ``used``: the (``code_id``, ``transcript``) pairs where some
    coder used the code. Per code with a disagreement: ``disagreements``,
    ``transcripts_used``, ``transcripts_with``, ``top_transcript`` and ``top_share`` (its
    share of the code's disagreements), ``half_in`` (the fewest transcripts holding at
    least half of them) and ``concentrated``: ``half_in`` is at most ``share`` of
    ``transcripts_used`` and the code has two or more disagreements. Most concentrated
    first.
    """
    columns = [
        "code_id", "disagreements", "transcripts_used", "transcripts_with",
        "top_transcript", "top_share", "half_in", "concentrated",
    ]  # fmt: skip
    if unmatched.empty:
        return pd.DataFrame(columns=columns)
    per = unmatched.groupby(["code_id", "transcript"]).size().rename("n").reset_index()
    spread = used.drop_duplicates().groupby("code_id").size()
    rows = []
    for code, group in per.groupby("code_id", sort=True):
        counts = group.sort_values(["n", "transcript"], ascending=[False, True])
        n = counts["n"].to_numpy()
        total = int(n.sum())
        half_in = int(np.searchsorted(np.cumsum(n), total / 2) + 1)
        over = int(spread.get(code, len(n)))
        rows.append(
            {
                "code_id": code,
                "disagreements": total,
                "transcripts_used": over,
                "transcripts_with": len(n),
                "top_transcript": counts["transcript"].iloc[0],
                "top_share": n[0] / total,
                "half_in": half_in,
                "concentrated": bool(total >= 2 and half_in <= share * over),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["concentrated", "top_share", "disagreements", "code_id"],
        ascending=[False, False, False, True],
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Anatomy:
    """The disagreement anatomy of two coders, codes named as in the codebook."""

    coders: tuple[str, str]
    confusion: pd.DataFrame
    swaps: pd.DataFrame
    boundaries: pd.DataFrame
    tendencies: pd.DataFrame
    concentration: pd.DataFrame


def anatomy(data: AgreementData, overlap: float = 0.9) -> Anatomy:
    """The anatomy of the first two coders of ``data`` (disagreements at ``overlap``)."""
    a, b = data.coders[0], data.coders[1]
    codings = data.codings[data.codings["coder"].isin([a, b])]
    unmatched = disagreements(replace(data, coders=(a, b), codings=codings), overlap)
    used = pd.DataFrame(
        {
            "code_id": codings["code_id"],
            "transcript": [data.transcript_names[t] for t in codings["transcript_id"]],
        }
    )
    paired = partners(codings, a, b)
    confusion = confusion_matrix(codings, a, b, paired)
    found = swaps(codings, a, b, confusion)
    found.insert(1, "name_a", [data.code_name(c) for c in found["code_a"]])
    found["name_b"] = [data.code_name(c) for c in found["code_b"]]
    return Anatomy(
        coders=(str(a), str(b)),
        confusion=confusion,
        swaps=found,
        boundaries=boundary_differences(codings, a, b, paired),
        tendencies=coder_tendencies(codings, a, b),
        concentration=concentration(unmatched, used),
    )


__all__ = [
    "BOUNDARY_COLUMNS",
    "DISAGREEMENT_COLUMNS",
    "NONE",
    "Anatomy",
    "anatomy",
    "boundary_differences",
    "coder_tendencies",
    "concentration",
    "confusion_matrix",
    "disagreements",
    "partners",
    "swaps",
]

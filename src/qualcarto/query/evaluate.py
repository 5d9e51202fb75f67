# SPDX-License-Identifier: MIT
"""Answer a parsed code query over DataFrames of codings, codes, transcripts, turns and sentences.

Semantics (docs/queries.md says the same for users):

- A code stands for its codings and those of its descendants; a glob or facet for every
  code it matches. Each coder's codings are queried on their own: codings of two coders
  never meet in one hit.
- In the ``overlap`` unit an operand is the set of characters its codings cover; in the
  ``sentence``, ``turn`` and ``transcript`` units it is every whole unit those codings touch.
- ``AND``, ``OR`` and ``NOT`` are intersection, union and complement of those sets. The
  complement is taken within the units of the transcripts a coder has coded at all.
- ``A NEAR/n B`` keeps the stretches of A and of B that lie within n characters (or turns)
  of a stretch of the other; ``A BEFORE/n B`` those where A ends no more than n before B
  starts. Without ``/n`` any distance in the same transcript counts.
- ``WHERE`` filters the codings first: by participant attribute, coder, transcript,
  participant, transcript group or the codebook version a coding was made under.
  ``group = "wave 1"`` keeps the transcripts in that group (a transcript may be in
  several); ``group != "wave 1"`` those outside it; ``group IN (...)`` those in any.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from difflib import get_close_matches

import numpy as np
import pandas as pd

from qualcarto.errors import QualcartoError
from qualcarto.query import spans as S
from qualcarto.query.ast import (
    Binary,
    CodeRef,
    Compare,
    Cond,
    CondNot,
    Expr,
    FacetRef,
    Not,
    Proximity,
    Query,
)
from qualcarto.query.spans import IntArray, Spans

HIT_COLUMNS = ["coder", "transcript_id", "transcript", "participant_id", "start", "end", "codes"]
# Fields of a WHERE clause that are not participant attributes.
CODING_FIELDS = {
    "coder": "coder",
    "transcript": "transcript",
    "participant": "participant_id",
    "version": "codebook_version",
    "origin": "origin",
}
# ``transcript_group`` always means transcript groups; ``group`` too, unless the
# participants have an attribute called ``group`` (then that attribute, as before).
GROUP_FIELDS = ("group", "transcript_group")
_CORE_TRANSCRIPT_COLUMNS = {"transcript_id", "transcript", "length", "participant_id"}


class QueryError(QualcartoError):
    """A query that parses but names something the study does not have."""

    def __init__(self, position: int, problem: str) -> None:
        self.position = position
        super().__init__(f"query position {position + 1}: {problem}")


@dataclass(frozen=True)
class StudyFrames:
    """What a query reads: the frames the store's services already build.

    ``codings`` needs ``coder, transcript_id, code_id, start, end`` (and the WHERE fields);
    ``codes`` is ``codebook_frame`` (``code_id, parent`` and one column per facet);
    ``transcripts`` is ``transcripts_frame``; ``turns`` and ``sentences`` hold
    ``transcript_id, start, end``; ``groups`` holds ``transcript_id, group``, one row
    per transcript in a transcript group (``transcript_id`` missing for an empty group).
    """

    codings: pd.DataFrame
    codes: pd.DataFrame
    transcripts: pd.DataFrame
    turns: pd.DataFrame
    sentences: pd.DataFrame
    groups: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["transcript_id", "group"])
    )


def resolve_codes(expr: Expr, codes: pd.DataFrame) -> dict[int, set[str]]:
    """The code ids each code, glob or facet of ``expr`` stands for, by its position."""
    ids = [str(c) for c in codes["code_id"]]
    parents = dict(zip(ids, codes["parent"], strict=True))
    found: dict[int, set[str]] = {}

    def descendants(roots: set[str]) -> set[str]:
        result = set(roots)
        grew = True
        while grew:
            more = {c for c in ids if parents.get(c) in result} - result
            result |= more
            grew = bool(more)
        return result

    def visit(node: Expr) -> None:
        if isinstance(node, CodeRef):
            if any(ch in node.pattern for ch in "*?["):
                matched = set(fnmatch.filter(ids, node.pattern))
                if not matched:
                    raise QueryError(node.position, f"no code matches '{node.pattern}'")
            elif node.pattern in ids:
                matched = {node.pattern}
            else:
                close = get_close_matches(node.pattern, ids, n=3, cutoff=0.6)
                hint = f"; closest: {', '.join(close)}" if close else ""
                raise QueryError(node.position, f"no code '{node.pattern}'{hint}")
            found[node.position] = descendants(matched)
        elif isinstance(node, FacetRef):
            if node.facet not in codes.columns or node.facet in ("code_id", "parent", "name"):
                raise QueryError(node.position, f"no facet '{node.facet}' in the codebook")
            values = codes[node.facet].astype(str)
            matched = set(codes.loc[values == node.value, "code_id"].astype(str))
            if not matched:
                known = sorted(set(codes[node.facet].dropna().astype(str)))
                raise QueryError(
                    node.position,
                    f"no code has {node.facet}:{node.value} (values: {', '.join(known)})",
                )
            found[node.position] = descendants(matched)
        elif isinstance(node, Not):
            visit(node.operand)
        elif isinstance(node, (Binary, Proximity)):
            visit(node.left)
            visit(node.right)

    visit(expr)
    return found


def filter_codings(
    where: Cond | None,
    codings: pd.DataFrame,
    transcripts: pd.DataFrame,
    groups: pd.DataFrame | None = None,
) -> pd.Series:
    """A mask over ``codings``: the rows the WHERE clause keeps.

    ``groups`` (``transcript_id, group``) answers ``group`` comparisons; a group name the
    study does not have is a ``QueryError`` at the comparison, listing the groups.
    """
    if where is None:
        return pd.Series(True, index=codings.index)
    members = groups if groups is not None else pd.DataFrame(columns=["transcript_id", "group"])
    attributes = [c for c in transcripts.columns if c not in _CORE_TRANSCRIPT_COLUMNS]
    joined = codings[["transcript_id"]].merge(
        transcripts[["transcript_id", *attributes]], on="transcript_id", how="left"
    )
    joined.index = codings.index

    def column(node: Compare) -> pd.Series:
        if node.field in CODING_FIELDS:
            return codings[CODING_FIELDS[node.field]].astype(str)
        if node.field in attributes:
            return joined[node.field].astype(str)
        known = ", ".join([*CODING_FIELDS, "group", *attributes])
        raise QueryError(node.position, f"no field '{node.field}' (fields: {known})")

    def in_groups(node: Compare) -> pd.Series:
        known = sorted(set(members["group"].astype(str)))
        unknown = [v for v in node.values if v not in known]
        if unknown:
            listed = ", ".join(known) or "none in this study"
            raise QueryError(
                node.position, f"no transcript group '{unknown[0]}' (groups: {listed})"
            )
        inside = members.loc[members["group"].isin(node.values), "transcript_id"].dropna()
        return codings["transcript_id"].isin({int(t) for t in inside})

    def mask(node: Cond) -> pd.Series:
        if isinstance(node, Compare):
            is_group = node.field in GROUP_FIELDS and node.field not in attributes
            hit = in_groups(node) if is_group else column(node).isin(node.values)
            return ~hit if node.op == "!=" else hit
        if isinstance(node, CondNot):
            return ~mask(node.operand)
        left, right = mask(node.left), mask(node.right)
        return left & right if node.op == "AND" else left | right

    return mask(where)


class _Study:
    """The groups (coder × transcript) of one query, and their units as global keys."""

    def __init__(self, frames: StudyFrames, codings: pd.DataFrame, unit: str) -> None:
        self.transcripts = frames.transcripts.set_index("transcript_id")
        groups = (
            codings[["coder", "transcript_id"]]
            .drop_duplicates()
            .sort_values(["coder", "transcript_id"], kind="stable")
            .reset_index(drop=True)
        )
        groups["gid"] = np.arange(len(groups), dtype=np.int64)
        self.groups = groups
        lengths = self.transcripts["length"].astype("int64")
        self.stride = int(lengths.max()) + 1 if len(lengths) else 1
        self.codings = codings.merge(groups, on=["coder", "transcript_id"])
        self.codings["key_start"] = self.codings["gid"] * self.stride + self.codings["start"]
        self.codings["key_end"] = self.codings["gid"] * self.stride + self.codings["end"]
        whole = groups.assign(start=0, end=groups["transcript_id"].map(lengths).astype("int64"))
        self.units: Spans = {
            "overlap": lambda: self._spans(whole),
            "transcript": lambda: self._spans(whole),
            "sentence": lambda: self._replicate(frames.sentences),
            "turn": lambda: self._replicate(frames.turns),
        }[unit]()
        self.universe = S.normalize(self.units.starts, self.units.ends)
        self._turns = frames.turns
        self._turn_starts: IntArray | None = None

    def _spans(self, frame: pd.DataFrame) -> Spans:
        starts = (frame["gid"] * self.stride + frame["start"]).to_numpy(np.int64)
        ends = (frame["gid"] * self.stride + frame["end"]).to_numpy(np.int64)
        order = np.argsort(starts, kind="stable")
        return Spans(starts[order], ends[order])

    def _replicate(self, units: pd.DataFrame) -> Spans:
        per_group = self.groups.merge(units[["transcript_id", "start", "end"]], on="transcript_id")
        return self._spans(per_group)

    def turn_of(self, keys: IntArray) -> IntArray:
        """The index (over all groups) of the turn each key falls in; built on first use."""
        if self._turn_starts is None:
            self._turn_starts = self._replicate(self._turns).starts
        return np.maximum(np.searchsorted(self._turn_starts, keys, side="right") - 1, 0)


class _Evaluator:
    def __init__(self, study: _Study, codes: dict[int, set[str]], unit: str) -> None:
        self.study = study
        self.codes = codes
        self.unit = unit

    def run(self, node: Expr) -> Spans:
        if isinstance(node, (CodeRef, FacetRef)):
            rows = self.study.codings[self.study.codings["code_id"].isin(self.codes[node.position])]
            found = S.normalize(
                rows["key_start"].to_numpy(np.int64), rows["key_end"].to_numpy(np.int64)
            )
            if self.unit == "overlap":
                return found
            units = self.study.units
            return units.take(S.touching(units, found))
        if isinstance(node, Not):
            return S.subtract(self.study.universe, self.run(node.operand))
        if isinstance(node, Binary):
            left, right = self.run(node.left), self.run(node.right)
            return S.intersect(left, right) if node.op == "AND" else S.union(left, right)
        left, right = self.run(node.left), self.run(node.right)
        if node.op == "NEAR":
            keep_left = self.near(left, right, node)
            keep_right = self.near(right, left, node)
        else:
            keep_left = self.followed(left, right, node)
            keep_right = self.preceded(right, left, node)
        return S.union(left.take(keep_left), right.take(keep_right))

    def _group(self, keys: IntArray) -> IntArray:
        return keys // self.study.stride

    def _gap(self, first_end: IntArray, second_start: IntArray, measure: str) -> IntArray:
        """How far ``second_start`` lies after ``first_end`` (negative: they overlap)."""
        if measure == "turns":
            return self.study.turn_of(second_start) - self.study.turn_of(first_end - 1)
        return second_start - first_end

    def _within(self, gap: IntArray, node: Proximity) -> np.ndarray:
        return np.ones(gap.size, bool) if node.distance is None else gap <= node.distance

    def followed(self, a: Spans, b: Spans, node: Proximity) -> np.ndarray:
        """Stretches of ``a`` with a stretch of ``b`` starting at or after their end."""
        keep = np.zeros(len(a), bool)
        if len(b) == 0:
            return keep
        nxt = np.searchsorted(b.starts, a.ends, side="left")
        ok = nxt < len(b)
        j = nxt[ok]
        same = self._group(b.starts[j]) == self._group(a.starts[ok])
        gap = self._gap(a.ends[ok], b.starts[j], node.measure)
        keep[ok] = same & self._within(np.maximum(gap, 0), node)
        return keep

    def preceded(self, b: Spans, a: Spans, node: Proximity) -> np.ndarray:
        """Stretches of ``b`` with a stretch of ``a`` ending at or before their start."""
        keep = np.zeros(len(b), bool)
        if len(a) == 0:
            return keep
        prev = np.searchsorted(a.ends, b.starts, side="right") - 1
        ok = prev >= 0
        k = prev[ok]
        same = self._group(a.starts[k]) == self._group(b.starts[ok])
        gap = self._gap(a.ends[k], b.starts[ok], node.measure)
        keep[ok] = same & self._within(np.maximum(gap, 0), node)
        return keep

    def near(self, a: Spans, b: Spans, node: Proximity) -> np.ndarray:
        """Stretches of ``a`` within the distance of some stretch of ``b``, either side."""
        keep = self.followed(a, b, node)
        if len(b) == 0:
            return keep
        # The last b starting before a ends has the greatest end of those (b is disjoint).
        prev = np.searchsorted(b.starts, a.ends, side="left") - 1
        ok = prev >= 0
        k = prev[ok]
        same = self._group(b.starts[k]) == self._group(a.starts[ok])
        gap = np.maximum(self._gap(b.ends[k], a.starts[ok], node.measure), 0)
        keep[ok] |= same & self._within(gap, node)
        return keep


def run_query(query: Query, frames: StudyFrames) -> pd.DataFrame:
    """Every hit of ``query``: one row per stretch (overlap) or unit, sorted by coder and place.

    Columns: ``coder, transcript_id, transcript, participant_id, start, end, codes`` where
    ``codes`` lists the query's codes that have a coding inside the hit.
    """
    codes = resolve_codes(query.expr, frames.codes)
    keep = filter_codings(query.where, frames.codings, frames.transcripts, frames.groups)
    codings = frames.codings[keep]
    if codings.empty:
        return pd.DataFrame(columns=HIT_COLUMNS)
    study = _Study(frames, codings, query.unit)
    found = _Evaluator(study, codes, query.unit).run(query.expr)
    if query.unit != "overlap":
        found = study.units.take(S.touching(study.units, found))
    return _hits(study, found, set().union(*codes.values()))


def _hits(study: _Study, found: Spans, query_codes: set[str]) -> pd.DataFrame:
    gid = found.starts // study.stride
    hits = pd.DataFrame(
        {
            "gid": gid,
            "start": found.starts - gid * study.stride,
            "end": found.ends - gid * study.stride,
        }
    ).merge(study.groups, on="gid", how="left")
    hits["transcript"] = hits["transcript_id"].map(study.transcripts["transcript"])
    hits["participant_id"] = hits["transcript_id"].map(study.transcripts["participant_id"])
    hits["codes"] = _codes_inside(study, found, query_codes)
    hits = hits.sort_values(["coder", "transcript", "start"], kind="stable")
    return hits[HIT_COLUMNS].reset_index(drop=True)


def _codes_inside(study: _Study, found: Spans, query_codes: set[str]) -> list[str]:
    rows = study.codings[study.codings["code_id"].isin(query_codes)]
    starts = rows["key_start"].to_numpy(np.int64)
    ends = rows["key_end"].to_numpy(np.int64)
    index = np.searchsorted(found.ends, starts, side="right")
    inside = index < len(found)
    inside[inside] = found.starts[index[inside]] < ends[inside]
    inside_codes: list[set[str]] = [set() for _ in range(len(found))]
    for hit, code_id in zip(
        index[inside].tolist(), rows["code_id"].to_numpy()[inside].tolist(), strict=True
    ):
        inside_codes[hit].add(code_id)
    return [" ".join(sorted(codes)) for codes in inside_codes]


def hit_crosstab(hits: pd.DataFrame, transcripts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Hits counted by a participant attribute (rows) and coder (columns), with totals."""
    if by in hits.columns:
        joined = hits
    elif by in transcripts.columns:
        joined = hits.merge(transcripts[["transcript_id", by]], on="transcript_id", how="left")
    else:
        known = ", ".join(c for c in transcripts.columns if c not in _CORE_TRANSCRIPT_COLUMNS)
        raise QualcartoError(f"no attribute '{by}' to count hits by (attributes: {known})")
    values = joined[by].fillna("(none)").astype(str)
    return pd.crosstab(values, joined["coder"], margins=True, margins_name="total")


def excerpts(
    hits: pd.DataFrame, texts: dict[int, str], context: int = 80, limit: int = 500
) -> pd.DataFrame:
    """Hits with their excerpt and ``context`` characters either side (excerpts cut at ``limit``)."""
    left, middle, right = [], [], []
    for transcript_id, start, end in zip(
        hits["transcript_id"], hits["start"], hits["end"], strict=True
    ):
        text = texts[int(transcript_id)]
        piece = text[start:end]
        middle.append(piece if len(piece) <= limit else piece[:limit] + "…")
        left.append(text[max(0, start - context) : start])
        right.append(text[end : end + context])
    return hits.assign(left=left, text=middle, right=right)

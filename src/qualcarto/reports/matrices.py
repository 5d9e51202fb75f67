# SPDX-License-Identifier: MIT
"""Theme matrices: the participant x theme tables researchers otherwise build by hand.

Every function takes plain frames and returns a new one:

* ``codings``: the shape of ``qualcarto.coding.codings_frame`` (at least ``transcript,
  coder, code_id, start, end``), already narrowed to the coders or layer wanted;
* ``codes``: the shape of ``qualcarto.codebook.codebook_frame`` (``code_id, name, path``
  and one column per facet), in codebook order, which is the row order of every matrix;
* ``transcripts``: the shape of ``qualcarto.transcripts.transcripts_frame``
  (``transcript, participant_id`` and the participant attributes).

Codings of codes missing from ``codes`` are left out, so a matrix always describes one
codebook version.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from qualcarto.intervals import covered_lengths

MISSING = "(missing)"
TranscriptMeasure = Literal["count", "presence", "characters"]
FacetMeasure = Literal["codings", "transcripts"]


def _known(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    return codings[codings["code_id"].isin(codes["code_id"])]


def _covered_by_cell(codings: pd.DataFrame) -> pd.Series:
    """``covered_length`` of every (code, transcript) cell at once."""
    keys = ["code_id", "transcript"]
    if codings.empty:  # an empty frame's offsets may be object dtype
        return pd.Series([], dtype=int, index=pd.MultiIndex.from_arrays([[], []], names=keys))
    cells = codings.groupby(keys, sort=True)
    lengths = covered_lengths(
        cells.ngroup().to_numpy(),
        codings["start"].to_numpy(),
        codings["end"].to_numpy(),
        cells.ngroups,
    )
    return pd.Series(lengths, index=cells.size().index)


def code_by_transcript(
    codings: pd.DataFrame,
    codes: pd.DataFrame,
    transcripts: pd.DataFrame,
    measure: TranscriptMeasure = "count",
) -> pd.DataFrame:
    """Codes x transcripts: codings per cell, presence 0/1, or coded characters.

    Coded characters count each character once per code, however many codings (or
    coders) cover it, so the figure never exceeds the transcript's length.
    """
    rows = list(codes["code_id"])
    columns = list(transcripts["transcript"])
    known = _known(codings, codes)
    if measure == "characters":
        series = _covered_by_cell(known)
    else:
        series = known.groupby(["code_id", "transcript"]).size()
    if series.empty:
        table = pd.DataFrame(0, index=rows, columns=columns)
    else:
        table = series.unstack(fill_value=0).reindex(index=rows, columns=columns, fill_value=0)
    if measure == "presence":
        table = (table > 0).astype(int)
    table = table.astype(int)
    table.index.name = "code_id"
    table.columns.name = "transcript"
    return table


def _units(transcripts: pd.DataFrame) -> pd.Series:
    """The interviewee behind each transcript: its participant, or the transcript itself."""
    participant = transcripts["participant_id"].astype(object)
    return participant.where(participant.notna(), transcripts["transcript"]).set_axis(
        transcripts["transcript"]
    )


def code_by_attribute(
    codings: pd.DataFrame, codes: pd.DataFrame, transcripts: pd.DataFrame, attribute: str
) -> pd.DataFrame:
    """Codes x values of a participant attribute: how many participants have each code.

    A participant with several transcripts counts once; a transcript without a
    participant counts as its own interviewee with the value ``(missing)``.
    """
    if attribute not in transcripts.columns:
        raise KeyError(f"no participant attribute '{attribute}'")
    values = transcripts[attribute].astype(object).where(transcripts[attribute].notna(), MISSING)
    value_of = dict(zip(transcripts["transcript"], values, strict=True))
    unit_of = _units(transcripts).to_dict()
    known = _known(codings, codes)
    known = known[known["transcript"].isin(value_of)]
    pairs = pd.DataFrame(
        {
            "code_id": known["code_id"].to_numpy(),
            "unit": known["transcript"].map(unit_of).to_numpy(),
            "value": known["transcript"].map(value_of).to_numpy(),
        }
    ).drop_duplicates()
    columns = list(dict.fromkeys(sorted(str(v) for v in values)))
    counts = pairs.groupby(["code_id", "value"])["unit"].nunique()
    if counts.empty:
        table = pd.DataFrame(0, index=list(codes["code_id"]), columns=columns)
    else:
        table = counts.unstack(fill_value=0).reindex(
            index=list(codes["code_id"]), columns=columns, fill_value=0
        )
    table = table.astype(int)
    table.index.name = "code_id"
    table.columns.name = attribute
    return table


def code_by_group(
    codings: pd.DataFrame, codes: pd.DataFrame, memberships: pd.DataFrame
) -> pd.DataFrame:
    """Codes x transcript groups: how many of each group's transcripts have each code.

    ``memberships`` holds ``transcript_id, group`` (one row per transcript in a group; a
    missing ``transcript_id`` marks an empty group, which still gets its column). A
    transcript in two groups counts in both.
    """
    columns = sorted(set(memberships["group"].astype(str)))
    members = memberships.dropna(subset=["transcript_id"]).astype({"transcript_id": "int64"})
    known = _known(codings, codes)[["code_id", "transcript_id"]].drop_duplicates()
    pairs = known.astype({"transcript_id": "int64"}).merge(members, on="transcript_id")
    counts = pairs.groupby(["code_id", "group"]).size()
    rows = list(codes["code_id"])
    if counts.empty:
        table = pd.DataFrame(0, index=rows, columns=columns)
    else:
        table = counts.unstack(fill_value=0).reindex(index=rows, columns=columns, fill_value=0)
    table = table.astype(int)
    table.index.name = "code_id"
    table.columns.name = "transcript group"
    return table


def facet_matrix(
    codings: pd.DataFrame,
    codes: pd.DataFrame,
    row_facet: str,
    col_facet: str,
    vocabularies: dict[str, list[str]] | None = None,
    measure: FacetMeasure = "codings",
) -> pd.DataFrame:
    """Values of one facet x values of another (e.g. stage x collaboration type).

    ``measure="codings"`` counts codings of codes carrying both values; ``"transcripts"``
    counts the transcripts that support the cell, as the cartography does. Rows and
    columns follow the facet vocabularies when given, so empty cells still show.
    """
    for facet in (row_facet, col_facet):
        if facet not in codes.columns:
            raise KeyError(f"no facet '{facet}' in the codebook")
    vocab = vocabularies or {}
    rows = vocab.get(row_facet) or sorted(codes[row_facet].dropna().unique())
    cols = vocab.get(col_facet) or sorted(codes[col_facet].dropna().unique())
    placed = codes[["code_id", row_facet, col_facet]].dropna()
    joined = _known(codings, codes).merge(placed, on="code_id")
    if measure == "transcripts":
        series = joined.groupby([row_facet, col_facet])["transcript"].nunique()
    else:
        series = joined.groupby([row_facet, col_facet]).size()
    if series.empty:
        table = pd.DataFrame(0, index=rows, columns=cols)
    else:
        table = series.unstack(fill_value=0).reindex(index=rows, columns=cols, fill_value=0)
    table = table.astype(int)
    table.index.name = row_facet
    table.columns.name = col_facet
    return table


def excerpts(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Every excerpt under its code, in codebook order, then transcript and position."""
    order = {code: i for i, code in enumerate(codes["code_id"])}
    names = codes.set_index("code_id")
    known = _known(codings, codes).copy()
    known["_order"] = known["code_id"].map(order)
    known = known.sort_values(["_order", "transcript", "start", "end", "coder"], kind="stable")
    frame = pd.DataFrame(
        {
            "code_id": known["code_id"].to_numpy(),
            "code": known["code_id"].map(names["name"]).to_numpy(),
            "path": known["code_id"].map(names["path"]).to_numpy(),
            "transcript": known["transcript"].to_numpy(),
            "participant_id": known["participant_id"].to_numpy(),
            "coder": known["coder"].to_numpy(),
            "start": known["start"].to_numpy(),
            "end": known["end"].to_numpy(),
            "text": known["text"].to_numpy(),
            "memo": known["memo"].to_numpy(),
        }
    )
    return frame.reset_index(drop=True)

# SPDX-License-Identifier: MIT
"""The tidy long table: one row per coding, every label beside it, ready for pandas or R."""

from __future__ import annotations

import pandas as pd

TIDY_COLUMNS = [
    "project",
    "transcript",
    "participant_id",
    "coder",
    "code_id",
    "code_name",
    "code_path",
    "start",
    "end",
    "media_start",
    "media_end",
    "text",
    "memo",
    "codebook_version",
    "created_at",
]


def group_names(groups: pd.DataFrame) -> pd.Series:
    """Each transcript id's groups, sorted and joined by ``"; "``."""
    members = groups.dropna(subset=["transcript_id"]).astype({"transcript_id": "int64"})
    return members.groupby("transcript_id")["group"].agg(lambda g: "; ".join(sorted(g)))


def tidy_codings(
    codings: pd.DataFrame,
    codes: pd.DataFrame,
    transcripts: pd.DataFrame,
    project: str,
    facets: list[str],
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per coding with project, participant attributes, code labels and facets.

    Participant attributes keep their csv names and facets their codebook names, placed
    after ``participant_id`` and ``code_path``; a name that would repeat a column gets
    the prefix ``participant_`` or ``facet_``. ``codebook_version`` is the version the
    coding was made under; ``created_at`` is ISO 8601 in UTC. ``media_start`` and
    ``media_end`` are the seconds of the transcript's recording the span was said in
    (empty where the transcript has no timed recording). With ``groups``
    (``transcript_id, group``) a ``transcript_groups`` column after the attributes names
    the transcript's groups, joined by ``"; "`` (empty when it is in none).
    """
    known = codings[codings["code_id"].isin(codes["code_id"])]
    base = ["transcript_id", "transcript", "length", "participant_id"]
    attributes = [c for c in transcripts.columns if c not in base]
    taken = set(TIDY_COLUMNS)
    attribute_names = {a: (f"participant_{a}" if a in taken else a) for a in attributes}
    taken |= set(attribute_names.values())
    facet_names = {f: (f"facet_{f}" if f in taken else f) for f in facets}
    by_code = codes.set_index("code_id")
    by_transcript = transcripts.set_index("transcript")
    frame = pd.DataFrame(
        {
            "project": project,
            "transcript": known["transcript"].to_numpy(),
            "participant_id": known["participant_id"].to_numpy(),
        }
    )
    for attribute, column in attribute_names.items():
        frame[column] = known["transcript"].map(by_transcript[attribute]).to_numpy()
    if groups is not None:
        names = known["transcript_id"].astype("int64").map(group_names(groups))
        frame["transcript_groups"] = names.astype(object).fillna("").to_numpy()
    frame["coder"] = known["coder"].to_numpy()
    frame["code_id"] = known["code_id"].to_numpy()
    frame["code_name"] = known["code_id"].map(by_code["name"]).to_numpy()
    frame["code_path"] = known["code_id"].map(by_code["path"]).to_numpy()
    for facet, column in facet_names.items():
        frame[column] = known["code_id"].map(by_code[facet]).to_numpy()
    for column in ("start", "end", "media_start", "media_end", "text", "memo", "codebook_version"):
        frame[column] = known[column].to_numpy() if column in known else None
    created = pd.to_datetime(known["created_at"], utc=True)
    frame["created_at"] = created.dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()
    return frame

# SPDX-License-Identifier: MIT
"""Code queries against the store: load the frames, run the pure query core, save named queries.

Callers open the session (``read_scope`` for answering, ``session_scope`` for saving);
blind coding holds because codings come from ``codings_frame(viewer=...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.query import StudyFrames, excerpts, parse_query, run_query
from qualcarto.store import (
    CodebookVersion,
    SavedQuery,
    Segment,
    Transcript,
    Turn,
    current_project,
    record,
)
from qualcarto.transcripts.frames import transcripts_frame
from qualcarto.transcripts.groups import group_transcripts, memberships_frame
from qualcarto.users import get_user

RESULT_COLUMNS = [
    "coder",
    "transcript",
    "participant_id",
    "start",
    "end",
    "codes",
    "left",
    "text",
    "right",
]


def _units(session: Session, model: type[Turn] | type[Segment]) -> pd.DataFrame:
    rows = session.execute(select(model.transcript_id, model.start, model.end))
    return pd.DataFrame([tuple(r) for r in rows], columns=["transcript_id", "start", "end"])


def study_frames(
    session: Session,
    *,
    coders: Sequence[str] | None = None,
    viewer: str | None = None,
    version: int | None = None,
) -> StudyFrames:
    """The frames a query reads, with the codes of codebook ``version`` (default: newest)."""
    return StudyFrames(
        codings=codings_frame(session, coders, viewer=viewer),
        codes=codebook_frame(version_codebook(get_version(session, version))),
        transcripts=transcripts_frame(session),
        turns=_units(session, Turn),
        sentences=_units(session, Segment),
        groups=memberships_frame(session),
    )


def answer_query(
    session: Session,
    text: str,
    *,
    coders: Sequence[str] | None = None,
    viewer: str | None = None,
    version: int | None = None,
    context: int = 80,
    group: str | None = None,
) -> pd.DataFrame:
    """One row per hit with its excerpt and context: ``RESULT_COLUMNS`` plus ``transcript_id``.

    ``group``: only the transcripts of that transcript group, as if the query ended in
    ``WHERE group = "..."``.
    """
    query = parse_query(text)
    frames = study_frames(session, coders=coders, viewer=viewer, version=version)
    if group is not None:
        members = set(group_transcripts(session, group))
        codings = frames.codings
        frames = replace(frames, codings=codings[codings["transcript"].isin(members)])
    hits = run_query(query, frames)
    ids = [int(i) for i in hits["transcript_id"].unique()]
    rows = session.execute(select(Transcript.id, Transcript.text).where(Transcript.id.in_(ids)))
    texts = {int(transcript_id): text for transcript_id, text in rows}
    return excerpts(hits, texts, context=context)[[*RESULT_COLUMNS, "transcript_id"]]


def save_query(session: Session, name: str, text: str, author: str) -> SavedQuery:
    """Store a named query under the newest codebook version; saving again replaces its text."""
    name = name.strip()
    if not name:
        raise ValidationError("a saved query needs a name")
    parse_query(text)
    version = get_version(session)
    user = get_user(session, author)
    project = current_project(session)
    found = session.scalars(
        select(SavedQuery).where(
            SavedQuery.project_id == project.id,
            SavedQuery.name == name,
            SavedQuery.codebook_version_id == version.id,
        )
    ).first()
    if found is None:
        found = SavedQuery(
            project_id=project.id, name=name, codebook_version_id=version.id, text=text
        )
        session.add(found)
    found.text = text
    found.author_id = user.id
    session.flush()
    record(
        session,
        author,
        "query.save",
        "saved_query",
        found.id,
        name=name,
        text=text,
        codebook_version=version.number,
    )
    return found


def saved_queries(session: Session) -> pd.DataFrame:
    """Every saved query: name, codebook version it was written under, text; newest first."""
    rows = session.execute(
        select(SavedQuery.name, CodebookVersion.number, SavedQuery.text)
        .join(CodebookVersion, SavedQuery.codebook_version_id == CodebookVersion.id)
        .where(SavedQuery.project_id == current_project(session).id)
        .order_by(SavedQuery.name, CodebookVersion.number.desc())
    )
    return pd.DataFrame([tuple(r) for r in rows], columns=["name", "codebook_version", "text"])


def get_saved_query(session: Session, name: str) -> tuple[str, int]:
    """A saved query's text and the codebook version it was written under (its newest save)."""
    table = saved_queries(session)
    found = table[table["name"] == name]
    if found.empty:
        known = ", ".join(sorted(set(table["name"]))) or "none saved yet"
        raise NotFoundError(f"no saved query '{name}' (saved: {known})")
    return str(found.iloc[0]["text"]), int(found.iloc[0]["codebook_version"])

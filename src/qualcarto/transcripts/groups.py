# SPDX-License-Identifier: MIT
"""Transcript groups: named sets of transcripts (a REFI-QDA document set, a wave, a site).

A group is a filter for queries, matrices and agreement: ``group_transcripts`` gives
the names of its members.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import (
    Transcript,
    TranscriptGroup,
    TranscriptGroupMember,
    current_project,
    record,
)


def add_to_group(
    session: Session,
    name: str,
    transcript_ids: Iterable[int],
    *,
    description: str = "",
    actor: str = "system",
) -> TranscriptGroup:
    """Put transcripts in the group ``name`` (made if missing); audited. Idempotent."""
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError("a transcript group needs a name")
    project = current_project(session)
    group = session.scalars(
        select(TranscriptGroup).where(
            TranscriptGroup.project_id == project.id, TranscriptGroup.name == name
        )
    ).first()
    if group is None:
        group = TranscriptGroup(project_id=project.id, name=name, description=description)
        session.add(group)
        session.flush()
        record(session, actor, "group.add", "transcript_group", group.id, name=name)
    present = set(
        session.scalars(
            select(TranscriptGroupMember.transcript_id).where(
                TranscriptGroupMember.group_id == group.id
            )
        )
    )
    new = sorted(set(transcript_ids) - present)
    session.add_all(TranscriptGroupMember(group_id=group.id, transcript_id=t) for t in new)
    session.flush()
    if new:
        record(session, actor, "group.members", "transcript_group", group.id, added=new)
    return group


def list_groups(session: Session) -> dict[str, list[str]]:
    """Every group's name and its members' transcript names, sorted."""
    groups: dict[str, list[str]] = {
        name: []
        for name in session.scalars(select(TranscriptGroup.name).order_by(TranscriptGroup.name))
    }
    rows = session.execute(
        select(TranscriptGroup.name, Transcript.name)
        .join(TranscriptGroupMember, TranscriptGroupMember.group_id == TranscriptGroup.id)
        .join(Transcript, Transcript.id == TranscriptGroupMember.transcript_id)
        .order_by(TranscriptGroup.name, Transcript.name)
    )
    for group, transcript in rows:
        groups[group].append(transcript)
    return groups


def group_transcripts(session: Session, name: str) -> list[str]:
    """The names of the transcripts in group ``name``: a filter for any table."""
    groups = list_groups(session)
    if name not in groups:
        raise NotFoundError(f"no transcript group called '{name}'")
    return groups[name]

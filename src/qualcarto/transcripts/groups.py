# SPDX-License-Identifier: MIT
"""Transcript groups: named sets of transcripts (a REFI-QDA document set, a wave, a site).

A transcript may sit in any number of groups. A group is a filter for queries
(``WHERE group = "wave 1"``), exports, agreement and the app's transcript pickers:
``group_transcripts`` gives the names of its members, ``memberships_frame`` one row
per (transcript, group) for the pure cores. Every change is one audited write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import (
    Transcript,
    TranscriptGroup,
    TranscriptGroupMember,
    current_project,
    record,
)

MEMBERSHIP_COLUMNS = ["transcript_id", "group"]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError("a transcript group needs a name")
    return name


def _find(session: Session, name: str) -> TranscriptGroup | None:
    project = current_project(session)
    return session.scalars(
        select(TranscriptGroup).where(
            TranscriptGroup.project_id == project.id, TranscriptGroup.name == name
        )
    ).first()


def get_group(session: Session, name: str) -> TranscriptGroup:
    """The group called ``name``; a ``NotFoundError`` lists the groups there are."""
    group = _find(session, name)
    if group is None:
        known = ", ".join(list_groups(session)) or "none yet"
        raise NotFoundError(f"no transcript group called '{name}' (groups: {known})")
    return group


def transcript_ids(session: Session, names: Sequence[str]) -> list[int]:
    """The ids of the transcripts called ``names``; unknown names are one error naming them."""
    project = current_project(session)
    rows = session.execute(
        select(Transcript.name, Transcript.id).where(
            Transcript.project_id == project.id, Transcript.name.in_(list(names))
        )
    )
    found = {name: transcript_id for name, transcript_id in rows}
    missing = [name for name in names if name not in found]
    if missing:
        raise NotFoundError(f"no transcript called {', '.join(map(repr, missing))}")
    return [found[name] for name in names]


def add_to_group(
    session: Session,
    name: str,
    transcript_ids: Iterable[int],
    *,
    description: str = "",
    actor: str = "system",
) -> TranscriptGroup:
    """Put transcripts in the group ``name`` (made if missing); audited. Idempotent."""
    name = _clean_name(name)
    group = _find(session, name)
    if group is None:
        project = current_project(session)
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


def assign(
    session: Session,
    name: str,
    transcripts: Sequence[str],
    *,
    description: str = "",
    actor: str = "system",
) -> TranscriptGroup:
    """Put the transcripts called ``transcripts`` in group ``name`` (made if missing)."""
    return add_to_group(
        session, name, transcript_ids(session, transcripts), description=description, actor=actor
    )


def unassign(
    session: Session, name: str, transcripts: Sequence[str], *, actor: str = "system"
) -> int:
    """Take the named transcripts out of group ``name``; returns how many were in it."""
    group = get_group(session, name)
    ids = transcript_ids(session, transcripts)
    members = set(
        session.scalars(
            select(TranscriptGroupMember.transcript_id).where(
                TranscriptGroupMember.group_id == group.id,
                TranscriptGroupMember.transcript_id.in_(ids),
            )
        )
    )
    if members:
        session.execute(
            delete(TranscriptGroupMember).where(
                TranscriptGroupMember.group_id == group.id,
                TranscriptGroupMember.transcript_id.in_(members),
            )
        )
        record(
            session, actor, "group.members", "transcript_group", group.id, removed=sorted(members)
        )
    return len(members)


def edit_group(
    session: Session,
    name: str,
    *,
    new_name: str | None = None,
    description: str | None = None,
    actor: str = "system",
) -> TranscriptGroup:
    """Rename a group or change its description; a name already taken is refused."""
    group = get_group(session, name)
    changes: dict[str, str] = {}
    if new_name is not None and _clean_name(new_name) != group.name:
        new_name = _clean_name(new_name)
        if _find(session, new_name) is not None:
            raise ValidationError(f"a transcript group called '{new_name}' exists already")
        changes["name"] = new_name
        group.name = new_name
    if description is not None and description != group.description:
        changes["description"] = description
        group.description = description
    session.flush()
    if changes:
        record(session, actor, "group.edit", "transcript_group", group.id, was=name, **changes)
    return group


def delete_group(session: Session, name: str, *, actor: str = "system") -> int:
    """Delete a group (its transcripts stay); returns how many transcripts it held."""
    group = get_group(session, name)
    members = len(group_transcripts(session, name))
    record(session, actor, "group.delete", "transcript_group", group.id, name=name)
    session.delete(group)
    session.flush()
    return members


def list_groups(session: Session) -> dict[str, list[str]]:
    """Every group's name and its members' transcript names, sorted."""
    project = current_project(session)
    groups: dict[str, list[str]] = {
        name: []
        for name in session.scalars(
            select(TranscriptGroup.name)
            .where(TranscriptGroup.project_id == project.id)
            .order_by(TranscriptGroup.name)
        )
    }
    rows = session.execute(
        select(TranscriptGroup.name, Transcript.name)
        .join(TranscriptGroupMember, TranscriptGroupMember.group_id == TranscriptGroup.id)
        .join(Transcript, Transcript.id == TranscriptGroupMember.transcript_id)
        .where(TranscriptGroup.project_id == project.id)
        .order_by(TranscriptGroup.name, Transcript.name)
    )
    for group, transcript in rows:
        groups[group].append(transcript)
    return groups


def groups_table(session: Session) -> pd.DataFrame:
    """One row per group: ``group, description, transcripts`` (a count), by name."""
    project = current_project(session)
    members = list_groups(session)
    rows = [
        (group.name, group.description, len(members[group.name]))
        for group in session.scalars(
            select(TranscriptGroup)
            .where(TranscriptGroup.project_id == project.id)
            .order_by(TranscriptGroup.name)
        )
    ]
    return pd.DataFrame(rows, columns=["group", "description", "transcripts"])


def memberships_frame(session: Session) -> pd.DataFrame:
    """One row per transcript in a group: ``transcript_id, group`` (what the cores filter on).

    An empty group has one row with a missing ``transcript_id``, so it still exists there.
    """
    project = current_project(session)
    rows = session.execute(
        select(TranscriptGroupMember.transcript_id, TranscriptGroup.name)
        .select_from(TranscriptGroup)
        .outerjoin(TranscriptGroupMember, TranscriptGroup.id == TranscriptGroupMember.group_id)
        .where(TranscriptGroup.project_id == project.id)
        .order_by(TranscriptGroup.name, TranscriptGroupMember.transcript_id)
    )
    frame = pd.DataFrame([tuple(r) for r in rows], columns=MEMBERSHIP_COLUMNS)
    return frame.astype({"transcript_id": "Int64"})


def group_transcripts(session: Session, name: str) -> list[str]:
    """The names of the transcripts in group ``name``: a filter for any table."""
    groups = list_groups(session)
    if name not in groups:
        known = ", ".join(groups) or "none yet"
        raise NotFoundError(f"no transcript group called '{name}' (groups: {known})")
    return groups[name]


def names_in(groups: dict[str, list[str]], names: Sequence[str], group: str | None) -> list[str]:
    """``names`` restricted to the members of ``group`` (from ``list_groups``), in order.

    ``None`` keeps every name; an unknown group is a ``NotFoundError``.
    """
    if group is None:
        return list(names)
    if group not in groups:
        known = ", ".join(groups) or "none yet"
        raise NotFoundError(f"no transcript group called '{group}' (groups: {known})")
    members = set(groups[group])
    return [name for name in names if name in members]


def set_members(
    session: Session,
    name: str,
    transcripts: Sequence[str],
    *,
    description: str | None = None,
    actor: str = "system",
) -> TranscriptGroup:
    """Make group ``name`` hold exactly ``transcripts`` (made if missing): one audited write."""
    wanted = set(transcripts)
    group = add_to_group(session, name, transcript_ids(session, sorted(wanted)), actor=actor)
    gone = [t for t in group_transcripts(session, group.name) if t not in wanted]
    if gone:
        unassign(session, group.name, gone, actor=actor)
    if description is not None:
        edit_group(session, group.name, description=description, actor=actor)
    return group

# SPDX-License-Identifier: MIT
"""Who codes or reviews which transcript, and how far each coder is.

Only a lead assigns; every change is audited. Whether the study is blind is a study
setting (``qualcarto.study_settings``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ValidationError
from qualcarto.intervals import covered_length
from qualcarto.store import (
    Assignment,
    Coding,
    Transcript,
    User,
    current_project,
    record,
)
from qualcarto.store.models import utcnow
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user, require_lead

TASKS = ("code", "review")


def assign(
    session: Session, transcript: str, user: str, actor: str, task: str = "code"
) -> Assignment:
    """Give ``user`` a transcript to code or review; assigning twice changes nothing."""
    if task not in TASKS:
        raise ValidationError(f"task '{task}' is not one of {TASKS}")
    require_lead(session, actor)
    doc, person = get_transcript(session, transcript), get_user(session, user)
    if person.kind != "human":
        raise ValidationError(f"'{user}' is a {person.kind} layer, not a person to assign")
    found = session.scalars(
        select(Assignment).where(
            Assignment.transcript_id == doc.id,
            Assignment.user_id == person.id,
            Assignment.task == task,
        )
    ).first()
    if found is not None:
        return found
    assignment = Assignment(transcript_id=doc.id, user_id=person.id, task=task, assigned_by=actor)
    session.add(assignment)
    session.flush()
    record(
        session,
        actor,
        "assignment.add",
        "assignment",
        assignment.id,
        transcript=doc.name,
        user=user,
        task=task,
    )
    return assignment


def unassign(session: Session, transcript: str, user: str, actor: str, task: str = "code") -> None:
    """Take a transcript back from a person; their codings stay."""
    require_lead(session, actor)
    doc, person = get_transcript(session, transcript), get_user(session, user)
    for found in session.scalars(
        select(Assignment).where(
            Assignment.transcript_id == doc.id,
            Assignment.user_id == person.id,
            Assignment.task == task,
        )
    ):
        record(
            session,
            actor,
            "assignment.remove",
            "assignment",
            found.id,
            transcript=doc.name,
            user=user,
            task=task,
        )
        session.delete(found)
    session.flush()


def mark_done(session: Session, transcript: str, user: str, done: bool = True) -> None:
    """A person says they finished (or reopened) their assigned transcript."""
    doc, person = get_transcript(session, transcript), get_user(session, user)
    found = session.scalars(
        select(Assignment).where(
            Assignment.transcript_id == doc.id, Assignment.user_id == person.id
        )
    ).all()
    if not found:
        raise ValidationError(f"'{transcript}' is not assigned to '{user}'")
    for assignment in found:
        assignment.done_at = utcnow() if done else None
    record(
        session,
        user,
        "assignment.done" if done else "assignment.reopen",
        "transcript",
        doc.id,
        transcript=doc.name,
    )


def openable_transcripts(session: Session, user: str, task: str = "code") -> list[str]:
    """Names of the transcripts ``user`` may open to ``task`` (code or review), in import order.

    The one rule every page and command asks: a lead opens every transcript; anyone else
    opens the transcripts the lead assigned them for that task, and nothing before the lead
    assigned any. Failing closed is deliberate. Interview transcripts are often
    confidential and consent may cover only the people working on them; a double-coding
    plan (who codes what, which transcripts a round compares) is the lead's, and a coder
    who codes what nobody assigned adds codings no comparison expects; and the older
    fallback (nothing assigned: everything) made one assignment shrink a coder's view from
    the whole study to one transcript. A coder with nothing assigned is told so.
    """
    if task not in TASKS:
        raise ValidationError(f"task '{task}' is not one of {TASKS}")
    if get_user(session, user).role == "lead":
        project = current_project(session)
        query = (
            select(Transcript.name)
            .where(Transcript.project_id == project.id)
            .order_by(Transcript.id)
        )
        return list(session.scalars(query))
    return assigned_transcripts(session, user, task)


def assigned_transcripts(session: Session, user: str, task: str = "code") -> list[str]:
    """Names of the transcripts given to ``user`` for ``task``, in import order."""
    query = (
        select(Transcript.name)
        .join(Assignment, Assignment.transcript_id == Transcript.id)
        .join(User, Assignment.user_id == User.id)
        .where(User.name == user, Assignment.task == task)
        .order_by(Transcript.id)
    )
    return list(session.scalars(query))


def assigned_users(session: Session, transcript_id: int, task: str = "code") -> list[str]:
    """Names of the people a transcript is given to for ``task``."""
    query = (
        select(User.name)
        .join(Assignment, Assignment.user_id == User.id)
        .where(Assignment.transcript_id == transcript_id, Assignment.task == task)
        .order_by(User.name)
    )
    return list(session.scalars(query))


def progress_frame(session: Session) -> pd.DataFrame:
    """One row per assignment: transcript, user, task, codings so far, share of text coded, done.

    ``coverage`` is the share of the transcript's characters inside at least one of the
    user's codings, so a coder who codes one span five times does not look further along.
    """
    rows = session.execute(
        select(Assignment, Transcript.name, Transcript.length, User.name)
        .join(Transcript, Assignment.transcript_id == Transcript.id)
        .join(User, Assignment.user_id == User.id)
        .order_by(Transcript.id, User.name, Assignment.task)
    ).all()
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for transcript_id, coder_id, start, end in session.execute(
        select(Coding.transcript_id, Coding.coder_id, Coding.start, Coding.end)
    ):
        spans.setdefault((transcript_id, coder_id), []).append((start, end))
    out = []
    for assignment, name, length, user in rows:
        key = (assignment.transcript_id, assignment.user_id)
        out.append(
            {
                "transcript": name,
                "user": user,
                "task": assignment.task,
                "codings": len(spans.get(key, [])),
                "coverage": round(covered_length(spans.get(key, [])) / length, 3)
                if length
                else 0.0,
                "done": assignment.done_at is not None,
            }
        )
    columns = ["transcript", "user", "task", "codings", "coverage", "done"]
    return pd.DataFrame(out, columns=columns)


def is_done(session: Session, transcript: str, user: str) -> bool | None:
    """Whether ``user`` marked their assigned transcript done; None when it is not theirs."""
    found = session.scalars(
        select(Assignment.done_at)
        .join(Transcript, Assignment.transcript_id == Transcript.id)
        .join(User, Assignment.user_id == User.id)
        .where(Transcript.name == transcript, User.name == user, Assignment.task == "code")
    ).all()
    return None if not found else found[0] is not None

# SPDX-License-Identifier: MIT
"""Coding rounds: record which coders coded which transcripts under which codebook version,
and when the round was reconciled.

A round is what a methods section reports agreement for (MacPhail et al. 2016; O'Connor
& Joffe 2020): the appendix measures each recorded round on its own transcripts and
shows the trend across rounds and codebook versions. Each write is one transaction with
an audit event naming the lead.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.codebook import get_version
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import CodingRound, Transcript, current_project, record
from qualcarto.store.models import utcnow
from qualcarto.users import check_coders

ROUND_COLUMNS = [
    "round", "name", "codebook_version", "coders", "transcripts", "created_by",
    "created_at", "reconciled_at",
]  # fmt: skip


def add_round(
    session: Session,
    actor: str,
    name: str,
    coders: Sequence[str],
    transcripts: Sequence[str],
    codebook_version: int | None = None,
) -> CodingRound:
    """Record a round; returns it with its number (1, 2, ... in the study).

    Needs two or more different coders who exist and one or more transcripts of the
    study; ``codebook_version`` defaults to the newest. Bad input is a one-line error
    and nothing is written.
    """
    chosen = list(dict.fromkeys(coders))
    if len(chosen) < 2:
        raise ValidationError(f"a round needs at least two different coders, got {chosen}")
    if not name.strip():
        raise ValidationError("a round needs a name")
    check_coders(session, chosen)
    project = current_project(session)
    names = list(dict.fromkeys(transcripts))
    if not names:
        raise ValidationError("a round needs at least one transcript")
    stored = set(
        session.scalars(
            select(Transcript.name).where(
                Transcript.project_id == project.id, Transcript.name.in_(names)
            )
        )
    )
    absent = [t for t in names if t not in stored]
    if absent:
        raise NotFoundError(f"no transcript called {', '.join(map(repr, absent))}")
    version = get_version(session, codebook_version).number
    number = (
        session.scalar(
            select(func.max(CodingRound.number)).where(CodingRound.project_id == project.id)
        )
        or 0
    ) + 1
    found = CodingRound(
        project_id=project.id,
        number=number,
        name=name.strip(),
        codebook_version=version,
        coders=chosen,
        transcripts=names,
        created_by=actor,
    )
    session.add(found)
    session.flush()
    record(
        session,
        actor,
        "round.add",
        "coding_round",
        number,
        name=found.name,
        coders=chosen,
        transcripts=names,
        codebook_version=version,
    )
    return found


def get_round(session: Session, number: int) -> CodingRound:
    """Round ``number`` of the study, or a one-line error."""
    project = current_project(session)
    found = session.scalars(
        select(CodingRound).where(
            CodingRound.project_id == project.id, CodingRound.number == number
        )
    ).first()
    if found is None:
        raise NotFoundError(f"no coding round {number}")
    return found


def mark_reconciled(session: Session, actor: str, number: int) -> CodingRound:
    """Record that round ``number`` was reconciled (once; again is an error)."""
    found = get_round(session, number)
    if found.reconciled_at is not None:
        raise ValidationError(f"round {number} was already marked reconciled")
    found.reconciled_at = utcnow()
    record(session, actor, "round.reconcile", "coding_round", number)
    return found


def rounds_frame(session: Session) -> pd.DataFrame:
    """Every recorded round, oldest first (coders and transcripts joined by ', ')."""
    project = current_project(session)
    rows = [
        {
            "round": r.number,
            "name": r.name,
            "codebook_version": r.codebook_version,
            "coders": ", ".join(r.coders),
            "transcripts": ", ".join(r.transcripts),
            "created_by": r.created_by,
            "created_at": r.created_at,
            "reconciled_at": r.reconciled_at,
        }
        for r in session.scalars(
            select(CodingRound)
            .where(CodingRound.project_id == project.id)
            .order_by(CodingRound.number)
        )
    ]
    return pd.DataFrame(rows, columns=ROUND_COLUMNS)


__all__ = ["ROUND_COLUMNS", "add_round", "get_round", "mark_reconciled", "rounds_frame"]

# SPDX-License-Identifier: MIT
"""The codebook's version history as a table, for the app and notebooks."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from qualcarto.store import CodebookVersion, CodeRevision, current_project

HISTORY_COLUMNS = ["version", "published", "author", "message", "codes"]


def codebook_history(session: Session) -> pd.DataFrame:
    """One row per published version, oldest first: number, time, author, message, active codes.

    Codes are counted by the database, not loaded: a 100,000-code history stays quick.
    """
    project = current_project(session)
    versions = session.scalars(
        select(CodebookVersion)
        .options(joinedload(CodebookVersion.author))
        .where(CodebookVersion.project_id == project.id, CodebookVersion.number > 0)
        .order_by(CodebookVersion.number)
    ).unique()
    active = dict(
        session.execute(
            select(CodeRevision.version_id, func.count())
            .where(CodeRevision.status == "active")
            .group_by(CodeRevision.version_id)
        ).all()
    )
    rows = [
        {
            "version": v.number,
            "published": v.created_at,
            "author": v.author.name if v.author else "",
            "message": v.message,
            "codes": active.get(v.id, 0),
        }
        for v in versions
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)

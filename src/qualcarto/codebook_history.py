# SPDX-License-Identifier: MIT
"""The codebook's version history as a table, for the app and notebooks."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qualcarto.store import CodebookVersion, current_project

HISTORY_COLUMNS = ["version", "published", "author", "message", "codes"]


def codebook_history(session: Session) -> pd.DataFrame:
    """One row per published version, oldest first: number, time, author, message, active codes."""
    project = current_project(session)
    versions = session.scalars(
        select(CodebookVersion)
        .options(joinedload(CodebookVersion.author), joinedload(CodebookVersion.codes))
        .where(CodebookVersion.project_id == project.id)
        .order_by(CodebookVersion.number)
    ).unique()
    rows = [
        {
            "version": v.number,
            "published": v.created_at,
            "author": v.author.name if v.author else "",
            "message": v.message,
            "codes": sum(1 for c in v.codes if c.status == "active"),
        }
        for v in versions
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)

# SPDX-License-Identifier: MIT
"""What a store holds, in numbers: for `qualcarto status` and the app's front page."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import latest_version, version_codebook
from qualcarto.store import Coding, Participant, Transcript, User, current_project


def store_status(session: Session) -> dict[str, Any]:
    """Counts in the machine-readable shape ``qualcarto status --json`` promises."""
    project = current_project(session)
    version = latest_version(session)
    codebook = version_codebook(version) if version else None
    codings: dict[str, int] = {
        name: count
        for name, count in session.execute(
            select(User.name, func.count(Coding.id))
            .join(Coding, Coding.coder_id == User.id)
            .group_by(User.name)
            .order_by(User.name)
        )
    }
    return {
        "project": project.name,
        "transcripts": session.scalar(select(func.count()).select_from(Transcript)) or 0,
        "participants": session.scalar(select(func.count()).select_from(Participant)) or 0,
        "codebook_version": version.number if version else None,
        "codes": sum(1 for c in codebook.codes if c.active) if codebook else 0,
        "codings": codings,
    }


def codebook_summary(session: Session) -> list[str]:
    """Lines describing the current codebook by its facets (themes per facet, map cells)."""
    version = latest_version(session)
    if version is None:
        return ["no codebook published yet"]
    codebook = version_codebook(version)
    leaves = codebook.leaves()
    lines = []
    layout = codebook.settings.get("cartography", {})
    rows, cols, split = layout.get("rows"), layout.get("cols"), layout.get("split")
    for facet, values in codebook.facets.items():
        counts = Counter(c.facets[facet] for c in leaves if facet in c.facets)
        if not counts or facet in (rows, cols):
            continue
        detail = ", ".join(f"{value} {counts[value]}" for value in values if counts[value])
        line = f"{sum(counts.values())} {facet} codes ({detail})"
        if facet == split and rows and cols:
            cells = {(c.facets.get(rows), c.facets.get(cols)) for c in leaves if facet in c.facets}
            line += f" in {len(cells)} non-empty {cols} x {rows} cells"
        lines.append(line)
    return lines

# SPDX-License-Identifier: MIT
"""The study a store holds: started once, by ``qualcarto init``, the demo, an import or a test."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ConflictError, ValidationError
from qualcarto.store import Project


def create_study(
    session: Session, name: str = "study", description: str = "", *, store: str = "the store"
) -> Project:
    """Start the study ``name`` in an empty store; a store holds one study, so a second is refused.

    ``store`` names the store in the refusal (its path or URL), so the message says which.
    """
    if not name.strip():
        raise ValidationError("a study needs a name")
    existing = session.scalars(select(Project.name).limit(1)).first()
    if existing is not None:
        raise ConflictError(f"{store}: already holds a study ('{existing}')")
    project = Project(name=name, description=description)
    session.add(project)
    session.flush()
    return project

# SPDX-License-Identifier: MIT
"""The study a store holds: started once, by ``qualcarto init``, the demo, an import or a test."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ConflictError, ValidationError
from qualcarto.store import Project, current_project, record


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


def describe_study(
    session: Session,
    name: str | None = None,
    description: str | None = None,
    *,
    actor: str = "system",
) -> Project:
    """Rename the study or change its description (None leaves a field as it is); audited.

    A name longer than the store keeps (200 characters) is cut there, as an import of
    another tool's project name needs.
    """
    study = current_project(session)
    before = {"name": study.name, "description": study.description}
    if name is not None:
        if not name.strip():
            raise ValidationError("a study needs a name")
        study.name = name.strip()[:200]
    if description is not None:
        study.description = description
    after = {"name": study.name, "description": study.description}
    if after != before:
        session.flush()
        record(session, actor, "study.describe", "project", study.id, before=before, after=after)
    return study

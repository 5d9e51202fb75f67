# SPDX-License-Identifier: MIT
"""Study settings, and the one they exist for first: whether the study is blind.

Blind double coding is the default: until the lead opens the study, a coder sees only
their own codings (``visible_coders``). Settings live in ``study_settings``; only a lead
changes one, and the audit log keeps the old and the new value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.store import StudySetting, current_project, record
from qualcarto.store.models import utcnow
from qualcarto.users import get_user, require_lead

BLIND = "blind"


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    """A study setting's value, or ``default`` when it was never set."""
    project = current_project(session)
    found = session.scalars(
        select(StudySetting).where(StudySetting.project_id == project.id, StudySetting.key == key)
    ).first()
    return default if found is None else found.value


def set_setting(session: Session, key: str, value: Any, actor: str) -> None:
    """Set a study setting as a lead; the audit log keeps the old and the new value."""
    require_lead(session, actor)
    project = current_project(session)
    found = session.scalars(
        select(StudySetting).where(StudySetting.project_id == project.id, StudySetting.key == key)
    ).first()
    before = None if found is None else found.value
    if found is None:
        found = StudySetting(project_id=project.id, key=key)
        session.add(found)
    found.value = value
    found.updated_at = utcnow()
    session.flush()
    record(session, actor, "setting.set", "study_setting", key, before=before, after=value)


def is_blind(session: Session) -> bool:
    """True while coders must not see each other's codings (the default)."""
    return bool(get_setting(session, BLIND, True))


def set_blind(session: Session, blind: bool, actor: str) -> None:
    """Close (blind) or open the study; only a lead may."""
    require_lead(session, actor)
    set_setting(session, BLIND, bool(blind), actor)


def visible_coders(session: Session, viewer: str) -> list[str] | None:
    """Whose codings ``viewer`` may see: None for everyone, else a list of coder names.

    A lead sees everything. While the study is blind (the default) a coder sees only
    their own codings; once the lead opens the study, everyone's.
    """
    user = get_user(session, viewer)
    if user.role == "lead" or not is_blind(session):
        return None
    return [user.name]

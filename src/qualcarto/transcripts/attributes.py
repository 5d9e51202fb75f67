# SPDX-License-Identifier: MIT
"""Participants and their typed attributes.

An attribute's type (Text, Boolean, Integer, Float, Date, DateTime: REFI-QDA's
variable types) is declared once per study; values are stored as JSON of that type,
dates as ISO text. Setting a participant's attributes replaces them, whether they come
from a participants csv or from a REFI-QDA case.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ValidationError
from qualcarto.store import AttributeDefinition, Participant, current_project, record

KINDS = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


def typed_value(kind: str, raw: str) -> Any:
    """``raw`` as a value of ``kind``; a ValidationError when it is not one."""
    text = raw.strip()
    try:
        if kind == "Boolean":
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "1")
        if kind == "Integer":
            return int(text)
        if kind == "Float":
            return float(text)
        if kind == "Date":
            return date.fromisoformat(text[:10]).isoformat()
        if kind == "DateTime":
            return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError as exc:
        raise ValidationError(f"'{raw}' is not a {kind} value") from exc
    return text


def define_attribute(
    session: Session, name: str, kind: str = "Text", description: str = "", *, actor: str = "system"
) -> AttributeDefinition:
    """Declare (or re-declare) an attribute's type; audited when anything changes."""
    if kind not in KINDS:
        raise ValidationError(f"attribute type '{kind}' is not one of {KINDS}")
    project = current_project(session)
    found = session.scalars(
        select(AttributeDefinition).where(
            AttributeDefinition.project_id == project.id, AttributeDefinition.name == name
        )
    ).first()
    if (
        found is not None
        and found.kind == kind
        and (found.description == description or not description)
    ):
        return found
    if found is None:
        found = AttributeDefinition(project_id=project.id, name=name[:100])
        session.add(found)
    found.kind, found.description = kind, description or found.description or ""
    session.flush()
    record(session, actor, "attribute.define", "attribute", name, kind=kind)
    return found


def attribute_types(session: Session) -> dict[str, str]:
    """Attribute name -> declared type (undeclared attributes are Text)."""
    project = current_project(session)
    return dict(
        session.execute(
            select(AttributeDefinition.name, AttributeDefinition.kind).where(
                AttributeDefinition.project_id == project.id
            )
        ).all()
    )


def set_participants(
    session: Session, attributes: dict[str, dict[str, Any]], *, actor: str = "system"
) -> dict[str, Participant]:
    """Create or update participants by key, replacing their attributes; one audit entry."""
    project = current_project(session)
    existing = {
        p.key: p
        for p in session.scalars(select(Participant).where(Participant.project_id == project.id))
    }
    changed = []
    for key, attrs in attributes.items():
        if key not in existing:
            existing[key] = Participant(project_id=project.id, key=key, attributes={})
            session.add(existing[key])
        if existing[key].attributes != attrs or existing[key].id is None:
            existing[key].attributes = dict(attrs)
            changed.append(key)
    session.flush()
    if changed:
        record(session, actor, "participant.set", "participant", "", keys=sorted(changed))
    return existing

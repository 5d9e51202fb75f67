# SPDX-License-Identifier: MIT
"""The audit trail: every service that changes the store records what it did here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcarto.store.models import AuditEvent


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: object = "",
    **payload: Any,
) -> None:
    """Append one event in the caller's transaction, so it commits or rolls back with the change."""
    session.add(
        AuditEvent(
            actor=actor, action=action, entity=entity, entity_id=str(entity_id), payload=payload
        )
    )

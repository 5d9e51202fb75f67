# SPDX-License-Identifier: MIT
"""The store: SQLAlchemy models, one way to connect, Alembic migrations, the audit log."""

from qualcarto.store.audit import record
from qualcarto.store.engine import (
    ReadOnlyError,
    connect,
    current_project,
    open_session,
    read_scope,
    session_scope,
)
from qualcarto.store.models import (
    AuditEvent,
    Base,
    CodebookVersion,
    CodeRevision,
    Coding,
    CodingFlag,
    MediaFile,
    Memo,
    Participant,
    Project,
    Review,
    Segment,
    Transcript,
    Turn,
    User,
)
from qualcarto.store.workflow import (
    Assignment,
    AuthSession,
    ReconciliationDecision,
    StudySetting,
)

__all__ = [
    "Assignment",
    "AuditEvent",
    "AuthSession",
    "Base",
    "CodeRevision",
    "CodebookVersion",
    "Coding",
    "CodingFlag",
    "MediaFile",
    "Memo",
    "Participant",
    "Project",
    "ReadOnlyError",
    "ReconciliationDecision",
    "Review",
    "Segment",
    "StudySetting",
    "Transcript",
    "Turn",
    "User",
    "connect",
    "current_project",
    "open_session",
    "read_scope",
    "record",
    "session_scope",
]

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
    AttributeDefinition,
    AuditEvent,
    Base,
    CodebookVersion,
    CodeRevision,
    Coding,
    Memo,
    Participant,
    Project,
    Review,
    Segment,
    Transcript,
    TranscriptGroup,
    TranscriptGroupMember,
    Turn,
    User,
)
from qualcarto.store.workflow import (
    Assignment,
    AuthSession,
    CodingRound,
    ReconciliationDecision,
    StudySetting,
)

__all__ = [
    "Assignment",
    "AttributeDefinition",
    "AuditEvent",
    "AuthSession",
    "Base",
    "CodeRevision",
    "CodebookVersion",
    "Coding",
    "CodingRound",
    "Memo",
    "Participant",
    "Project",
    "ReadOnlyError",
    "ReconciliationDecision",
    "Review",
    "Segment",
    "StudySetting",
    "Transcript",
    "TranscriptGroup",
    "TranscriptGroupMember",
    "Turn",
    "User",
    "connect",
    "current_project",
    "open_session",
    "read_scope",
    "record",
    "session_scope",
]

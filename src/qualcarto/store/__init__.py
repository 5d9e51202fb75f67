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
from qualcarto.store.grouping import AttributeDefinition, TranscriptGroup, TranscriptGroupMember
from qualcarto.store.models import (
    AuditEvent,
    Base,
    CodebookVersion,
    CodeRevision,
    Coding,
    CodingFlag,
    Import,
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
from qualcarto.store.notebook import MemoLink, SavedQuery
from qualcarto.store.staging import ImportRun, staged_import
from qualcarto.store.workflow import (
    Assignment,
    AuthSession,
    CalibrationResult,
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
    "CalibrationResult",
    "CodeRevision",
    "CodebookVersion",
    "Coding",
    "CodingFlag",
    "CodingRound",
    "Import",
    "ImportRun",
    "MediaFile",
    "Memo",
    "MemoLink",
    "Participant",
    "Project",
    "ReadOnlyError",
    "ReconciliationDecision",
    "Review",
    "SavedQuery",
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
    "staged_import",
]

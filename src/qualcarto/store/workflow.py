# SPDX-License-Identifier: MIT
"""Tables of the team workflow: sign-in sessions and failures, assignments, study settings, reconciliation.

They sit beside ``models.py`` on the same declarative base, so Alembic sees one schema;
``qualcarto.store`` imports this module, which is what registers them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualcarto.store.models import Base, Transcript, User, utcnow


class AuthSession(Base):
    """A signed-in browser: only a SHA-256 of its random token is kept, and it expires."""

    __tablename__ = "auth_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()


class SignInFailure(Base):
    """A failed sign-in, kept in the store so that throttling survives a server restart."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    client: Mapped[str | None] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Assignment(Base):
    """The lead's decision that a person codes (or reviews) a transcript."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("transcript_id", "user_id", "task"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(20), default="code")  # code | review
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transcript: Mapped[Transcript] = relationship()
    user: Mapped[User] = relationship()


class StudySetting(Base):
    """One named setting of a study (e.g. ``blind``), as JSON."""

    __tablename__ = "study_settings"
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReconciliationDecision(Base):
    """How the lead settled one disagreement between two coders, and what went to consensus.

    The coding ids are plain integers, not foreign keys: a coder may later edit or delete
    a coding, and the decision must still say what was decided about.
    """

    __tablename__ = "reconciliation_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    coder_a: Mapped[str] = mapped_column(String(100))
    coder_b: Mapped[str] = mapped_column(String(100))
    coding_a_id: Mapped[int | None] = mapped_column(Integer)
    coding_b_id: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))  # take_a | take_b | both | edit | neither
    consensus_ids: Mapped[list[Any]] = mapped_column(default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CodingRound(Base):
    """A coding round: transcripts coded independently by several coders under one
    codebook version, then reconciled. Coders and transcripts are kept by name, as the
    methods appendix reports them."""

    __tablename__ = "coding_rounds"
    __table_args__ = (UniqueConstraint("project_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    codebook_version: Mapped[int] = mapped_column(Integer)
    coders: Mapped[list[Any]] = mapped_column(default=list)
    transcripts: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CalibrationResult(Base):
    """A coder's calibration against the standard layer on the training transcripts.

    Kept whole (layer, transcripts, threshold, per-code kappas) so the record still says
    what was checked after the standard or the training set changes."""

    __tablename__ = "calibration_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    coder: Mapped[str] = mapped_column(String(100), index=True)
    standard: Mapped[str] = mapped_column(String(100))
    transcripts: Mapped[list[Any]] = mapped_column(default=list)
    measure: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[float] = mapped_column(Float)
    pooled: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    per_code: Mapped[list[Any]] = mapped_column(default=list)
    checked_by: Mapped[str] = mapped_column(String(100))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

# SPDX-License-Identifier: MIT
"""Tables that describe and group a study's material: typed participant attributes and
transcript groups (document sets in REFI-QDA).

They sit beside ``models.py`` on the same declarative base; ``qualcarto.store`` imports
this module, which is what registers them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qualcarto.store.models import Base, Staged, utcnow


class AttributeDefinition(Staged, Base):
    """A participant attribute's declared type (Text, Boolean, Integer, Float, Date, DateTime).

    Values stay in ``Participant.attributes`` as JSON of that type (dates as ISO text).
    """

    __tablename__ = "attribute_definitions"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="Text")
    description: Mapped[str] = mapped_column(Text, default="")


class TranscriptGroup(Staged, Base):
    """A named set of transcripts (a document set), usable as a filter."""

    __tablename__ = "transcript_groups"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranscriptGroupMember(Base):
    """One transcript in one group."""

    __tablename__ = "transcript_group_members"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("transcript_groups.id", ondelete="CASCADE"), primary_key=True
    )
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True, index=True
    )

# SPDX-License-Identifier: MIT
"""Tables of the research notebook: links between memos and the things they name, saved queries.

They sit beside ``models.py`` on the same declarative base; ``qualcarto.store`` imports
this module, which is what registers them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qualcarto.store.models import Base, utcnow


class MemoLink(Base):
    """One ``[[...]]`` link written in a memo, resolved to what it points at.

    ``kind`` is ``span`` (``[[I3:681-801]]``: ``transcript_id``, ``start``, ``end``),
    ``code``, ``memo``, ``transcript`` or ``coding``; ``target`` is the link as written
    inside the brackets, so a link to something deleted later still reads sensibly.
    """

    __tablename__ = "memo_links"
    __table_args__ = (Index("ix_memo_links_kind_target", "kind", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memos.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(300))
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)


class SavedQuery(Base):
    """A named code query, kept with the codebook version it was written under."""

    __tablename__ = "saved_queries"
    __table_args__ = (UniqueConstraint("project_id", "name", "codebook_version_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_versions.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

# SPDX-License-Identifier: MIT
"""The data model: what a study's store holds, as SQLAlchemy 2 ORM classes.

Offsets everywhere are Python ``str`` indices (Unicode code points) into
``Transcript.text``, which is NFC-normalized with ``\\n`` newlines and never changes
once codings exist. Codes are referred to by their stable string id (``code_id``);
what a code meant at a given time lives in ``CodeRevision`` rows of a
``CodebookVersion``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from qualcarto.names import check_file_name, check_name

# A naming convention makes constraint names stable, which SQLite batch migrations need.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The unique index that refuses a second identical coding (migration 0004 creates it).
CODINGS_UNIQUE_INDEX = "uq_codings_span"


def utcnow() -> datetime:
    """The current time in UTC; one clock for every row."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Import(Base):
    """A long import written in batches; its rows stay hidden until ``state`` is ``done``.

    ``pid``, ``host`` and ``heartbeat_at`` tell a running import from one whose process
    died: the rows of a dead one are removed when the store is next opened.
    """

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="running")  # running | done
    host: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Staged:
    """Rows an import adds name it in ``import_id``; reads skip those of unfinished imports
    (``qualcarto.store.staging``)."""

    import_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Project(Base):
    """A study. A store normally holds one."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @validates("name")
    def _valid_name(self, _key: str, value: str) -> str:
        check_name(value, "study name", limit=200)
        return value


class User(Staged, Base):
    """A coder identity. ``kind`` separates people from machine and reference layers."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # coder | lead
    kind: Mapped[str] = mapped_column(String(20), default="human")  # human|machine|reference
    description: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @validates("name")
    def _valid_name(self, _key: str, value: str) -> str:
        check_name(value, "user name", limit=100)
        return value


class Participant(Staged, Base):
    """An interviewee, keyed by the study's own id (e.g. ``I8``), with free attributes."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    @validates("key")
    def _valid_key(self, _key: str, value: str) -> str:
        check_name(value, "participant id", limit=100)
        return value


class Transcript(Staged, Base):
    """One interview's normalized text and where it came from."""

    __tablename__ = "transcripts"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    source_file: Mapped[str] = mapped_column(String(500))
    source_checksum: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participant: Mapped[Participant | None] = relationship()
    turns: Mapped[list[Turn]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan", order_by="Turn.index"
    )
    segments: Mapped[list[Segment]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan", order_by="Segment.index"
    )

    @validates("name")
    def _valid_name(self, _key: str, value: str) -> str:
        # A transcript's name becomes a file name (a layer's <name>.yaml, an export's).
        check_file_name(value, "transcript name")
        return value


class Turn(Base):
    """A speaker turn: ``[start, end)`` of the text, the speaker's words from ``body_start``."""

    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    body_start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Seconds into the transcript's recording, for transcripts made from or synced to media.
    media_start: Mapped[float | None] = mapped_column(Float)
    media_end: Mapped[float | None] = mapped_column(Float)
    transcript: Mapped[Transcript] = relationship(back_populates="turns")


class Segment(Base):
    """A sentence found by spaCy's sentencizer, inside one turn."""

    __tablename__ = "segments"
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)
    turn_index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    media_start: Mapped[float | None] = mapped_column(Float)
    media_end: Mapped[float | None] = mapped_column(Float)
    transcript: Mapped[Transcript] = relationship(back_populates="segments")


class MediaFile(Staged, Base):
    """A transcript's recording, kept content-addressed in the media folder beside the store.

    The bytes never enter the database: ``sha256`` names the file in the media folder.
    ``timings`` maps the text to the recording as ``[start, end, seconds_from, seconds_to]``
    rows (one per word for a local transcription, one per caption for .vtt/.srt), sorted.
    """

    __tablename__ = "media_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    suffix: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))  # audio | video
    duration: Mapped[float] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")  # how the text was made
    timings: Mapped[list[Any]] = mapped_column(default=list)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CodebookVersion(Staged, Base):
    """One published state of the codebook; numbers count up from 1 per project."""

    __tablename__ = "codebook_versions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source_file: Mapped[str] = mapped_column(String(500), default="")
    facets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()
    codes: Mapped[list[CodeRevision]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="CodeRevision.position"
    )


class CodeRevision(Base):
    """A code as it stands in one codebook version."""

    __tablename__ = "code_revisions"
    __table_args__ = (UniqueConstraint("version_id", "code_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("codebook_versions.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    parent: Mapped[str | None] = mapped_column(String(100))
    definition: Mapped[str] = mapped_column(Text, default="")
    include: Mapped[str] = mapped_column(Text, default="")
    exclude: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str | None] = mapped_column(String(7))
    facets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="active")
    merged_into: Mapped[str | None] = mapped_column(String(100))
    split_from: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[CodebookVersion] = relationship(back_populates="codes")


class Coding(Staged, Base):
    """A coder's claim that ``text[start:end]`` of a transcript is an instance of a code.

    ``codebook_version_id`` is the version the coding was made under and never changes;
    ``code_id`` follows merges and splits, and ``original_code_id`` keeps what the coder
    first chose. ``row_version`` counts edits for optimistic concurrency.
    """

    __tablename__ = "codings"
    # One coder codes one span with one code once: a second copy would inflate every count.
    __table_args__ = (
        Index(
            CODINGS_UNIQUE_INDEX,
            "transcript_id",
            "coder_id",
            "start",
            "end",
            "code_id",
            unique=True,
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="RESTRICT"), index=True
    )
    coder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_id: Mapped[str] = mapped_column(String(100), index=True)
    original_code_id: Mapped[str] = mapped_column(String(100))
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_versions.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    memo: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    transcript: Mapped[Transcript] = relationship()
    coder: Mapped[User] = relationship()
    codebook_version: Mapped[CodebookVersion] = relationship()


class CodingFlag(Base):
    """A coding set aside for a lead's review, e.g. because a correction deleted its text."""

    __tablename__ = "coding_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Review(Base):
    """A second coder's decision on a coding: accept, reject or comment."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(ForeignKey("codings.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Memo(Staged, Base):
    """A memo on a transcript, a code, a coding, a participant or the whole study.

    ``subject`` says which: ``transcript`` (``transcript_id``; one memo per author and
    transcript), ``code`` (``code_id``), ``coding`` (``coding_id``), ``participant``
    (``participant_id``) or ``project`` (a study-level note or journal; ``title`` names it).
    ``[[...]]`` links in ``text`` are kept in ``memo_links`` (``qualcarto.memos``).
    ``row_version`` counts edits for optimistic concurrency, as on codings.
    """

    __tablename__ = "memos"
    __table_args__ = (UniqueConstraint("transcript_id", "author_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    subject: Mapped[str] = mapped_column(
        String(20), default="transcript", server_default="transcript"
    )
    code_id: Mapped[str | None] = mapped_column(String(100), index=True)
    coding_id: Mapped[int | None] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class AuditEvent(Staged, Base):
    """Append-only trail of every change: who, when, what, as JSON."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50), index=True)
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)

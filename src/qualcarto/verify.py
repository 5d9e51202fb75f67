# SPDX-License-Identifier: MIT
"""Integrity checks of a whole store: report every problem, change nothing.

What the data model promises (``docs/data-model.md``) is checked row by row: each
transcript's text still matches its checksum and length and is NFC with ``\\n``
newlines; turns, sentences and codings lie inside their text; each coding's stored
excerpt equals ``text[start:end]``; the code a coding was made with exists in the
codebook version it names, and its current code in the newest version. On SQLite the
file itself is checked too (``PRAGMA integrity_check`` and ``foreign_key_check``).
Corruption comes from outside qualcarto (a disk, a hand-edited database, a bad
restore), so nothing here trusts the ORM's relationships: plain column reads only.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from qualcarto.store.backup import sqlite_file_problem
from qualcarto.store.engine import connect, open_session, sqlite_path
from qualcarto.store.migrate import current_revision, head_revision
from qualcarto.store.models import (
    CodebookVersion,
    CodeRevision,
    Coding,
    Segment,
    Transcript,
    Turn,
)
from qualcarto.store.staging import ALL_ROWS, abandoned_imports


@dataclass(frozen=True)
class Problem:
    """One broken promise: which check, where, and what is wrong."""

    check: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail} [{self.check}]"


def verify_url(url: str) -> tuple[list[Problem], dict[str, int]]:
    """Every problem of the store at ``url`` and, when sound, how much was checked.

    A SQLite file is first checked as a file, without the ORM: a truncated, cut or
    overwritten file is reported as one problem rather than failing halfway through.
    """
    path = sqlite_path(url)
    if path is not None and path.exists():
        problem = sqlite_file_problem(path)
        if problem is not None:
            return [Problem("sqlite-file", str(path), problem)], {}
    engine = connect(url, upgrade=False)
    session = open_session(engine)
    session.info[ALL_ROWS] = True  # rows of an unfinished import are checked too
    try:
        problems = verify_store(session)
        return problems, ({} if problems else count_checked(session))
    except DatabaseError as exc:
        return [Problem("database", "store", f"could not be read: {exc.orig}")], {}
    finally:
        session.rollback()
        session.close()
        engine.dispose()


def verify_store(session: Session) -> list[Problem]:
    """Every integrity problem in the store, in a stable order; an empty list means sound."""
    problems = _schema(session)
    if problems:
        return problems  # the models below describe the head schema only
    if session.get_bind().dialect.name == "sqlite":
        problems += _sqlite_file(session)
    texts = dict(session.execute(select(Transcript.id, Transcript.text)).all())
    problems += _abandoned_imports(session)
    problems += _transcripts(session)
    problems += _turns_and_segments(session, texts)
    problems += _codings(session, texts)
    return problems


def _schema(session: Session) -> list[Problem]:
    revision, head = current_revision(session.connection()), head_revision()
    if revision == head:
        return []
    return [Problem("schema", "store", f"schema is at revision {revision}, expected {head}")]


def _abandoned_imports(session: Session) -> list[Problem]:
    return [
        Problem(
            "unfinished-import",
            f"import {row.id} of {row.source}",
            "its process is gone; its hidden rows are removed when the store is next "
            "opened by any other command",
        )
        for row in abandoned_imports(session)
    ]


def _sqlite_file(session: Session) -> list[Problem]:
    conn = session.connection()
    found = [
        Problem("sqlite-integrity", "database file", str(row[0]))
        for row in conn.exec_driver_sql("PRAGMA integrity_check")
        if row[0] != "ok"
    ]
    found += [
        Problem("foreign-key", f"{row[0]} row {row[1]}", f"points to a missing {row[2]} row")
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check")
    ]
    return found


def _transcripts(session: Session) -> list[Problem]:
    found: list[Problem] = []
    rows = session.execute(
        select(
            Transcript.id, Transcript.name, Transcript.text, Transcript.length, Transcript.checksum
        )
    )
    for row in rows:
        where = f"transcript {row.name}"
        if row.length != len(row.text):
            found.append(
                Problem(
                    "transcript-length", where, f"length {row.length} but text has {len(row.text)}"
                )
            )
        if hashlib.sha256(row.text.encode("utf-8")).hexdigest() != row.checksum:
            found.append(Problem("transcript-checksum", where, "text does not match its checksum"))
        if "\r" in row.text or unicodedata.normalize("NFC", row.text) != row.text:
            found.append(
                Problem("transcript-normalized", where, "text is not NFC with \\n newlines")
            )
    return found


def _inside(start: int, end: int, length: int, *, empty_ok: bool = False) -> bool:
    return 0 <= start <= end <= length and (empty_ok or start < end)


def _turns_and_segments(session: Session, texts: dict[int, str]) -> list[Problem]:
    found: list[Problem] = []
    names = dict(session.execute(select(Transcript.id, Transcript.name)).all())
    turns: dict[tuple[int, int], tuple[int, int]] = {}
    turn_rows = session.execute(
        select(Turn.transcript_id, Turn.index, Turn.start, Turn.body_start, Turn.end)
    )
    for doc, number, start, body_start, end in turn_rows:
        turns[(doc, number)] = (start, end)
        length = len(texts[doc])
        if not (_inside(start, end, length, empty_ok=True) and start <= body_start <= end):
            found.append(
                Problem(
                    "turn-offsets",
                    f"transcript {names[doc]} turn {number}",
                    f"{start}/{body_start}-{end} is not inside 0-{length}",
                )
            )
    segment_rows = session.execute(
        select(Segment.transcript_id, Segment.index, Segment.turn_index, Segment.start, Segment.end)
    )
    for doc, number, turn_index, start, end in segment_rows:
        where = f"transcript {names[doc]} sentence {number}"
        length = len(texts[doc])
        turn_span = turns.get((doc, turn_index))
        if not _inside(start, end, length):
            found.append(
                Problem("segment-offsets", where, f"{start}-{end} is not inside 0-{length}")
            )
        elif turn_span is None or not turn_span[0] <= start <= end <= turn_span[1]:
            found.append(Problem("segment-offsets", where, f"is not inside its turn {turn_index}"))
    return found


def _codings(session: Session, texts: dict[int, str]) -> list[Problem]:
    found: list[Problem] = []
    names = dict(session.execute(select(Transcript.id, Transcript.name)).all())
    codes_in: dict[int, set[str]] = defaultdict(set)
    for version_id, code_id in session.execute(
        select(CodeRevision.version_id, CodeRevision.code_id)
    ).all():
        codes_in[version_id].add(code_id)
    numbers = dict(session.execute(select(CodebookVersion.id, CodebookVersion.number)).all())
    newest = session.scalar(
        select(CodebookVersion.id).order_by(CodebookVersion.number.desc()).limit(1)
    )
    rows = session.execute(
        select(
            Coding.id,
            Coding.transcript_id,
            Coding.start,
            Coding.end,
            Coding.text,
            Coding.code_id,
            Coding.original_code_id,
            Coding.codebook_version_id,
        ).order_by(Coding.id)
    )
    for row in rows:
        where = f"coding {row.id} (transcript {names.get(row.transcript_id, row.transcript_id)})"
        body = texts.get(row.transcript_id)
        if body is not None and not _inside(row.start, row.end, len(body)):
            found.append(
                Problem(
                    "coding-offsets", where, f"{row.start}-{row.end} is not inside 0-{len(body)}"
                )
            )
        elif body is not None and body[row.start : row.end] != row.text:
            found.append(
                Problem(
                    "coding-excerpt", where, f"excerpt differs from text[{row.start}:{row.end}]"
                )
            )
        number = numbers.get(row.codebook_version_id)
        if number is None:
            found.append(
                Problem(
                    "coding-code",
                    where,
                    f"codebook version id {row.codebook_version_id} is missing",
                )
            )
        elif row.original_code_id not in codes_in[row.codebook_version_id]:
            found.append(
                Problem(
                    "coding-code",
                    where,
                    f"code '{row.original_code_id}' is not in codebook version {number}",
                )
            )
        if newest is not None and row.code_id not in codes_in[newest]:
            found.append(
                Problem(
                    "coding-code",
                    where,
                    f"code '{row.code_id}' is not in the newest codebook version {numbers[newest]}",
                )
            )
    return found


def count_checked(session: Session) -> dict[str, int]:
    """How many rows of each kind a verify run looked at (for its summary line)."""
    return {
        "transcripts": session.scalar(select(func.count()).select_from(Transcript)) or 0,
        "codings": session.scalar(select(func.count()).select_from(Coding)) or 0,
        "sentences": session.scalar(select(func.count()).select_from(Segment)) or 0,
    }

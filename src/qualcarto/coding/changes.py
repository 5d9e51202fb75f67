# SPDX-License-Identifier: MIT
"""One coding at a time: add, edit, delete, undo, and many spans with one code.

Plain values in, the caller's transaction, ownership and row-version checks, and an audit
entry per change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from qualcarto.coding.rules import (
    active_code,
    check_span,
    duplicate_error,
    flush_refusing_duplicates,
    refuse_duplicate,
)
from qualcarto.duplicates import find_duplicate
from qualcarto.errors import ConflictError, NotFoundError, ValidationError
from qualcarto.store import Coding, record
from qualcarto.store.models import utcnow
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user


def add_coding(
    session: Session,
    transcript: str | int,
    start: int,
    end: int,
    code_id: str,
    coder: str,
    memo: str = "",
    *,
    origin: str = "manual",
) -> Coding:
    """Code ``text[start:end]`` of a transcript with an active code, as ``coder``.

    By hand (``origin="manual"``) only a leaf code may be applied; see ``active_code``.
    """
    doc = get_transcript(session, transcript)
    user = get_user(session, coder)
    check_span(doc, start, end)
    version_id, _ = active_code(session, code_id, by_hand=origin == "manual")
    refuse_duplicate(session, doc, user, start, end, code_id)
    coding = Coding(
        transcript_id=doc.id,
        coder_id=user.id,
        code_id=code_id,
        original_code_id=code_id,
        codebook_version_id=version_id,
        start=start,
        end=end,
        text=doc.text[start:end],
        memo=memo,
        origin=origin,
    )
    session.add(coding)
    flush_refusing_duplicates(session, duplicate_error(doc, coder, start, end, code_id, None))
    record(
        session,
        coder,
        "coding.add",
        "coding",
        coding.id,
        transcript=doc.name,
        code=code_id,
        start=start,
        end=end,
        origin=origin,
    )
    return coding


def _own_coding(
    session: Session, coding_id: int, coder: str, expected_version: int | None
) -> Coding:
    coding = session.get(Coding, coding_id)
    if coding is None:
        raise NotFoundError(f"coding {coding_id} does not exist")
    if coding.coder.name != coder:
        raise ValidationError(f"coding {coding_id} belongs to '{coding.coder.name}', not '{coder}'")
    if expected_version is not None and coding.row_version != expected_version:
        raise ConflictError(
            f"coding {coding_id} was changed meanwhile (version {coding.row_version}, "
            f"you edited version {expected_version}); reload and try again"
        )
    return coding


def edit_coding(
    session: Session,
    coding_id: int,
    coder: str,
    *,
    start: int | None = None,
    end: int | None = None,
    code_id: str | None = None,
    memo: str | None = None,
    expected_version: int | None = None,
) -> Coding:
    """Change a coding's span, code or memo; only its own coder may, and not over a newer edit."""
    coding = _own_coding(session, coding_id, coder, expected_version)
    before = _snapshot(coding)
    new_start = coding.start if start is None else start
    new_end = coding.end if end is None else end
    check_span(coding.transcript, new_start, new_end)
    new_code = coding.code_id if code_id is None else code_id
    if new_code != coding.code_id:
        active_code(session, new_code)
    refuse_duplicate(
        session, coding.transcript, coding.coder, new_start, new_end, new_code, besides=coding.id
    )
    coding.code_id = new_code
    coding.start, coding.end = new_start, new_end
    coding.text = coding.transcript.text[new_start:new_end]
    if memo is not None:
        coding.memo = memo
    coding.row_version += 1
    coding.updated_at = utcnow()
    flush_refusing_duplicates(
        session, duplicate_error(coding.transcript, coder, new_start, new_end, new_code, None)
    )
    record(
        session, coder, "coding.edit", "coding", coding.id, before=before, after=_snapshot(coding)
    )
    return coding


@dataclass
class CodedSpans:
    """What ``code_spans`` did: the codings it made and the spans it left alone."""

    made: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)


def code_spans(
    session: Session,
    spans: Iterable[tuple[str | int, int, int]],
    code_id: str,
    coder: str,
    *,
    origin: str = "manual",
) -> CodedSpans:
    """Code many ``(transcript, start, end)`` spans with one code in the caller's transaction.

    A span ``coder`` already coded with ``code_id`` (or listed twice) is skipped and
    reported in ``duplicates``; any other problem (a span outside its transcript, a
    retired code) raises, and the caller's transaction rolls all of it back.
    """
    user = get_user(session, coder)
    result = CodedSpans()
    seen: set[tuple[int, int, int]] = set()
    for transcript, start, end in spans:
        doc = get_transcript(session, transcript)
        key = (doc.id, start, end)
        if key in seen or find_duplicate(session, doc.id, user.id, start, end, code_id):
            result.duplicates.append((doc.name, start, end))
            continue
        seen.add(key)
        result.made.append(
            add_coding(session, doc.id, start, end, code_id, coder, origin=origin).id
        )
    record(
        session,
        coder,
        "coding.add_many",
        "code",
        code_id,
        made=result.made,
        duplicates=[list(d) for d in result.duplicates],
    )
    return result


def delete_coding(
    session: Session, coding_id: int, coder: str, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Delete a coding; the audit log keeps all of it, so the deletion can be undone."""
    coding = _own_coding(session, coding_id, coder, expected_version)
    snapshot = _snapshot(coding)
    session.delete(coding)
    session.flush()
    record(session, coder, "coding.delete", "coding", coding_id, before=snapshot)
    return snapshot


def coding_snapshot(session: Session, coding_id: int) -> dict[str, Any]:
    """A coding's transcript, code, span, memo and version now: what an undo restores."""
    coding = session.get(Coding, coding_id)
    if coding is None:
        raise NotFoundError(f"coding {coding_id} does not exist")
    return _snapshot(coding)


def _snapshot(coding: Coding) -> dict[str, Any]:
    return {
        "transcript_id": coding.transcript_id,
        "code_id": coding.code_id,
        "start": coding.start,
        "end": coding.end,
        "memo": coding.memo,
        "origin": coding.origin,
        "row_version": coding.row_version,
    }


def restore_coding(session: Session, snapshot: dict[str, Any], coder: str) -> Coding:
    """Bring back a deleted coding from the snapshot ``delete_coding`` returned (undo)."""
    coding = add_coding(
        session,
        int(snapshot["transcript_id"]),
        int(snapshot["start"]),
        int(snapshot["end"]),
        str(snapshot["code_id"]),
        coder,
        str(snapshot.get("memo") or ""),
        origin=str(snapshot.get("origin") or "manual"),
    )
    record(session, coder, "coding.restore", "coding", coding.id, before=snapshot)
    return coding

# SPDX-License-Identifier: MIT
"""Codings: add, edit, delete and list them, with the rules every caller shares.

The UI and the CLI call these with plain values; none of them runs SQL of its own. A
coding stores its excerpt beside its offsets (Python ``str`` indices into the stored
text), and every change lands in the audit log with the coder who made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import get_version
from qualcarto.duplicates import find_duplicate
from qualcarto.errors import ConflictError, DuplicateCodingError, NotFoundError, ValidationError
from qualcarto.store import (
    CodebookVersion,
    CodeRevision,
    Coding,
    Participant,
    Transcript,
    User,
    record,
)
from qualcarto.store.models import CODINGS_UNIQUE_INDEX, utcnow
from qualcarto.study_settings import visible_coders
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user

CODINGS_COLUMNS = [
    "coding_id",
    "transcript_id",
    "transcript",
    "participant_id",
    "coder",
    "code_id",
    "start",
    "end",
    "text",
    "memo",
    "codebook_version",
    "origin",
    "created_at",
]


def _check_span(transcript: Transcript, start: int, end: int) -> None:
    if not (0 <= start < end <= transcript.length):
        raise ValidationError(
            f"span {start}-{end} is not inside transcript '{transcript.name}' "
            f"(need 0 <= start < end <= {transcript.length})"
        )


def _active_code(
    session: Session, code_id: str, *, by_hand: bool = True
) -> tuple[int, CodeRevision]:
    """The newest version's id and revision of an applicable code.

    A code chosen by hand must also be a leaf: a parent with active children only groups
    them (``Codebook.leaves``), as the app's code picker offers leaves alone. Imports keep
    what another tool or an older codebook coded, so ``by_hand=False`` allows a parent.
    """
    version = get_version(session)
    revision = next((c for c in version.codes if c.code_id == code_id), None)
    if revision is None:
        raise ValidationError(f"code '{code_id}' is not in codebook version {version.number}")
    if revision.status != "active":
        merged = f"; use '{revision.merged_into}'" if revision.merged_into else ""
        raise ValidationError(
            f"code '{code_id}' is {revision.status} in codebook version {version.number}{merged}"
        )
    children = [c.code_id for c in version.codes if c.parent == code_id and c.status == "active"]
    if by_hand and children:
        shown = ", ".join(children[:5]) + (", ..." if len(children) > 5 else "")
        raise ValidationError(
            f"code '{code_id}' groups other codes ({shown}); code with one of them"
        )
    return version.id, revision


def _duplicate_error(
    doc: Transcript, coder: str, start: int, end: int, code_id: str, existing: int | None
) -> DuplicateCodingError:
    which = f" (coding {existing})" if existing is not None else ""
    return DuplicateCodingError(
        f"{doc.name} {start}-{end}: '{coder}' already coded this span with '{code_id}'{which}"
    )


def _refuse_duplicate(
    session: Session,
    doc: Transcript,
    user: User,
    start: int,
    end: int,
    code_id: str,
    besides: int | None = None,
) -> None:
    found = find_duplicate(session, doc.id, user.id, start, end, code_id, besides=besides)
    if found is not None:
        raise _duplicate_error(doc, user.name, start, end, code_id, found.id)


def _flush_refusing_duplicates(session: Session, refusal: DuplicateCodingError) -> None:
    # The check above sees committed rows; two PostgreSQL writers racing past it meet the
    # unique index here, and the loser gets the same message instead of a database error.
    # The message is made beforehand: after a failed flush the session cannot load anything.
    try:
        session.flush()
    except IntegrityError as exc:
        text = str(exc.orig)
        if CODINGS_UNIQUE_INDEX in text or "UNIQUE constraint failed: codings" in text:
            raise refusal from exc
        raise


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

    By hand (``origin="manual"``) only a leaf code may be applied; see ``_active_code``.
    """
    doc = get_transcript(session, transcript)
    user = get_user(session, coder)
    _check_span(doc, start, end)
    version_id, _ = _active_code(session, code_id, by_hand=origin == "manual")
    _refuse_duplicate(session, doc, user, start, end, code_id)
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
    _flush_refusing_duplicates(session, _duplicate_error(doc, coder, start, end, code_id, None))
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
    _check_span(coding.transcript, new_start, new_end)
    new_code = coding.code_id if code_id is None else code_id
    if new_code != coding.code_id:
        _active_code(session, new_code)
    _refuse_duplicate(
        session, coding.transcript, coding.coder, new_start, new_end, new_code, besides=coding.id
    )
    coding.code_id = new_code
    coding.start, coding.end = new_start, new_end
    coding.text = coding.transcript.text[new_start:new_end]
    if memo is not None:
        coding.memo = memo
    coding.row_version += 1
    coding.updated_at = utcnow()
    _flush_refusing_duplicates(
        session, _duplicate_error(coding.transcript, coder, new_start, new_end, new_code, None)
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


def codings_frame(
    session: Session,
    coders: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
    *,
    viewer: str | None = None,
) -> pd.DataFrame:
    """Every coding (optionally of some coders or transcripts) with its excerpt text.

    Columns: ``coding_id, transcript_id, transcript, participant_id, coder, code_id, start,
    end, text, memo, codebook_version, origin, created_at``, sorted by transcript and start.
    With ``viewer``, only the codings that person may see (``visible_coders``).
    """
    if viewer is not None:
        allowed = visible_coders(session, viewer)
        if allowed is not None:
            coders = [c for c in coders if c in allowed] if coders else allowed
            if not coders:
                return pd.DataFrame(columns=CODINGS_COLUMNS)
    # Plain columns, not ORM objects: joining whole transcripts would copy each one's
    # full text once per coding (1,000 codings of a long interview took over a second).
    query = (
        select(
            Coding.id,
            Coding.transcript_id,
            Transcript.name,
            Participant.key,
            User.name,
            Coding.code_id,
            Coding.start,
            Coding.end,
            Coding.text,
            Coding.memo,
            CodebookVersion.number,
            Coding.origin,
            Coding.created_at,
        )
        .join(User, Coding.coder_id == User.id)
        .join(Transcript, Coding.transcript_id == Transcript.id)
        .outerjoin(Participant, Transcript.participant_id == Participant.id)
        .join(CodebookVersion, Coding.codebook_version_id == CodebookVersion.id)
        .order_by(Transcript.name, Coding.start, Coding.end, Coding.id)
    )
    if coders:
        query = query.where(User.name.in_(list(coders)))
    if transcripts:
        query = query.where(Transcript.name.in_(list(transcripts)))
    rows = [tuple(row) for row in session.execute(query)]
    return pd.DataFrame(rows, columns=CODINGS_COLUMNS)


def code_counts(session: Session, coders: Sequence[str]) -> dict[str, int]:
    """How many codings each code has in the whole study, counting only ``coders``' codings."""
    query = (
        select(Coding.code_id, func.count(Coding.id))
        .join(User, Coding.coder_id == User.id)
        .where(User.name.in_(list(coders)))
        .group_by(Coding.code_id)
    )
    return {code_id: int(count) for code_id, count in session.execute(query)}


@dataclass(frozen=True)
class NewCoding:
    """One coding for ``add_codings``: transcript id, span, code, coder name and extras."""

    transcript_id: int
    start: int
    end: int
    code_id: str
    coder: str
    memo: str = ""
    created_at: datetime | None = None
    origin: str | None = None


def add_codings(
    session: Session, rows: Sequence[NewCoding], *, origin: str, actor: str = "system"
) -> int:
    """Add many codings at once (an import): the checks of ``add_coding``, a few queries.

    Every row is checked (span inside its transcript, active code, known coder, no
    duplicate of a stored or an earlier row) before one bulk insert; one audit entry
    lists the count per transcript. Returns the number of codings added.
    """
    if not rows:
        return 0
    version = get_version(session)
    active = {c.code_id: c.status for c in version.codes}
    ids = sorted({r.transcript_id for r in rows})
    docs = {
        tid: (name, length, text)
        for tid, name, length, text in session.execute(
            select(Transcript.id, Transcript.name, Transcript.length, Transcript.text).where(
                Transcript.id.in_(ids)
            )
        )
    }
    users: dict[str, int] = {n: i for n, i in session.execute(select(User.name, User.id))}
    query = select(
        Coding.transcript_id, Coding.coder_id, Coding.start, Coding.end, Coding.code_id
    ).where(Coding.transcript_id.in_(ids))
    seen: set[tuple[int, int, int, int, str]] = {
        (t, c, a, b, k) for t, c, a, b, k in session.execute(query)
    }
    values = []
    for row in rows:
        name, length, text = docs[row.transcript_id]
        if not 0 <= row.start < row.end <= length:
            raise ValidationError(
                f"span {row.start}-{row.end} is not inside transcript '{name}' "
                f"(need 0 <= start < end <= {length})"
            )
        if active.get(row.code_id) != "active":
            raise ValidationError(
                f"code '{row.code_id}' is not active in codebook version {version.number}"
            )
        if row.coder not in users:
            raise NotFoundError(f"no user called '{row.coder}'")
        key = (row.transcript_id, users[row.coder], row.start, row.end, row.code_id)
        if key in seen:
            raise _duplicate_error(
                Transcript(name=name), row.coder, row.start, row.end, row.code_id, None
            )
        seen.add(key)
        moment = row.created_at or utcnow()
        values.append(
            {
                "transcript_id": row.transcript_id,
                "coder_id": users[row.coder],
                "code_id": row.code_id,
                "original_code_id": row.code_id,
                "codebook_version_id": version.id,
                "start": row.start,
                "end": row.end,
                "text": text[row.start : row.end],
                "memo": row.memo,
                "origin": row.origin or origin,
                "row_version": 1,
                "created_at": moment,
                "updated_at": moment,
            }
        )
    session.execute(insert(Coding), values)
    per_transcript: dict[str, int] = {}
    for row in rows:
        name = docs[row.transcript_id][0]
        per_transcript[name] = per_transcript.get(name, 0) + 1
    record(
        session,
        actor,
        "coding.add_many",
        "coding",
        "",
        origin=origin,
        count=len(values),
        transcripts=per_transcript,
    )
    return len(values)

# SPDX-License-Identifier: MIT
"""Many codings at once, for imports: the checks of ``add_coding`` in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import get_version
from qualcarto.coding.rules import duplicate_error
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import Coding, Transcript, User, record
from qualcarto.store.models import utcnow


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
            raise duplicate_error(
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

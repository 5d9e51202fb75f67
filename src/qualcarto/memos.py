# SPDX-License-Identifier: MIT
"""Memos: a coder's notes on a transcript, a code, a participant or the whole study.

A transcript memo is one text per author and transcript (the coding page edits it);
code, participant and study memos are kept per author and title, so a project's
journals stay apart. Writing a text a memo already holds changes nothing, so
importing a file twice adds nothing.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ValidationError
from qualcarto.store import Memo, User, record
from qualcarto.store.models import utcnow

Subject = Literal["transcript", "code", "participant", "project"]
SUBJECTS: tuple[Subject, ...] = ("transcript", "code", "participant", "project")


def add_memo_text(
    session: Session,
    author: User,
    text: str,
    subject: Subject,
    *,
    transcript_id: int | None = None,
    code_id: str | None = None,
    participant_id: int | None = None,
    title: str = "",
    actor: str = "system",
) -> Memo | None:
    """Append ``text`` to ``author``'s memo on the subject (made if missing); audited.

    Returns None when the memo already holds the text.
    """
    text = text.strip()
    if subject not in SUBJECTS:
        raise ValidationError(f"memo subject '{subject}' is not one of {SUBJECTS}")
    target = {"transcript": transcript_id, "code": code_id, "participant": participant_id}
    if subject != "project" and target[subject] is None:
        raise ValidationError(f"a {subject} memo needs its {subject}")
    if not text:
        return None
    query = select(Memo).where(
        Memo.author_id == author.id,
        Memo.subject == subject,
        Memo.transcript_id == transcript_id
        if transcript_id is not None
        else Memo.transcript_id.is_(None),
        Memo.code_id == code_id if code_id is not None else Memo.code_id.is_(None),
        Memo.participant_id == participant_id
        if participant_id is not None
        else Memo.participant_id.is_(None),
    )
    if subject != "transcript":
        query = query.where(Memo.title == title[:300])
    memo = session.scalars(query).first()
    if memo is not None and text in memo.text:
        return None
    if memo is None:
        memo = Memo(
            author_id=author.id,
            subject=subject,
            transcript_id=transcript_id,
            code_id=code_id,
            participant_id=participant_id,
            title=title[:300],
            text="",
        )
        session.add(memo)
    memo.text = "\n\n".join(t for t in (memo.text, text) if t)
    memo.updated_at = utcnow()
    session.flush()
    which = {"transcript": transcript_id, "code": code_id, "participant": participant_id}
    record(
        session,
        actor,
        "memo.add",
        subject,
        str(which.get(subject) or title),
        author=author.name,
        title=title,
    )
    return memo

# SPDX-License-Identifier: MIT
"""Snap a selected span to whole words or whole sentences, and keep transcript memos.

A mouse selection often starts or ends inside a word; coders ask to snap it outward.
Sentences are the spaCy segments stored at import, so snapping agrees with the
segment view and the suggesters.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import ConflictError
from qualcarto.store import Memo, Segment, Transcript, record
from qualcarto.store.models import utcnow
from qualcarto.users import get_user

SNAP_MODES = ("exact", "word", "sentence")


def _is_word(char: str) -> bool:
    # Combining marks belong to the letter before them (e.g. "e" + U+0308).
    return char.isalnum() or char in "_'’-" or (0x300 <= ord(char) <= 0x36F)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding spaces."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and start < len(text) and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    return start, end


def in_context(text: str, start: int, end: int, width: int = 160) -> tuple[str, str, str]:
    """``text[start:end]`` with about ``width`` characters each side, cut at whole words.

    Returns (before, span, after) on one line each: newlines read as spaces, and a cut
    context starts or ends with "…".
    """
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0 and (first := re.search(r"\s", text[left:start])):
        left += first.end()
    if right < len(text) and (spaces := list(re.finditer(r"\s", text[end:right]))):
        right = end + spaces[-1].start()
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return tuple(part.replace("\n", " ") for part in (before, text[start:end], after))  # type: ignore[return-value]


def word_step(text: str, offset: int, step: int) -> int:
    """The next word boundary after ``offset`` (``step`` 1) or before it (``step`` -1).

    Moving right skips spaces and punctuation, then a word, and stops at its end; moving
    left stops at the start of the previous word. Shift+arrow keys grow or shrink a
    selection by these steps.
    """
    if step > 0:
        while offset < len(text) and not _is_word(text[offset]):
            offset += 1
        while offset < len(text) and _is_word(text[offset]):
            offset += 1
        return offset
    while offset > 0 and not _is_word(text[offset - 1]):
        offset -= 1
    while offset > 0 and _is_word(text[offset - 1]):
        offset -= 1
    return offset


def snap_to_sentences(
    session: Session, transcript: Transcript, start: int, end: int
) -> tuple[int, int]:
    """Widen ``[start, end)`` to the stored sentences it touches (unchanged if there are none)."""
    touched = session.execute(
        select(Segment.start, Segment.end).where(
            Segment.transcript_id == transcript.id, Segment.end > start, Segment.start < end
        )
    ).all()
    if not touched:
        return start, end
    return min(start, *(s for s, _ in touched)), max(end, *(e for _, e in touched))


def snap(
    session: Session, transcript: Transcript, start: int, end: int, mode: str
) -> tuple[int, int]:
    """The span a coder meant, by ``mode`` (``exact``, ``word`` or ``sentence``)."""
    if mode == "word":
        return snap_to_words(transcript.text, start, end)
    if mode == "sentence":
        return snap_to_sentences(session, transcript, start, end)
    return start, end


def get_memo(session: Session, transcript: Transcript, author: str) -> str:
    """``author``'s memo on a whole transcript ('' when there is none)."""
    user = get_user(session, author)
    found = session.scalars(
        select(Memo).where(Memo.transcript_id == transcript.id, Memo.author_id == user.id)
    ).first()
    return "" if found is None else found.text


def set_memo(
    session: Session, transcript: Transcript, author: str, text: str, *, expected: str | None = None
) -> None:
    """Write ``author``'s memo on a transcript; the audit log keeps the previous text.

    With ``expected`` (the memo as the writer last saw it), a memo changed meanwhile, say
    in a second browser tab, is not overwritten: ``ConflictError`` says so instead.
    """
    user = get_user(session, author)
    found = session.scalars(
        select(Memo).where(Memo.transcript_id == transcript.id, Memo.author_id == user.id)
    ).first()
    before = "" if found is None else found.text
    if expected is not None and before != expected:
        raise ConflictError(
            f"your memo on {transcript.name} was changed meanwhile (in another tab or window); "
            "copy your text, reload the page and merge the two"
        )
    if found is None:
        found = Memo(transcript_id=transcript.id, author_id=user.id)
        session.add(found)
    else:  # counted, so the notebook's editor holding the old text cannot overwrite this
        found.row_version += 1
    found.text, found.updated_at = text, utcnow()
    session.flush()
    record(session, author, "memo.set", "transcript", transcript.id, before=before, after=text)

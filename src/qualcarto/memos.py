# SPDX-License-Identifier: MIT
"""Memos as a research notebook: on a transcript, a code, a coding, a participant or the study.

``Memo.subject`` names what a memo is about; a ``project`` memo is a study-level note or
journal. A transcript memo is one text per author and transcript (the coding page edits it).
A memo's text may link to what it discusses: ``[[I3:681-801]]`` (a span of a transcript,
Python ``str`` offsets), ``[[code:pre-model-secrecy]]``, ``[[memo:12]]``,
``[[transcript:I3]]`` and ``[[coding:40]]``. Links are parsed on every save into
``memo_links``, so ``qualcarto.backlinks`` can show, wherever a thing is shown, the
memos naming it.

``write_memo`` is the notebook's editor (links checked, a broken one refused);
``add_memo_text`` is the importers' (text appended to the author's memo on the subject,
nothing added twice, links that name nothing here left as text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from qualcarto.codebook.versions import get_version
from qualcarto.errors import ConflictError, NotFoundError, ValidationError
from qualcarto.store import (
    Coding,
    Memo,
    MemoLink,
    Participant,
    Transcript,
    User,
    current_project,
    record,
)
from qualcarto.store.models import utcnow
from qualcarto.study_settings import visible_coders
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user

Subject = Literal["transcript", "code", "coding", "participant", "project"]
SUBJECTS: tuple[Subject, ...] = ("transcript", "code", "coding", "participant", "project")
LINK = re.compile(r"\[\[(?:(code|memo|transcript|coding):)?([^\[\]\n]+?)\]\]")
_SPAN = re.compile(r"^(?P<name>.+):(?P<start>\d+)-(?P<end>\d+)$")
MEMO_COLUMNS = [
    "memo_id",
    "subject",
    "author",
    "title",
    "about",
    "text",
    "updated_at",
    "row_version",
]


@dataclass(frozen=True)
class LinkRef:
    """One ``[[...]]`` link as written: its kind, target and, for a span, its place."""

    kind: str  # span | code | memo | transcript | coding
    target: str
    transcript: str | None = None
    start: int | None = None
    end: int | None = None


def parse_links(text: str) -> list[LinkRef]:
    """Every link in a memo's text, in order; a bare ``[[name:a-b]]`` is a span."""
    links: list[LinkRef] = []
    for match in LINK.finditer(text):
        kind, target = match[1], match[2].strip()
        if kind is None:
            span = _SPAN.match(target)
            if span is None:
                raise ValidationError(
                    f"link [[{target}]]: write [[TRANSCRIPT:START-END]], [[code:ID]], "
                    "[[memo:N]], [[transcript:NAME]] or [[coding:N]]"
                )
            start, end = int(span["start"]), int(span["end"])
            links.append(LinkRef("span", target, span["name"], start, end))
        else:
            links.append(LinkRef(kind, target, target if kind == "transcript" else None))
    return links


def _resolve(session: Session, link: LinkRef) -> MemoLink:
    row = MemoLink(kind=link.kind, target=link.target)
    if link.kind in ("span", "transcript"):
        assert link.transcript is not None
        doc = get_transcript(session, link.transcript)
        row.transcript_id = doc.id
        if link.kind == "span":
            assert link.start is not None and link.end is not None
            if not 0 <= link.start < link.end <= doc.length:
                raise ValidationError(
                    f"link [[{link.target}]]: not inside '{doc.name}' (0-{doc.length})"
                )
            row.start, row.end = link.start, link.end
    elif link.kind == "code":
        if link.target not in {c.code_id for c in get_version(session).codes}:
            raise ValidationError(f"link [[code:{link.target}]]: no such code")
    elif link.kind in ("memo", "coding"):
        model = Memo if link.kind == "memo" else Coding
        if not link.target.isdigit() or session.get(model, int(link.target)) is None:
            raise ValidationError(f"link [[{link.kind}:{link.target}]]: no such {link.kind}")
    return row


def refresh_links(session: Session, memo: Memo, *, strict: bool = True) -> list[MemoLink]:
    """Replace a memo's stored links with those its text holds now.

    Strict (the editor's way) refuses a link naming nothing; otherwise (an import's way)
    only links to spans, transcripts and codes that exist here are kept: memo and coding
    numbers are another store's row ids, and a broken link stays as text.
    """
    session.execute(delete(MemoLink).where(MemoLink.memo_id == memo.id))
    rows = []
    for link in _written_links(memo.text, strict):
        if not strict and link.kind in ("memo", "coding"):
            continue
        try:
            rows.append(_resolve(session, link))
        except (ValidationError, NotFoundError):
            if strict:
                raise
    for row in rows:
        row.memo_id = memo.id
        session.add(row)
    session.flush()
    return rows


def _written_links(text: str, strict: bool) -> list[LinkRef]:
    return parse_links(text) if strict else written_links(text)


def written_links(text: str) -> list[LinkRef]:
    """The well-formed links of a text, in order; a malformed one (imported text) is skipped."""
    found = []
    for match in LINK.finditer(text):
        try:
            found += parse_links(match[0])
        except ValidationError:
            continue
    return found


def write_memo(
    session: Session,
    author: str,
    text: str,
    *,
    subject: Subject = "project",
    title: str = "",
    transcript: str | None = None,
    code_id: str | None = None,
    coding_id: int | None = None,
    participant: str | None = None,
    memo_id: int | None = None,
    expected_version: int | None = None,
) -> Memo:
    """Add a memo (or, with ``memo_id``, rewrite the author's own), links checked and stored.

    A transcript memo is one per author and transcript: writing one again rewrites it.
    ``expected_version`` is the ``row_version`` the editor started from: if the memo was
    saved since (another tab, another device), the write is refused, not lost over it.
    """
    user = get_user(session, author)
    if memo_id is not None:
        memo = session.get(Memo, memo_id)
        if memo is None:
            raise NotFoundError(f"memo {memo_id} does not exist")
        if memo.author_id != user.id:
            raise ValidationError(f"memo {memo_id} is not {author}'s to change")
        if expected_version is not None and memo.row_version != expected_version:
            raise ConflictError(
                f"memo {memo_id} was saved meanwhile (version {memo.row_version}, "
                f"you started from {expected_version}); reload it and edit again"
            )
    else:
        memo = _new_memo(session, user, subject, transcript, code_id, coding_id, participant)
    before = memo.text
    memo.text, memo.title, memo.updated_at = text, title or memo.title, utcnow()
    if memo.id is not None:  # a rewrite: counted, so an editor holding the old one is refused
        memo.row_version += 1
    session.flush()
    links = refresh_links(session, memo)
    record(
        session,
        author,
        "memo.write",
        "memo",
        memo.id,
        subject=memo.subject,
        before=before,
        after=text,
        links=[link.target for link in links],
    )
    return memo


def _new_memo(
    session: Session,
    user: User,
    subject: str,
    transcript: str | None,
    code_id: str | None,
    coding_id: int | None,
    participant: str | None,
) -> Memo:
    if subject not in SUBJECTS:
        raise ValidationError(f"memo subject '{subject}' is not one of {', '.join(SUBJECTS)}")
    memo = Memo(subject=subject, author_id=user.id, text="")
    if subject == "transcript":
        if transcript is None:
            raise ValidationError("a transcript memo names its transcript")
        doc_id = get_transcript(session, transcript).id
        own = select(Memo).where(Memo.transcript_id == doc_id, Memo.author_id == user.id)
        found = session.scalars(own).first()
        if found is not None:
            return found
        memo.transcript_id = doc_id
    elif subject == "code":
        if code_id not in {c.code_id for c in get_version(session).codes}:
            raise ValidationError(f"a code memo names a code of the codebook, not '{code_id}'")
        memo.code_id = code_id
    elif subject == "coding":
        if coding_id is None or session.get(Coding, coding_id) is None:
            raise ValidationError(f"a coding memo names an existing coding, not {coding_id}")
        memo.coding_id = coding_id
    elif subject == "participant":
        memo.participant_id = session.scalars(
            select(Participant.id).where(
                Participant.project_id == current_project(session).id,
                Participant.key == participant,
            )
        ).first()
        if memo.participant_id is None:
            raise ValidationError(f"a participant memo names a participant, not '{participant}'")
    session.add(memo)
    return memo


def _same(column: InstrumentedAttribute[Any], value: object) -> ColumnElement[bool]:
    return column == value if value is not None else column.is_(None)


def add_memo_text(
    session: Session,
    author: User,
    text: str,
    subject: Subject,
    *,
    transcript_id: int | None = None,
    code_id: str | None = None,
    coding_id: int | None = None,
    participant_id: int | None = None,
    title: str = "",
    actor: str = "system",
) -> Memo | None:
    """Append ``text`` to ``author``'s memo on the subject (made if missing); audited.

    Memos other than transcript memos are kept apart by title, so a project's journals
    stay apart. Returns None when the memo already holds the text, so importing a file
    twice adds nothing. Links in the text are stored as far as they name things here.
    """
    text = text.strip()
    if subject not in SUBJECTS:
        raise ValidationError(f"memo subject '{subject}' is not one of {SUBJECTS}")
    target = {
        "transcript": transcript_id,
        "code": code_id,
        "coding": coding_id,
        "participant": participant_id,
    }
    if subject != "project" and target[subject] is None:
        raise ValidationError(f"a {subject} memo needs its {subject}")
    if not text:
        return None
    query = select(Memo).where(
        Memo.author_id == author.id,
        Memo.subject == subject,
        _same(Memo.transcript_id, transcript_id),
        _same(Memo.code_id, code_id),
        _same(Memo.coding_id, coding_id),
        _same(Memo.participant_id, participant_id),
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
            coding_id=coding_id,
            participant_id=participant_id,
            title=title[:300],
            text="",
        )
        session.add(memo)
    memo.text = "\n\n".join(t for t in (memo.text, text) if t)
    memo.updated_at = utcnow()
    if memo.id is not None:
        memo.row_version += 1
    session.flush()
    if "[[" in memo.text:
        refresh_links(session, memo, strict=False)
    record(
        session,
        actor,
        "memo.add",
        subject,
        str(target.get(subject) or title),
        author=author.name,
        title=title,
    )
    return memo


def memos_frame(session: Session, viewer: str | None = None) -> pd.DataFrame:
    """Every memo (only the viewer's own while a study is blind, unless a lead), newest first."""
    query = (
        select(Memo, User.name, Transcript.name, Participant.key)
        .join(User, User.id == Memo.author_id)
        .outerjoin(Transcript, Transcript.id == Memo.transcript_id)
        .outerjoin(Participant, Participant.id == Memo.participant_id)
        .order_by(Memo.updated_at.desc(), Memo.id.desc())
    )
    allowed = visible_coders(session, viewer) if viewer is not None else None
    if allowed is not None:
        query = query.where(User.name.in_(allowed))
    rows = []
    for memo, author, transcript, participant in session.execute(query):
        about = {
            "transcript": transcript,
            "code": memo.code_id,
            "coding": f"coding {memo.coding_id}",
            "participant": participant,
        }.get(memo.subject) or ""
        rows.append(
            (
                memo.id,
                memo.subject,
                author,
                memo.title,
                about,
                memo.text,
                memo.updated_at,
                memo.row_version,
            )
        )
    return pd.DataFrame(rows, columns=MEMO_COLUMNS)


def search_memos(session: Session, words: str, viewer: str | None = None) -> pd.DataFrame:
    """Memos whose title or text holds every word of ``words`` (case does not matter)."""
    frame = memos_frame(session, viewer)
    haystack = (frame["title"] + " " + frame["text"]).str.casefold()
    mask = pd.Series(True, index=frame.index)
    for word in words.casefold().split():
        mask &= haystack.str.contains(word, regex=False)
    return frame[mask].reset_index(drop=True)

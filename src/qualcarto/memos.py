# SPDX-License-Identifier: MIT
"""Memos as a research notebook: memos on codes, codings, transcripts or free, with links.

A memo's text may link to what it discusses: ``[[I3:681-801]]`` (a span of a transcript,
Python ``str`` offsets), ``[[code:pre-model-secrecy]]``, ``[[memo:12]]``,
``[[transcript:I3]]`` and ``[[coding:40]]``. Links are parsed on every save into
``memo_links``, so ``backlinks`` can show, wherever a thing is shown, the memos naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import get_version
from qualcarto.coding import get_transcript, visible_coders
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import Coding, Memo, MemoLink, Transcript, User, record
from qualcarto.store.models import utcnow
from qualcarto.users import get_user

MEMO_KINDS = ("transcript", "code", "coding", "free")
LINK = re.compile(r"\[\[(?:(code|memo|transcript|coding):)?([^\[\]\n]+?)\]\]")
_SPAN = re.compile(r"^(?P<name>.+):(?P<start>\d+)-(?P<end>\d+)$")
MEMO_COLUMNS = ["memo_id", "kind", "author", "title", "about", "text", "updated_at"]


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


def refresh_links(session: Session, memo: Memo) -> list[MemoLink]:
    """Replace a memo's stored links with those its text holds now."""
    session.execute(delete(MemoLink).where(MemoLink.memo_id == memo.id))
    rows = [_resolve(session, link) for link in parse_links(memo.text)]
    for row in rows:
        row.memo_id = memo.id
        session.add(row)
    session.flush()
    return rows


def write_memo(
    session: Session,
    author: str,
    text: str,
    *,
    kind: str = "free",
    title: str = "",
    transcript: str | None = None,
    code_id: str | None = None,
    coding_id: int | None = None,
    memo_id: int | None = None,
) -> Memo:
    """Add a memo (or, with ``memo_id``, rewrite the author's own), links checked and stored."""
    user = get_user(session, author)
    if memo_id is not None:
        memo = session.get(Memo, memo_id)
        if memo is None:
            raise NotFoundError(f"memo {memo_id} does not exist")
        if memo.author_id != user.id:
            raise ValidationError(f"memo {memo_id} is not {author}'s to change")
        before = memo.text
    else:
        memo = _new_memo(session, user, kind, transcript, code_id, coding_id)
        before = ""
    memo.text, memo.title, memo.updated_at = text, title or memo.title, utcnow()
    session.flush()
    links = refresh_links(session, memo)
    targets = [link.target for link in links]
    record(
        session,
        author,
        "memo.write",
        "memo",
        memo.id,
        kind=memo.kind,
        before=before,
        after=text,
        links=targets,
    )
    return memo


def _new_memo(
    session: Session,
    user: User,
    kind: str,
    transcript: str | None,
    code_id: str | None,
    coding_id: int | None,
) -> Memo:
    if kind not in MEMO_KINDS:
        raise ValidationError(f"memo kind '{kind}' is not one of {', '.join(MEMO_KINDS)}")
    memo = Memo(kind=kind, author_id=user.id, text="")
    if kind == "transcript":
        if transcript is None:
            raise ValidationError("a transcript memo names its transcript")
        memo.transcript_id = get_transcript(session, transcript).id
    elif kind == "code":
        if code_id not in {c.code_id for c in get_version(session).codes}:
            raise ValidationError(f"a code memo names a code of the codebook, not '{code_id}'")
        memo.code_id = code_id
    elif kind == "coding":
        if coding_id is None or session.get(Coding, coding_id) is None:
            raise ValidationError(f"a coding memo names an existing coding, not {coding_id}")
        memo.coding_id = coding_id
    session.add(memo)
    return memo


def memos_frame(session: Session, viewer: str | None = None) -> pd.DataFrame:
    """Every memo (only the viewer's own while a study is blind, unless a lead), newest first."""
    query = (
        select(Memo, User.name, Transcript.name)
        .join(User, User.id == Memo.author_id)
        .outerjoin(Transcript, Transcript.id == Memo.transcript_id)
        .order_by(Memo.updated_at.desc(), Memo.id.desc())
    )
    allowed = visible_coders(session, viewer) if viewer is not None else None
    if allowed is not None:
        query = query.where(User.name.in_(allowed))
    rows = []
    for memo, author, transcript in session.execute(query):
        about = {
            "transcript": transcript,
            "code": memo.code_id,
            "coding": f"coding {memo.coding_id}",
            "free": "",
        }.get(memo.kind, "")
        rows.append((memo.id, memo.kind, author, memo.title, about, memo.text, memo.updated_at))
    return pd.DataFrame(rows, columns=MEMO_COLUMNS)


def search_memos(session: Session, words: str, viewer: str | None = None) -> pd.DataFrame:
    """Memos whose title or text holds every word of ``words`` (case does not matter)."""
    frame = memos_frame(session, viewer)
    haystack = (frame["title"] + " " + frame["text"]).str.casefold()
    mask = pd.Series(True, index=frame.index)
    for word in words.casefold().split():
        mask &= haystack.str.contains(word, regex=False)
    return frame[mask].reset_index(drop=True)


def backlinks(
    session: Session,
    *,
    code: str | None = None,
    transcript: str | None = None,
    span: tuple[int, int] | None = None,
    memo: int | None = None,
    coding: int | None = None,
    viewer: str | None = None,
) -> pd.DataFrame:
    """The memos linking to a code, memo, coding, transcript, or span of a transcript.

    For a transcript, links to the transcript and to any span of it count; with ``span``
    only span links overlapping it. A coding counts links to it and to overlapping spans.
    """
    conditions: list[ColumnElement[bool]] = []
    if code is not None:
        conditions.append((MemoLink.kind == "code") & (MemoLink.target == code))
    if memo is not None:
        conditions.append((MemoLink.kind == "memo") & (MemoLink.target == str(memo)))
    if coding is not None:
        found = session.get(Coding, coding)
        if found is None:
            raise NotFoundError(f"coding {coding} does not exist")
        conditions.append((MemoLink.kind == "coding") & (MemoLink.target == str(coding)))
        transcript, span = found.transcript.name, (found.start, found.end)
    if transcript is not None:
        doc = get_transcript(session, transcript)
        in_doc = MemoLink.transcript_id == doc.id
        if span is None:
            conditions.append(in_doc)
        else:
            conditions.append(in_doc & (MemoLink.start < span[1]) & (MemoLink.end > span[0]))
    if not conditions:
        raise ValidationError("name a code, memo, coding or transcript to find backlinks to")
    ids = set(session.scalars(select(MemoLink.memo_id).where(or_(*conditions))))
    frame = memos_frame(session, viewer)
    return frame[frame["memo_id"].isin(ids)].reset_index(drop=True)

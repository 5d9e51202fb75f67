# SPDX-License-Identifier: MIT
"""Memos as a notebook: subjects, links parsed into the link table, backlinks and search.

The study is conftest's: the tiny codebook, transcript P1 with non-ASCII names, ana and ben.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.backlinks import backlinks, code_backlinks
from qualcarto.coding import add_coding
from qualcarto.errors import ConflictError, ValidationError
from qualcarto.exchange import study_data
from qualcarto.exchange.refi_export import write_qdpx
from qualcarto.memos import (
    LinkRef,
    add_memo_text,
    memos_frame,
    parse_links,
    search_memos,
    write_memo,
)
from qualcarto.selection import set_memo
from qualcarto.store import AuditEvent, MemoLink, User
from qualcarto.transcripts import get_transcript
from qualcarto.transcripts.attributes import set_participants


def test_links_are_parsed_in_order_with_spans_placed() -> None:
    text = "See [[P1:10-20]], [[code:access]], [[memo:3]] and [[transcript:P1]]."
    assert parse_links(text) == [
        LinkRef("span", "P1:10-20", "P1", 10, 20),
        LinkRef("code", "access"),
        LinkRef("memo", "3"),
        LinkRef("transcript", "P1", "P1"),
    ]


def test_a_memo_stores_its_links_and_the_linked_things_show_it_back(session: Session) -> None:
    coding = add_coding(session, "P1", 70, 90, "access", "ana")
    first = write_memo(
        session, "ana", "Compute woes in [[P1:75-80]]", subject="code", code_id="access"
    )
    second = write_memo(
        session, "ben", f"Builds on [[memo:{first.id}]] and [[code:docs]]", title="Docs idea"
    )
    stored = session.execute(select(MemoLink.memo_id, MemoLink.kind, MemoLink.target)).all()
    assert sorted(stored) == sorted(
        [
            (first.id, "span", "P1:75-80"),
            (second.id, "memo", str(first.id)),
            (second.id, "code", "docs"),
        ]
    )
    assert list(backlinks(session, coding=coding.id)["memo_id"]) == [first.id]
    assert list(backlinks(session, transcript="P1")["memo_id"]) == [first.id]
    assert list(backlinks(session, transcript="P1", span=(0, 75))["memo_id"]) == []
    assert list(backlinks(session, memo=first.id)["memo_id"]) == [second.id]
    assert list(backlinks(session, code="docs")["memo_id"]) == [second.id]
    assert list(search_memos(session, "DOCS idea")["memo_id"]) == [second.id]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "memo"))
    assert list(actions) == ["memo.write", "memo.write"]


def test_rewriting_a_memo_replaces_its_links(session: Session) -> None:
    memo = write_memo(session, "ana", "[[code:access]]")
    write_memo(session, "ana", "now about [[code:money]]", memo_id=memo.id)
    assert list(backlinks(session, code="access")["memo_id"]) == []
    assert list(backlinks(session, code="money")["memo_id"]) == [memo.id]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[P1:5-99999]]", "link [[P1:5-99999]]: not inside 'P1'"),
        ("[[code:nope]]", "link [[code:nope]]: no such code"),
        ("[[memo:999]]", "link [[memo:999]]: no such memo"),
        ("[[just words]]", "link [[just words]]: write [[TRANSCRIPT:START-END]]"),
    ],
)
def test_a_broken_link_is_refused_with_what_is_wrong(
    session: Session, text: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        write_memo(session, "ana", text)
    assert str(caught.value).startswith(message)


def test_only_the_author_may_rewrite_a_memo(session: Session) -> None:
    memo = write_memo(session, "ana", "mine")
    with pytest.raises(ValidationError, match="not ben's to change"):
        write_memo(session, "ben", "theirs", memo_id=memo.id)


def test_notebook_memos_leave_in_a_refi_project_as_notes_with_their_links(
    session: Session, tmp_path: Path
) -> None:
    add_coding(session, "P1", 70, 90, "access", "ana")
    write_memo(session, "ana", "Free thought on [[P1:75-80]]", title="Cluster")
    write_memo(session, "ben", "Why [[code:docs]] matters", subject="code", code_id="docs")
    path = tmp_path / "study.qdpx"
    write_qdpx(session, study_data(session), path)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    notes = {
        note.get("name"): note.findtext("{*}PlainTextContent") for note in root.iter("{*}Note")
    }
    assert notes["Cluster"] == "Free thought on [[P1:75-80]]"
    assert notes["Memo on code docs"] == "Why [[code:docs]] matters"


def _project(session: Session, tmp_path: Path) -> etree._Element:
    path = tmp_path / "study.qdpx"
    write_qdpx(session, study_data(session), path)
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_every_subject_is_one_memo_and_says_what_it_is_about(session: Session) -> None:
    coding = add_coding(session, "P1", 70, 90, "access", "ana")
    set_participants(session, {"I8": {"organization_type": "Company"}})
    first = write_memo(session, "ana", "first words", subject="transcript", transcript="P1")
    again = write_memo(session, "ana", "rewritten", subject="transcript", transcript="P1")
    write_memo(session, "ana", "on the code", subject="code", code_id="access")
    write_memo(session, "ana", "on the coding", subject="coding", coding_id=coding.id)
    write_memo(session, "ana", "on the person", subject="participant", participant="I8")
    write_memo(session, "ana", "on the study", title="Journal")
    frame = memos_frame(session)
    assert sorted(zip(frame["subject"], frame["about"], frame["text"], strict=True)) == [
        ("code", "access", "on the code"),
        ("coding", f"coding {coding.id}", "on the coding"),
        ("participant", "I8", "on the person"),
        ("project", "", "on the study"),
        ("transcript", "P1", "rewritten"),
    ]
    assert again.id == first.id
    with pytest.raises(ValidationError, match="names a participant, not 'I99'"):
        write_memo(session, "ana", "x", subject="participant", participant="I99")


def test_imported_memo_text_keeps_the_links_that_name_things_here(session: Session) -> None:
    ana = session.scalars(select(User).where(User.name == "ana")).one()
    text = "See [[P1:75-80]], [[code:access]], [[code:gone]], [[memo:1]] and [[odd words]]."
    memo = add_memo_text(session, ana, text, "project", title="Journal")
    assert memo is not None
    stored = session.execute(select(MemoLink.kind, MemoLink.target)).all()
    assert sorted(stored) == [("code", "access"), ("span", "P1:75-80")]
    assert add_memo_text(session, ana, text, "project", title="Journal") is None
    assert list(backlinks(session, code="access")["memo_id"]) == [memo.id]


def test_code_coding_and_study_memos_are_each_one_note_referenced_from_their_subject(
    session: Session, tmp_path: Path
) -> None:
    coding = add_coding(session, "P1", 70, 90, "access", "ana")
    ana = session.scalars(select(User).where(User.name == "ana")).one()
    write_memo(session, "ana", "why access", subject="code", code_id="access")
    write_memo(session, "ben", "why here [[P1:75-80]]", subject="coding", coding_id=coding.id)
    write_memo(session, "ana", "week one", title="Journal")
    add_memo_text(session, ana, "a code since retired", "code", code_id="retired")
    root = _project(session, tmp_path)
    notes = {note.findtext("{*}PlainTextContent"): note for note in root.iter("{*}Note")}
    texts = [note.findtext("{*}PlainTextContent") for note in root.iter("{*}Note")]
    assert len(texts) == len(set(texts))

    def referred_from(element: etree._Element) -> set[str]:
        return {ref.get("targetGUID") for ref in element.findall("{*}NoteRef")}

    code = next(c for c in root.iter("{*}Code") if c.get("name") == "Access to compute")
    coded = next(root.iter("{*}Coding"))
    assert referred_from(code) == {notes["why access"].get("guid")}
    assert referred_from(coded) == {notes["why here [[P1:75-80]]"].get("guid")}
    assert referred_from(root) == {
        notes["week one"].get("guid"),
        notes["a code since retired"].get("guid"),
    }


def test_a_stale_editor_cannot_overwrite_a_newer_memo(session: Session) -> None:
    memo = write_memo(session, "ana", "first [[code:access]]", title="Idea")
    assert memo.row_version == 1
    opened_in_two_tabs = memo.row_version
    write_memo(session, "ana", "second", memo_id=memo.id, expected_version=opened_in_two_tabs)
    assert memo.row_version == 2
    with pytest.raises(ConflictError, match="was saved meanwhile"):
        write_memo(session, "ana", "stale", memo_id=memo.id, expected_version=opened_in_two_tabs)
    assert memo.text == "second"
    assert list(memos_frame(session)["row_version"]) == [2]


def test_the_coding_page_memo_counts_as_an_edit_too(session: Session) -> None:
    memo = write_memo(session, "ana", "from the notebook", subject="transcript", transcript="P1")
    seen = memo.row_version
    set_memo(session, get_transcript(session, "P1"), "ana", "from the coding page")
    with pytest.raises(ConflictError):
        write_memo(session, "ana", "stale", memo_id=memo.id, expected_version=seen)


def test_code_backlinks_gather_every_code_in_one_call(session: Session) -> None:
    one = write_memo(session, "ana", "[[code:access]] and [[code:docs]]")
    two = write_memo(session, "ben", "[[code:docs]] again")
    found = code_backlinks(session)
    assert sorted(found) == ["access", "docs"]
    assert list(found["access"]["memo_id"]) == [one.id]
    assert sorted(found["docs"]["memo_id"]) == sorted([one.id, two.id])
    assert list(code_backlinks(session, viewer="ben")["docs"]["memo_id"]) == [two.id]

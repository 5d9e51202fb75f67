# SPDX-License-Identifier: MIT
"""The codebook document's download and the notebook (memos, links, backlinks) in the app."""

from __future__ import annotations

import pytest

from app_study import app_as, no_errors
from qualcarto.memos import write_memo
from qualcarto.store import Memo, connect, session_scope


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUALCARTO_DB", app_study)
    return app_study


def test_the_codebook_page_prepares_the_document_for_download(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/codebook.py").run())
    at.selectbox(key="doc_format").set_value("html")
    no_errors(at.button(key="doc_prepare").click().run())
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download codebook-v1.html"]


def _write(url: str, author: str, text: str, **where: object) -> int:
    engine = connect(url)
    with session_scope(engine) as session:
        memo_id = write_memo(session, author, text, **where).id  # type: ignore[arg-type]
    engine.dispose()
    return memo_id


def test_a_memo_is_added_found_and_shown_as_plain_text(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    at.selectbox(key="new_subject").set_value("code")
    no_errors(at.run())
    at.selectbox(key="new_about_code").set_value("access")
    at.text_input(key="new_title").input("Queues")
    at.text_area(key="new_text").input("**Queues** <b>everywhere</b>, see [[code:docs]]")
    no_errors(at.button(key="new_add").click().run())
    assert [s.value for s in at.success] == ["memo 1 saved"]
    at.text_input(key="notes_search").input("QUEUES")
    no_errors(at.run())
    assert "**Queues** <b>everywhere</b>, see [[code:docs]]" in [t.value for t in at.text]
    assert "[[code:docs]]" in [t.value for t in at.text]  # the links, listed


def test_a_broken_link_is_refused_on_the_page(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    at.text_area(key="new_text").input("see [[code:nope]]")
    no_errors(at.button(key="new_add").click().run())
    assert len(at.error) == 1 and at.error[0].value.endswith("no such code")


def test_a_stale_tab_cannot_overwrite_a_newer_memo(url: str) -> None:
    memo_id = _write(url, "ana", "first draft", title="Idea")
    stale = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    fresh = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    fresh.text_area(key="notes_edit_text").input("second draft")
    no_errors(fresh.button(key="notes_edit_save").click().run())
    stale.text_area(key="notes_edit_text").input("stale draft")
    no_errors(stale.button(key="notes_edit_save").click().run())
    assert any("was saved meanwhile" in e.value for e in stale.error)
    engine = connect(url)
    with session_scope(engine) as session:
        assert session.get(Memo, memo_id).text == "second draft"  # type: ignore[union-attr]
    engine.dispose()
    no_errors(stale.button(key="notes_edit_reload").click().run())
    assert stale.text_area(key="notes_edit_text").value == "second draft"


def test_backlinks_show_on_the_codebook_and_code_pages(url: str) -> None:
    _write(url, "ana", "Queues at [[P1:0-11]] and [[code:access]] <i>x</i>", title="Compute")
    book = no_errors(app_as(url, "ana").switch_page("app_pages/codebook.py").run())
    assert any(t.value == "Queues at [[P1:0-11]] and [[code:access]] <i>x</i>" for t in book.text)
    assert any("Memos linking here (1)" in m.value for m in book.markdown)
    code = no_errors(app_as(url, "ana").switch_page("app_pages/coding.py").run())
    assert any("Memos linking into this transcript (1)" in m.value for m in code.markdown)
    other = no_errors(app_as(url, "ben").switch_page("app_pages/codebook.py").run())
    assert not any("Memos linking here" in m.value for m in other.markdown)  # blind study


def test_a_passage_link_opens_the_code_page_at_the_passage(url: str) -> None:
    memo_id = _write(url, "ana", "Queues at [[P1:40-60]] and [[code:access]]", title="Q")
    at = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    assert [t.value for t in at.text][-2:] == ["[[P1:40-60]]", "[[code:access]]"]
    no_errors(at.button(key=f"notes_link_{memo_id}_0").click().run())
    assert at.selectbox(key="code_transcript").value == "P1"


def test_a_code_link_opens_the_codebook_page_at_the_code(url: str) -> None:
    memo_id = _write(url, "ana", "Queues at [[P1:40-60]] and [[code:access]]", title="Q")
    at = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    no_errors(at.button(key=f"notes_link_{memo_id}_1").click().run())
    opened = {e.label: e.proto.expanded for e in at.expander}
    assert opened, "the Codebook page lists its codes"
    access = [label for label in opened if "·  access  ·" in label]
    assert len(access) == 1 and opened[access[0]]
    assert not any(v for k, v in opened.items() if k != access[0])  # only the linked code


def test_a_link_opens_its_transcript_after_the_code_page_was_open(url: str) -> None:
    """Signing in opens the Code page on P1; a link to P2 followed later still opens P2
    there, and so does the same link followed a second time after moving elsewhere."""
    memo_id = _write(url, "ana", "Reading [[P2:40-60]]", title="P2")
    at = no_errors(app_as(url, "ana"))
    assert at.selectbox(key="code_transcript").value == "P1"
    for _ in range(2):
        no_errors(at.switch_page("app_pages/notebook.py").run())
        no_errors(at.button(key=f"notes_link_{memo_id}_0").click().run())
        assert at.selectbox(key="code_transcript").value == "P2"
        assert at.session_state["qc_jump"][:2] == ("P2", 40)
        assert at.session_state["qc_pending"] == ("P2", 40, 60)  # the passage is selected
        assert any("Selected** 40–60" in m.value for m in at.markdown)
        no_errors(at.selectbox(key="code_transcript").select("P1").run())


def test_an_empty_notebook_says_where_to_write_and_counts_read_well(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page("app_pages/notebook.py").run())
    assert [i.value for i in at.info] == ["No memos yet: write the first one in the New memo tab."]
    assert "0 memos" in [c.value for c in at.caption]
    _write(url, "ana", "One thought", title="Idea")
    no_errors(at.run())
    assert not at.info and "1 memo" in [c.value for c in at.caption]

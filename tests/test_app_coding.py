# SPDX-License-Identifier: MIT
"""The coding page through AppTest: code a selection, edit, undo, memo, and blind visibility.

AppTest cannot run the component's JavaScript, so these tests put the selection where the
component's callback puts it (``qc_pending``); ``test_browser`` covers the real mouse.
"""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from app_study import app_as, no_errors
from conftest import ODD_TRANSCRIPT
from qualcarto.assignments import unassign
from qualcarto.coding import add_coding, codings_frame
from qualcarto.store import AuditEvent, connect, session_scope
from qualcarto.study_settings import set_blind

TEXT = unicodedata.normalize("NFC", ODD_TRANSCRIPT.replace("\r\n", "\n"))
SPAN = (TEXT.index("It took"), TEXT.index("down.") + 5)


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    study = app_study
    monkeypatch.setenv("QUALCARTO_DB", study)
    return study


def stored(url: str, coder: str) -> list[tuple[int, int, str]]:
    engine = connect(url)
    with session_scope(engine) as session:
        frame = codings_frame(session, [coder])
    engine.dispose()
    return list(zip(frame["start"], frame["end"], frame["code_id"], strict=True))


def code_selection(url: str, coder: str, codes: list[str]):  # type: ignore[no-untyped-def]
    at = no_errors(app_as(url, coder))
    at.session_state["qc_pending"] = ("P1", *SPAN)
    at.run()
    at.multiselect(key="code_choice").set_value(codes).run()
    return no_errors(at.button(key="apply_codes").click().run())


def test_a_selection_coded_with_two_codes_makes_two_codings(url: str) -> None:
    at = code_selection(url, "ana", ["access", "docs"])
    assert sorted(stored(url, "ana")) == [(*SPAN, "access"), (*SPAN, "docs")]
    assert "Coded" in at.success[0].value
    assert [b.label for b in at.button if b.key and b.key.startswith("recent_")] == [
        "1 · Access to compute",
        "2 · Shared documentation",
    ]


def test_the_same_coding_twice_is_refused_with_a_message_and_stored_once(url: str) -> None:
    at = code_selection(url, "ana", ["access"])
    no_errors(at.button(key="apply_codes").click().run())  # the selection stays after Apply
    assert stored(url, "ana") == [(*SPAN, "access")]
    assert "Already coded" in at.error[0].value


def test_a_recent_code_is_one_click(url: str) -> None:
    at = code_selection(url, "ana", ["docs"])
    at.session_state["qc_pending"] = ("P1", 0, 11)
    no_errors(at.run().button(key="recent_docs").click().run())
    assert sorted(stored(url, "ana")) == [(0, 11, "docs"), (*SPAN, "docs")]


def test_undo_takes_back_the_last_coding_and_then_a_deletion(url: str) -> None:
    at = code_selection(url, "ana", ["access"])
    no_errors(at.button(key="undo").click().run())
    assert stored(url, "ana") == []
    at = code_selection(url, "ana", ["access"])
    coding_id = int(codings_frame_ids(url)[0])
    at.session_state["qc_clicked"] = [coding_id]
    no_errors(at.run().button(key=f"delete_{coding_id}").click().run())
    assert stored(url, "ana") == []
    no_errors(at.button(key="undo").click().run())
    assert stored(url, "ana") == [(*SPAN, "access")]


def codings_frame_ids(url: str) -> list[int]:
    engine = connect(url)
    with session_scope(engine) as session:
        ids = list(codings_frame(session)["coding_id"])
    engine.dispose()
    return ids


def test_a_clicked_coding_gets_new_boundaries_code_and_memo(url: str) -> None:
    at = code_selection(url, "ana", ["access"])
    coding_id = codings_frame_ids(url)[0]
    at.session_state["qc_clicked"] = [coding_id]
    at.run()
    at.selectbox(key=f"edit_code_{coding_id}").set_value("money")
    at.text_area(key=f"edit_memo_{coding_id}").input("waiting for hardware")
    no_errors(at.button(key=f"save_{coding_id}").click().run())
    at.session_state["qc_pending"] = ("P1", 0, 11)
    no_errors(at.run().button(key=f"span_{coding_id}").click().run())
    assert stored(url, "ana") == [(0, 11, "money")]
    engine = connect(url)
    with session_scope(engine) as session:
        assert codings_frame(session, ["ana"])["memo"].tolist() == ["waiting for hardware"]
        edits = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "coding.edit"))
        assert list(edits) == ["ana", "ana"]
    engine.dispose()


def test_a_coder_cannot_see_another_coders_codings_while_the_study_is_blind(url: str) -> None:
    code_selection(url, "ana", ["access"])
    ben = no_errors(app_as(url, "ben"))
    assert "0 of your codings" in ben.caption[-1].value or all(
        "ana" not in str(c.value) for c in ben.caption
    )
    assert not ben.sidebar.multiselect  # no "also show codings of" while blind
    engine = connect(url)
    with session_scope(engine) as session:
        assert codings_frame(session, viewer="ben").empty
        set_blind(session, False, "lena")
    engine.dispose()
    opened = no_errors(app_as(url, "ben"))
    assert opened.sidebar.multiselect(key="code_others").options == ["ana"]


def test_the_lead_sees_every_coders_codings(url: str) -> None:
    code_selection(url, "ana", ["access"])
    engine = connect(url)
    with session_scope(engine) as session:
        add_coding(session, "P1", 0, 11, "docs", "ben")
        assert len(codings_frame(session, viewer="lena")) == 2
        assert len(codings_frame(session, viewer="ana")) == 1
    engine.dispose()
    lead = no_errors(app_as(url, "lena"))
    assert lead.sidebar.multiselect(key="code_others").options == ["ana", "ben"]


def test_the_transcript_memo_is_saved_per_coder(url: str) -> None:
    at = no_errors(app_as(url, "ana"))
    at.text_area(key="memo_P1").input("The RTL place name needs a check.")
    no_errors(at.button(key="save_memo").click().run())
    again = no_errors(app_as(url, "ana"))
    assert again.text_area(key="memo_P1").value == "The RTL place name needs a check."
    assert no_errors(app_as(url, "ben")).text_area(key="memo_P1").value == ""


def test_a_coder_opens_only_assigned_transcripts_and_none_before_the_lead_assigns(
    url: str,
) -> None:
    """Code and Search ask the same rule (``openable_transcripts``) and fail closed."""
    engine = connect(url)
    with session_scope(engine) as session:
        unassign(session, "P1", "ana", "lena")
    engine.dispose()
    at = no_errors(app_as(url, "ana"))
    assert at.selectbox(key="code_transcript").options == ["P2"]
    assert no_errors(app_as(url, "lena")).selectbox(key="code_transcript").options == ["P1", "P2"]
    engine = connect(url)
    with session_scope(engine) as session:
        unassign(session, "P2", "ana", "lena")
    engine.dispose()
    at = no_errors(app_as(url, "ana"))
    assert "No transcripts for you yet" in at.info[0].value
    at = no_errors(at.switch_page("app_pages/search.py").run())
    assert "No transcripts to search yet" in at.info[0].value
    assert not at.text_input  # nothing to search in, so no search box


def test_a_stale_second_tab_does_not_overwrite_a_coding_memo(url: str) -> None:
    first = code_selection(url, "ana", ["access"])
    coding_id = codings_frame_ids(url)[0]
    second = no_errors(app_as(url, "ana"))
    for tab in (first, second):
        tab.session_state["qc_clicked"] = [coding_id]
        no_errors(tab.run())
    first.text_area(key=f"edit_memo_{coding_id}").input("written in the first tab")
    no_errors(first.button(key=f"save_{coding_id}").click().run())
    second.text_area(key=f"edit_memo_{coding_id}").input("stale text of the second tab")
    no_errors(second.button(key=f"save_{coding_id}").click().run())
    assert "changed meanwhile" in second.error[0].value
    assert memos(url) == ["written in the first tab"]
    no_errors(second.button(key=f"save_{coding_id}").click().run())  # now a knowing overwrite
    assert memos(url) == ["stale text of the second tab"]


def test_a_stale_second_tab_does_not_overwrite_the_transcript_memo(url: str) -> None:
    first, second = no_errors(app_as(url, "ana")), no_errors(app_as(url, "ana"))
    first.text_area(key="memo_P1").input("from the first tab")
    no_errors(first.button(key="save_memo").click().run())
    second.text_area(key="memo_P1").input("from a stale second tab")
    no_errors(second.button(key="save_memo").click().run())
    assert "changed meanwhile" in second.error[0].value
    assert no_errors(app_as(url, "ana")).text_area(key="memo_P1").value == "from the first tab"


def memos(url: str) -> list[str]:
    engine = connect(url)
    with session_scope(engine) as session:
        found = codings_frame(session, ["ana"])["memo"].tolist()
    engine.dispose()
    return found

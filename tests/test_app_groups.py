# SPDX-License-Identifier: MIT
"""Transcript groups in the app: the lead's Groups page, and the group filter of the pages
where transcripts are chosen (Code, Query, Exports). The study is ``app_study``'s."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_study import app_as, build_study, code_span, no_errors
from qualcarto.store import connect, read_scope, session_scope
from qualcarto.transcripts.groups import assign, list_groups

PAGE = "app_pages/groups.py"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    study = build_study(tmp_path / "study")
    monkeypatch.setenv("QUALCARTO_DB", study)
    code_span(study, "P1", "We asked the centre", "access", "ana")
    code_span(study, "P2", "Yes, all of it", "access", "ana")
    return study


def groups(url: str) -> dict[str, list[str]]:
    engine = connect(url)
    with read_scope(engine) as session:
        found = list_groups(session)
    engine.dispose()
    return found


def wave(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        assign(session, "wave 2", ["P2"], actor="lena")
    engine.dispose()


def test_the_lead_makes_renames_and_deletes_a_group_on_the_groups_page(url: str) -> None:
    at = no_errors(no_errors(app_as(url, "lena")).switch_page(PAGE).run())
    assert "No transcript groups yet" in at.info[0].value
    at.text_input(key="groups_name_New group…").input("site A")
    at.multiselect(key="groups_members_New group…").set_value(["P2"])
    no_errors(at.button[0].click().run())
    assert groups(url) == {"site A": ["P2"]}
    assert at.selectbox(key="groups_chosen").value == "site A"
    assert "Saved group 'site A'" in at.success[0].value
    at.text_input(key="groups_name_site A").input("site B")
    at.multiselect(key="groups_members_site A").set_value(["P1", "P2"])
    no_errors(at.button[0].click().run())
    assert groups(url) == {"site B": ["P1", "P2"]}
    no_errors(at.button(key="groups_delete").click().run())
    assert groups(url) == {}


def test_the_code_page_narrows_its_transcript_picker_to_a_group(url: str) -> None:
    at = no_errors(app_as(url, "ana"))
    assert not [s for s in at.sidebar.selectbox if s.key == "code_group"]  # no groups yet
    wave(url)
    at = no_errors(app_as(url, "ana"))
    assert at.selectbox(key="code_transcript").options == ["P1", "P2"]
    no_errors(at.sidebar.selectbox(key="code_group").select("wave 2").run())
    assert at.selectbox(key="code_transcript").options == ["P2"]
    assert at.selectbox(key="code_transcript").value == "P2"


def test_the_query_and_exports_pages_filter_by_group(url: str) -> None:
    wave(url)
    at = no_errors(no_errors(app_as(url, "ana")).switch_page("app_pages/query.py").run())
    at.text_area(key="query_text").input("access")
    no_errors(at.run())
    assert at.caption[1].value == "2 hits"
    no_errors(at.selectbox(key="query_group").select("wave 2").run())
    assert at.caption[1].value == "1 hit"
    at = no_errors(at.switch_page("app_pages/exports.py").run())
    no_errors(at.selectbox(key="exports_group").select("wave 2").run())
    no_errors(at.button(key="exports_prepare").click().run())
    assert at.success[0].value.startswith("1 coding exported")


def test_the_agreement_page_measures_one_group(url: str) -> None:
    code_span(url, "P2", "Yes, all of it", "access", "ben")
    wave(url)
    at = no_errors(no_errors(app_as(url, "lena")).switch_page("app_pages/agreement.py").run())
    assert any("2 transcripts" in c.value for c in at.caption)
    no_errors(at.selectbox(key="agr_group").select("wave 2").run())
    assert any(
        c.value.startswith("1 transcript, 2 codings of transcript group 'wave 2'")
        for c in at.caption
    )


def test_a_group_nobody_double_coded_is_a_note_on_the_agreement_page_not_an_error(
    url: str,
) -> None:
    code_span(url, "P1", "We asked the centre", "access", "ben")  # both coded P1, not P2
    wave(url)
    at = no_errors(no_errors(app_as(url, "lena")).switch_page("app_pages/agreement.py").run())
    no_errors(at.selectbox(key="agr_group").select("wave 2").run())
    assert not at.error
    assert at.info[0].value.startswith("Nothing to measure: no codings by 'ben'")


def test_a_group_filter_is_kept_across_pages(url: str) -> None:
    """Streamlit forgets a widget's value when another page runs; the group filter does not."""
    wave(url)
    at = no_errors(app_as(url, "ana"))
    no_errors(at.sidebar.selectbox(key="code_group").select("wave 2").run())
    no_errors(at.switch_page("app_pages/notebook.py").run())
    no_errors(at.switch_page("app_pages/coding.py").run())
    assert at.sidebar.selectbox(key="code_group").value == "wave 2"
    assert at.selectbox(key="code_transcript").options == ["P2"]
    no_errors(at.switch_page("app_pages/query.py").run())
    no_errors(at.selectbox(key="query_group").select("wave 2").run())
    no_errors(at.switch_page("app_pages/exports.py").run())
    no_errors(at.switch_page("app_pages/query.py").run())
    assert at.selectbox(key="query_group").value == "wave 2"


def test_the_pages_keep_their_choices_when_you_come_back(url: str) -> None:
    """A coder writes a memo and comes back to the transcript being coded; the lead looks at
    Reconcile and comes back to the unit being measured."""
    code_span(url, "P2", "Yes, all of it", "access", "ben")
    at = no_errors(app_as(url, "ana"))
    no_errors(at.selectbox(key="code_transcript").select("P2").run())
    no_errors(at.switch_page("app_pages/query.py").run())
    at.text_area(key="query_text").input("access")
    no_errors(at.run())
    no_errors(at.switch_page("app_pages/notebook.py").run())
    no_errors(at.switch_page("app_pages/coding.py").run())
    assert at.selectbox(key="code_transcript").value == "P2"
    no_errors(at.switch_page("app_pages/query.py").run())
    assert at.text_area(key="query_text").value == "access"
    lead = no_errors(app_as(url, "lena").switch_page("app_pages/agreement.py").run())
    no_errors(lead.selectbox(key="agr_unit").select("turn").run())
    no_errors(lead.switch_page("app_pages/reconcile.py").run())
    no_errors(lead.selectbox(key="rec_transcript").select("P2").run())
    no_errors(lead.switch_page("app_pages/agreement.py").run())
    assert lead.selectbox(key="agr_unit").value == "turn"
    no_errors(lead.switch_page("app_pages/reconcile.py").run())
    assert lead.selectbox(key="rec_transcript").value == "P2"

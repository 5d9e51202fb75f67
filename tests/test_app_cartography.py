# SPDX-License-Identifier: MIT
"""The cartography page: the CLI's figures of the codings one may see, human layers by
default, a hover note per code and a code's excerpts as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from app_study import app_as, code_span, no_errors
from qualcarto.store import connect, session_scope
from qualcarto.users import add_user

PAGE = "app_pages/cartography.py"


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app study, with 'Access to compute' coded by ana in P1 and by ben in P1 and P2."""
    study = app_study
    monkeypatch.setenv("QUALCARTO_DB", study)
    code_span(study, "P1", "asked the centre", "access", "ana")
    code_span(study, "P1", "It took months", "access", "ben")
    code_span(study, "P2", "<script>window.__pwned='script'</script>", "access", "ben")
    return study


def open_map(url: str, name: str) -> AppTest:
    """The cartography page as ``name``, with cells left unsplit.

    The tiny codebook's defaults use ``polarity`` for rows and split alike, which the
    page refuses with a message until another split is chosen.
    """
    at = no_errors(no_errors(app_as(url, name)).switch_page(PAGE).run())
    assert [e.value for e in at.error] == [
        "rows, cols and split must be different facets, got polarity, stage, polarity"
    ]
    return no_errors(at.selectbox(key="carto_split").select("none").run())


SVG = "{http://www.w3.org/2000/svg}"


def drawn(at: AppTest) -> ET.Element:
    """The figure the page draws, parsed as SVG."""
    (figure,) = at.get("iframe")
    return ET.fromstring(figure.proto.srcdoc)


def figure_lines(at: AppTest) -> list[str]:
    """The lines of real text in the figure."""
    return [t.text or "" for t in drawn(at).iter(f"{SVG}text")]


def hover_notes(at: AppTest) -> set[str]:
    """What hovering a code shows (SVG titles)."""
    return {t.text or "" for t in drawn(at).iter(f"{SVG}title")}


def support_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if " · participants: " in c.value)


def test_the_lead_sees_every_coders_support_and_the_excerpts_as_plain_text(url: str) -> None:
    at = open_map(url, "lena")
    assert at.radio(key="carto_figure").value == "Overview"
    no_errors(at.radio(key="carto_figure").set_value("Full grid").run())
    assert "Access to compute (n=2)" in " ".join(figure_lines(at))
    assert hover_notes(at) == {"Access to compute: 2 interviews · 3 excerpts · participants: none"}
    assert at.selectbox(key="carto_code").value == "access"
    assert support_line(at) == "2 interviews · 3 excerpts · participants: none"
    texts = [t.value for t in at.text]
    assert "<script>window.__pwned='script'</script>" in texts
    assert not any("__pwned" in md.value for md in at.markdown)


def test_a_coder_in_a_blind_study_maps_only_her_own_codings(url: str) -> None:
    at = open_map(url, "ana")
    assert support_line(at) == "1 interview · 1 excerpt · participants: none"
    assert [t.value for t in at.text] == ["asked the centre"]


def test_choosing_coders_and_a_minimum_support_redraws_the_map(url: str) -> None:
    at = open_map(url, "lena")
    no_errors(at.multiselect(key="carto_coders").unselect("ben").run())
    assert support_line(at) == "1 interview · 1 excerpt · participants: none"
    no_errors(at.number_input(key="carto_min").set_value(2).run())
    assert [i.value for i in at.info] == [
        "No code has enough support yet. Lower the minimum or show uncoded codes."
    ]
    no_errors(at.toggle(key="carto_empty").set_value(True).run())
    codes = at.selectbox(key="carto_code").options
    assert sorted(codes) == ["Funding", "Shared documentation"]


def test_a_machine_layer_counts_only_when_chosen(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        add_user(session, "robot", kind="machine")
    engine.dispose()
    code_span(url, "P2", "all of it shows", "access", "robot")
    at = open_map(url, "lena")
    assert sorted(at.multiselect(key="carto_coders").value) == ["ana", "ben"]
    assert support_line(at) == "2 interviews · 3 excerpts · participants: none"
    no_errors(at.multiselect(key="carto_coders").select("robot").run())
    assert support_line(at) == "2 interviews · 4 excerpts · participants: none"


@pytest.mark.parametrize("figure", ["Overview", "Full grid", "Motivations", "Organizations"])
def test_every_figure_draws_real_text_or_says_why_not(url: str, figure: str) -> None:
    at = open_map(url, "lena")
    no_errors(at.radio(key="carto_figure").set_value(figure).run())
    if at.get("iframe"):
        assert figure_lines(at)
    else:
        assert next(i.value for i in at.info).startswith("This study cannot draw")


def test_a_coder_with_nothing_to_map_is_told_why_not_to_pick_coders(
    app_study: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No codings yet: the empty layer picker does not ask for a choice it cannot offer."""
    monkeypatch.setenv("QUALCARTO_DB", app_study)
    at = no_errors(app_as(app_study, "ana").switch_page(PAGE).run())
    assert at.multiselect(key="carto_coders").options == []
    assert [i.value for i in at.info] == [
        "No codings you may see yet: the map fills in as your transcripts are coded."
    ]

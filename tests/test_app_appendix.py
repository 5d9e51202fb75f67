# SPDX-License-Identifier: MIT
"""The lead's Appendix page builds the appendix of the study and offers it for download."""

from __future__ import annotations

import io
import zipfile

import pytest

from app_study import app_as, code_span, no_errors

PAGE = "app_pages/appendix.py"


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """ana and ben agree on one passage and differ on another (too few interviews for
    saturation, which the appendix then says)."""
    monkeypatch.setenv("QUALCARTO_DB", app_study)
    code_span(app_study, "P1", "We asked the centre", "access", "ana")
    code_span(app_study, "P1", "We asked the centre", "access", "ben")
    code_span(app_study, "P1", "It took months", "docs", "ana")
    return app_study


def test_the_lead_builds_and_downloads_the_appendix(url: str) -> None:
    at = no_errors(no_errors(app_as(url, "lena")).switch_page(PAGE).run())
    at.number_input(key="apx_boot").set_value(50)
    at.number_input(key="apx_orders").set_value(50)
    at.checkbox(key="apx_pdf").uncheck()
    no_errors(at.button(key="apx_build").click().run())
    assert not at.error, [e.value for e in at.error]
    built = at.session_state["apx_files"]
    paragraph = built["paragraph"]
    assert "ana and ben coded" in paragraph and "was not assessed" in paragraph
    names = zipfile.ZipFile(io.BytesIO(built["zip"])).namelist()
    assert "appendix.html" in names and "tables/agreement-round1-pooled.csv" in names
    html = zipfile.ZipFile(io.BytesIO(built["zip"])).read("appendix.html").decode()
    assert "Saturation not assessed" in html and "Agreement: pilot round" in html
    assert any(t.value == paragraph for t in at.text)


def test_a_coder_cannot_open_the_appendix(url: str) -> None:
    at = no_errors(app_as(url, "ana"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_the_lead_records_a_round_and_the_appendix_measures_it(url: str) -> None:
    at = no_errors(no_errors(app_as(url, "lena")).switch_page(PAGE).run())
    at.text_input(key="apx_round_name").set_value("pilot")
    at.multiselect(key="apx_round_coders").set_value(["ana", "ben"])
    at.multiselect(key="apx_round_tr").set_value(["P1"])
    no_errors(at.button(key="apx_round_add").click().run())
    assert [s.value for s in at.success] == ["Recorded round 1."]
    no_errors(at.run())  # the round now shows as open
    no_errors(at.button(key="apx_round_mark").click().run())
    assert [s.value for s in at.success] == ["Round 1 marked reconciled."]
    at.number_input(key="apx_boot").set_value(20)
    at.number_input(key="apx_orders").set_value(20)
    at.checkbox(key="apx_pdf").uncheck()
    no_errors(at.button(key="apx_build").click().run())
    assert (
        "In round 1 (pilot), ana and ben coded 1 transcripts"
        in (at.session_state["apx_files"]["paragraph"])
    )

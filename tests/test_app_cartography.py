# SPDX-License-Identifier: MIT
"""The cartography page: the map of the codings one may see, and a code's excerpts as text."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app_study import app_as, code_span, no_errors

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


def chart_rows(at: AppTest) -> pd.DataFrame:
    """The rows the map's chart draws: one mark per code, with what hovering it shows."""
    (chart,) = at.get("vega_lite_chart")
    (dataset,) = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def support_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if "interviews ·" in c.value)


def test_the_lead_sees_every_coders_support_and_the_excerpts_as_plain_text(url: str) -> None:
    at = open_map(url, "lena")
    marks = chart_rows(at)
    assert list(marks["name"]) == ["Access to compute"]
    assert (marks.loc[0, "interviews"], marks.loc[0, "excerpts"]) == (2, 3)
    assert at.selectbox(key="carto_code").value == "access"
    assert support_line(at) == "2 interviews · 3 excerpts · participants: none"
    texts = [t.value for t in at.text]
    assert "<script>window.__pwned='script'</script>" in texts
    assert not any("__pwned" in md.value for md in at.markdown)


def test_a_coder_in_a_blind_study_maps_only_her_own_codings(url: str) -> None:
    at = open_map(url, "ana")
    assert support_line(at) == "1 interviews · 1 excerpts · participants: none"
    assert [t.value for t in at.text] == ["asked the centre"]


def test_choosing_coders_and_a_minimum_support_redraws_the_map(url: str) -> None:
    at = open_map(url, "lena")
    no_errors(at.multiselect(key="carto_coders").select("ana").run())
    assert support_line(at) == "1 interviews · 1 excerpts · participants: none"
    no_errors(at.number_input(key="carto_min").set_value(2).run())
    assert [i.value for i in at.info] == [
        "No code has enough support yet. Lower the minimum or show uncoded codes."
    ]
    no_errors(at.toggle(key="carto_empty").set_value(True).run())
    codes = at.selectbox(key="carto_code").options
    assert sorted(codes) == ["Funding", "Shared documentation"]

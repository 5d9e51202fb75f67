# SPDX-License-Identifier: MIT
"""The Exports page: a lead downloads every format; a coder in a blind study only their own."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_study import app_as, no_errors
from qualcarto.coding import add_coding
from qualcarto.store import connect, session_scope

PAGE = "app_pages/exports.py"


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    study = app_study
    engine = connect(study)
    with session_scope(engine) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "opening")
        add_coding(session, "P1", 0, 11, "docs", "ben")
    engine.dispose()
    monkeypatch.setenv("QUALCARTO_DB", study)
    return study


def test_a_lead_prepares_every_format(url: str) -> None:
    at = no_errors(app_as(url, "lena").switch_page(PAGE).run())
    no_errors(at.button(key="exports_prepare").click().run())
    files = st_files(at)
    assert set(files) == {"xlsx", "csv", "qdpx", "qdc", "graphml", "gexf"}
    assert len(at.get("download_button")) == len(files)
    frame = pd.read_csv(io.BytesIO(files["csv"]))
    assert sorted(frame["coder"]) == ["ana", "ben"]
    with zipfile.ZipFile(io.BytesIO(files["qdpx"])) as archive:
        assert "project.qde" in archive.namelist()


def test_a_coder_in_a_blind_study_exports_only_their_own_codings(url: str) -> None:
    at = no_errors(app_as(url, "ana").switch_page(PAGE).run())
    assert not at.radio  # no choice of layer while the study is blind
    no_errors(at.button(key="exports_prepare").click().run())
    frame = pd.read_csv(io.BytesIO(st_files(at)["csv"]))
    assert list(frame["coder"]) == ["ana"]


def test_asking_for_a_missing_consensus_layer_shows_the_reason(url: str) -> None:
    at = no_errors(app_as(url, "lena").switch_page(PAGE).run())
    at.radio(key="exports_layer").set_value("Consensus")
    no_errors(at.button(key="exports_prepare").click().run())
    assert any("consensus" in e.value for e in at.error)
    assert not st_files(at)


def st_files(at: AppTest) -> dict[str, bytes]:
    """The prepared files the download buttons hand out, by format."""
    if "exports_files" not in at.session_state:
        return {}
    prepared = at.session_state["exports_files"]
    return {fmt: data for fmt, (_name, data) in prepared[1].items()} if prepared else {}

# SPDX-License-Identifier: MIT
"""The codebook document's download and the notebook (memos, links, backlinks) in the app."""

from __future__ import annotations

import pytest

from app_study import app_as, no_errors


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

# SPDX-License-Identifier: MIT
"""The lead's Pseudonyms page lists candidate names from the transcripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_study import app_as, build_study, no_errors


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_study(tmp_path)
    monkeypatch.setenv("QUALCARTO_DB", url)
    return url


def test_a_lead_sees_candidate_names(url: str) -> None:
    at = no_errors(app_as(url, "lena")).switch_page("app_pages/pseudonyms.py").run()
    no_errors(at.button(key="pseudonyms_find").click().run())
    names = set(at.dataframe[0].value["name"])
    assert "Zoë" in names
    assert at.button(key="pseudonyms_apply").disabled  # no key file yet

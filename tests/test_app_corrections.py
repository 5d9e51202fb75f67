# SPDX-License-Identifier: MIT
"""The lead's Correct page: a corrected text is saved and its codings follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app_study import app_as, build_study, code_span, no_errors
from qualcarto.store import Coding, connect, session_scope
from qualcarto.transcripts import get_transcript


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_study(tmp_path)
    monkeypatch.setenv("QUALCARTO_DB", url)
    code_span(url, "P1", "about the cluster", "access", "ana")
    return url


def test_a_lead_corrects_a_transcript_and_the_coding_follows(url: str) -> None:
    at = no_errors(app_as(url, "lena")).switch_page("app_pages/corrections.py").run()
    no_errors(at)
    at.selectbox(key="correct_transcript").select("P1").run()
    area = next(a for a in at.text_area if a.key.startswith("correct_text_P1"))
    area.set_value("Checked: " + area.value).run()
    no_errors(at.button(key="correct_save").click().run())
    assert any("1 coding moved" in s.value for s in at.success)
    engine = connect(url)
    with session_scope(engine) as session:
        text = get_transcript(session, "P1").text
        coding = session.scalars(select(Coding)).one()
        assert (
            text.startswith("Checked: ") and text[coding.start : coding.end] == "about the cluster"
        )
    engine.dispose()

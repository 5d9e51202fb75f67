# SPDX-License-Identifier: MIT
"""The lead's Speakers page: name a transcribed turn's speaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_study import app_as, build_study, no_errors
from media_files import write_wav
from qualcarto.cli import main
from qualcarto.store import connect, session_scope
from qualcarto.transcripts.speakers import turns_frame


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_study(tmp_path)
    monkeypatch.setenv("QUALCARTO_DB", url)
    write_wav(tmp_path / "P3.wav", 3.0)
    (tmp_path / "P3.vtt").write_text(
        "WEBVTT\n\n00:00:00.200 --> 00:00:01.000\nHow did you start?\n\n"
        "00:00:01.200 --> 00:00:02.000\nWith the docs.\n",
        encoding="utf-8",
    )
    assert main(["--db", url, "import", str(tmp_path / "P3.wav")]) == 0
    return url


def test_a_lead_splits_a_turn_and_names_its_speakers(url: str) -> None:
    at = no_errors(app_as(url, "lena")).switch_page("app_pages/speakers.py").run()
    at.selectbox(key="speakers_transcript").select("P3").run()
    no_errors(at.button(key="speakers_split_go").click().run())
    assert [s.value for s in at.success] == ["saved"]
    engine = connect(url)
    with session_scope(engine) as session:
        frame = turns_frame(session, "P3")
    engine.dispose()
    assert list(frame["media_start"]) == [0.2, 1.2]

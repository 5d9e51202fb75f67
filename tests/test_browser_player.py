# SPDX-License-Identifier: MIT
"""The recording beside a transcript, in a real browser: a click on a turn seeks, playing follows.

The demo's synthesized interview (transcripts/recordings/R1.ogg with its captions) is
imported into a small study; Debian's Chromium plays it muted through Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app_study import PASSWORDS, build_study
from browser_app import need_chromium, running_app
from qualcarto.assignments import assign
from qualcarto.cli import main
from qualcarto.store import Transcript, Turn, connect, session_scope

ROOT = Path(__file__).resolve().parents[1]
RECORDING = ROOT / "transcripts" / "recordings" / "R1.ogg"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[float]]]:
    need_chromium()
    folder = tmp_path_factory.mktemp("player")
    url = build_study(folder)
    assert main(["--db", url, "import", str(RECORDING)]) == 0
    engine = connect(url)
    with session_scope(engine) as session:
        assign(session, "R1", "ana", actor="lena")
        starts = list(
            session.scalars(
                select(Turn.media_start)
                .join(Transcript)
                .where(Transcript.name == "R1")
                .order_by(Turn.index)
            )
        )
    engine.dispose()
    with running_app(url, folder / "streamlit.log") as base:
        yield base, [float(s) for s in starts]


CURRENT = """() => Array.from(document.querySelectorAll('[data-testid="qc-turns"] button'))
  .findIndex(b => b.getAttribute('aria-current') === 'true')"""
PLAYER = "document.querySelector('audio')"


def test_clicking_a_turn_seeks_and_playing_moves_the_highlight(app: Any, browser: Any) -> None:
    base, starts = app
    assert len(starts) >= 3
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base)
    page.get_by_label("User name").fill("ana")
    page.get_by_role("textbox", name="Password").fill(PASSWORDS["ana"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("qc-transcript").wait_for(timeout=30_000)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="R1", exact=True).click()
    turns = page.get_by_test_id("qc-turns").get_by_role("button")
    turns.nth(2).wait_for(timeout=30_000)
    page.wait_for_function(f"{PLAYER} && {PLAYER}.readyState >= 1", timeout=30_000)

    turns.nth(2).click()
    assert page.evaluate(f"{PLAYER}.currentTime") == pytest.approx(starts[2], abs=0.01)
    assert page.evaluate(CURRENT) == 2
    # the transcript marks the same turn
    assert page.locator(".qcs-box .qmp-playing").count() > 0

    turns.nth(0).click()
    assert page.evaluate(f"{PLAYER}.currentTime") == pytest.approx(starts[0], abs=0.01)
    page.evaluate(f"{PLAYER}.muted = true; {PLAYER}.playbackRate = 4; {PLAYER}.play()")
    page.wait_for_function(f"({CURRENT})() >= 1", timeout=20_000)
    assert page.evaluate(f"{PLAYER}.currentTime") >= starts[1] - 0.1
    page.close()

# SPDX-License-Identifier: MIT
"""The app in a real browser: mouse selections reach the store as exact str offsets.

Debian's Chromium driven by Playwright against ``streamlit run app.py`` on 127.0.0.1
(both started by ``browser_app``).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_study import HOSTILE_TRANSCRIPT, PASSWORDS, build_study
from browser_app import OFFSET_POINT, need_chromium, running_app
from conftest import ODD_TRANSCRIPT
from qualcarto.coding import codings_frame
from qualcarto.store import connect, session_scope

ROOT = Path(__file__).resolve().parents[1]
# Screenshots go to the test's temporary folder; UPDATE_SCREENSHOTS=1 refreshes docs/img.
DOCS_SHOTS = ROOT / "docs" / "img"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    need_chromium()
    folder = tmp_path_factory.mktemp("browser")
    url = build_study(folder)
    with running_app(url, folder / "streamlit.log") as base:
        yield url, base


def sign_in(browser: Any, base: str, name: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("qc-transcript").wait_for(timeout=30_000)
    return page


def drag_select(page: Any, start: int, end: int) -> None:
    """Select ``text[start:end]`` with the mouse, as a coder would."""
    box = page.get_by_test_id("qc-transcript")
    box.evaluate("(el, y) => { el.scrollTop = 0; }", 0)
    first = page.evaluate(OFFSET_POINT, [start, False])
    last = page.evaluate(OFFSET_POINT, [end - 1, True])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, (first["y"] + last["y"]) / 2, steps=4)
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.up()


def choose_transcript(page: Any, name: str) -> None:
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=name, exact=True).click()
    page.wait_for_function(
        "name => document.querySelector('[data-testid=\"qc-transcript\"]')?.textContent"
        ".includes(name === 'P2' ? 'Can you read this' : 'Welcome')",
        arg=name,
    )


def test_a_mouse_selection_across_emoji_is_stored_with_exact_offsets(
    app: Any, browser: Any, tmp_path: Path
) -> None:
    url, base = app
    text = unicodedata.normalize("NFC", ODD_TRANSCRIPT.replace("\r\n", "\n"))
    start = text.index("It took months")  # after an emoji, RTL text and a combining mark
    end = text.index("down.") + len("down.")
    page = sign_in(browser, base, "ana")
    drag_select(page, start, end)
    page.get_by_text(f"Selected {start}–{end}").wait_for(timeout=15_000)
    page.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Access to compute", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Apply to selection").click()
    page.get_by_text("Coded ").wait_for(timeout=15_000)
    page.reload()
    page.get_by_test_id("qc-transcript").wait_for(timeout=30_000)
    page.locator("[data-ids]").first.wait_for(timeout=15_000)

    engine = connect(url)
    with session_scope(engine) as session:
        stored = codings_frame(session, ["ana"], ["P1"])
    engine.dispose()
    assert list(zip(stored["start"], stored["end"], stored["code_id"], strict=True)) == [
        (start, end, "access")
    ]
    assert stored["text"].iloc[0] == text[start:end]

    # The picture for docs/coding.md: the stored coding, and a new selection being coded.
    second = text.index("Tell me")
    drag_select(page, second, text.index("cluster.") + len("cluster."))
    page.get_by_text(f"Selected {second}–").wait_for(timeout=15_000)
    page.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Shared documentation", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_text("Write-ups that others reuse.").wait_for(timeout=15_000)
    page.wait_for_timeout(600)  # let the closing list fade out before the picture
    shots = DOCS_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "coding-page.png"))

    other = sign_in(browser, base, "ben")
    assert other.locator("[data-ids]").count() == 0
    assert "0 of your codings" in other.get_by_text("of your codings").inner_text()


def test_markup_in_a_transcript_shows_literally_and_nothing_runs(app: Any, browser: Any) -> None:
    _url, base = app
    page = sign_in(browser, base, "ben")
    choose_transcript(page, "P2")
    shown = page.get_by_test_id("qc-transcript").inner_text()
    assert "<img src=x onerror=\"window.__pwned='img'\">" in shown
    assert "<script>window.__pwned='script'</script>" in shown
    assert page.evaluate("window.__pwned") is None
    assert (
        page.locator('[data-testid="qc-transcript"] img, [data-testid="qc-transcript"] b').count()
        == 0
    )
    assert HOSTILE_TRANSCRIPT.splitlines()[0] in shown

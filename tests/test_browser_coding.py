# SPDX-License-Identifier: MIT
"""A coder's day on the Code page in Chromium: the place kept, keys, duplicates, handles.

A 40,000-character transcript (P9) so that "deep in the transcript" means scrolled far
down the pane; the app and Chromium come from ``browser_app``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from app_study import PASSWORDS, build_study
from browser_app import OFFSET_POINT, need_chromium, running_app
from qualcarto.assignments import assign
from qualcarto.coding import add_coding, codings_frame
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import import_transcripts

pytestmark = pytest.mark.browser
TURNS = [
    "Interviewer: How did the release go for the team this time?",
    "P9: We published the weights, and the dataset card took weeks. 🙂 People reuse it now.",
    "Interviewer: Who could reproduce the base model outside the lab?",
    "P9: Nobody outside the lab had enough GPU hours, so we shared the harness instead.",
]
LONG = "\n\n".join(f"{TURNS[i % 4]} ({i})" for i in range(420)) + "\n"
PANE = '[data-testid="qc-transcript-pane"]'

# The offset drawn at the top-left of the pane's visible area.
_TOP = """() => {
  const pane = document.querySelector('[data-testid="qc-transcript-pane"]');
  const r = pane.getBoundingClientRect();
  const c = document.caretRangeFromPoint(r.left + 24, r.top + 26);
  const piece = c.startContainer.parentElement.closest('[data-s]');
  return Number(piece.dataset.s) + Array.from(c.startContainer.data.slice(0, c.startOffset)).length;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    need_chromium()
    folder = tmp_path_factory.mktemp("browser_coding")
    url = build_study(folder)
    (folder / "P9.txt").write_text(LONG, encoding="utf-8")
    engine = connect(url)
    with session_scope(engine) as session:
        import_transcripts(session, [folder / "P9.txt"])
        for coder in ("ana", "ben"):
            assign(session, "P9", coder, "lena")
    engine.dispose()
    with running_app(url, folder / "streamlit.log") as base:
        yield url, base


def stored(url: str, coder: str) -> list[tuple[int, int, str]]:
    engine = connect(url)
    with session_scope(engine) as session:
        frame = codings_frame(session, [coder], ["P9"])
    engine.dispose()
    return sorted(zip(frame["start"], frame["end"], frame["code_id"], strict=True))


def open_p9(browser: Any, base: str, name: str, query: str = "") -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("qc-transcript").wait_for(timeout=30_000)
    if query:
        page.goto(page.url.split("?")[0] + "?" + page.url.split("?")[1].split("&")[0] + query)
    else:
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="P9", exact=True).click()
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=\"qc-transcript\"]')?.textContent.length"
        f" >= {len(LONG) - 5}",
        timeout=30_000,
    )
    return page


def scroll_to(page: Any, offset: int) -> None:
    """Scroll the pane so ``offset`` is in the middle of it, as a coder's wheel would."""
    page.evaluate(
        """offset => {
          const pane = document.querySelector('[data-testid="qc-transcript-pane"]');
          for (const p of pane.querySelectorAll('[data-s]')) {
            if (offset >= Number(p.dataset.s) && offset < Number(p.dataset.e)) {
              const r = document.createRange(); r.selectNodeContents(p);
              const top = r.getClientRects()[0].top - pane.getBoundingClientRect().top;
              pane.scrollTop += top - pane.clientHeight / 2; return;
            }
          }
        }""",
        offset,
    )
    page.wait_for_timeout(400)  # the pane writes its place into the address after 150 ms


def drag(page: Any, start: int, end: int) -> None:
    scroll_to(page, start)
    first = page.evaluate(OFFSET_POINT, [start, False])
    last = page.evaluate(OFFSET_POINT, [end - 1, True])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move(last["x"], last["y"], steps=6)
    page.mouse.up()
    page.get_by_text(f"Selected {start}–{end}").wait_for(timeout=20_000)


def choose(page: Any, code: str) -> None:
    page.get_by_test_id("stMultiSelect").last.click()
    page.get_by_role("option", name=code, exact=True).wait_for()
    assert page.get_by_role("option", name=re.compile("select all", re.I)).count() == 0
    page.get_by_role("option", name=code, exact=True).click()
    page.keyboard.press("Escape")


def pane_top(page: Any) -> float:
    return float(page.locator(PANE).evaluate("el => el.scrollTop"))


def test_apply_deep_in_a_long_transcript_keeps_the_pane_where_it_was(
    app: Any, browser: Any
) -> None:
    url, base = app
    page = open_p9(browser, base, "ana")
    start = LONG.index("Nobody outside", 30_000)
    end = start + len("Nobody outside the lab")
    scroll_to(page, start)
    before = pane_top(page)
    assert before > 5_000
    drag(page, start, end)
    choose(page, "Access to compute")
    page.get_by_role("button", name="Apply to selection").click()
    page.get_by_text(f"Coded {start}–{end}").wait_for(timeout=20_000)
    page.locator(f'[data-testid="qc-transcript"] [data-s="{start}"][data-ids]').wait_for()
    assert abs(pane_top(page) - before) < 2
    assert (start, end, "access") in stored(url, "ana")
    stripe = page.locator('[data-testid="qc-margin"] .qcs-stripe')
    assert stripe.count() == len(stored(url, "ana"))
    page.close()


def test_keys_code_grow_undo_and_a_duplicate_is_refused(app: Any, browser: Any) -> None:
    url, base = app
    page = open_p9(browser, base, "ben")
    first = LONG.index("dataset card", 12_000)
    drag(page, first, first + len("dataset card"))
    choose(page, "Shared documentation")
    page.get_by_role("button", name="Apply to selection").click()
    page.get_by_text(f"Coded {first}–").wait_for(timeout=20_000)
    page.get_by_role("button", name="Apply to selection").click()  # the same coding again
    page.get_by_text("Already coded").wait_for(timeout=20_000)
    assert stored(url, "ben") == [(first, first + 12, "docs")]

    second = LONG.index("weights", 14_000)
    drag(page, second, second + len("weights"))
    page.locator(PANE).focus()
    page.keyboard.press("Shift+ArrowRight")  # grow the end by one word: "weights, and"
    grown = second + len("weights, and")
    page.get_by_text(f"Selected {second}–{grown}").wait_for(timeout=20_000)
    page.keyboard.press("1")
    page.get_by_text(f"Coded {second}–{grown} with docs").wait_for(timeout=20_000)
    assert (second, grown, "docs") in stored(url, "ben")
    page.keyboard.press("Control+z")
    page.get_by_text("Undid the last add").wait_for(timeout=20_000)
    assert stored(url, "ben") == [(first, first + 12, "docs")]
    page.keyboard.press("?")
    assert page.get_by_test_id("qc-help").is_visible()
    assert "apply recent code" in page.get_by_test_id("qc-help").inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")  # the first closes the help, the second clears the selection
    page.get_by_text("Select a passage in the transcript").wait_for(timeout=20_000)
    page.close()


def test_reload_and_a_shared_link_open_at_the_same_place(app: Any, browser: Any) -> None:
    _url, base = app
    page = open_p9(browser, base, "ana")
    scroll_to(page, 25_000)
    top = page.evaluate(_TOP)
    assert re.search(rf"[?&]t=P9&at={top}\b", page.url) or f"at={top}" in page.url
    page.reload()
    page.locator(f"{PANE} [data-s]").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert abs(page.evaluate(_TOP) - top) < 200  # the same line at the top of the pane
    token = re.search(r"session=([^&]+)", page.url)[1]  # type: ignore[index]
    linked = browser.new_page(viewport={"width": 1400, "height": 900})
    linked.goto(f"{base}/?session={token}&t=P9&at=30000")
    linked.locator(f"{PANE} [data-s]").first.wait_for(timeout=30_000)
    linked.wait_for_timeout(500)
    assert 29_800 <= linked.evaluate(_TOP) <= 30_000
    page.close()
    linked.close()


def test_a_boundary_dragged_moves_the_coding(app: Any, browser: Any) -> None:
    url, base = app
    start = LONG.index("People reuse it now", 2_000)
    engine = connect(url)
    with session_scope(engine) as session:
        add_coding(session, "P9", start, start + len("People reuse"), "money", "lena")
    engine.dispose()
    page = open_p9(browser, base, "lena")
    scroll_to(page, start)
    point = page.evaluate(OFFSET_POINT, [start + 2, False])
    page.mouse.click(point["x"], point["y"])
    handle = page.get_by_test_id("qc-handle-end")
    handle.wait_for(timeout=20_000)
    box = handle.bounding_box()
    target = page.evaluate(OFFSET_POINT, [start + len("People reuse it now") - 1, True])
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"], target["y"], steps=8)
    page.mouse.up()
    page.get_by_text("Saved.").wait_for(timeout=20_000)
    assert stored(url, "lena") == [(start, start + len("People reuse it now"), "money")]
    page.close()

# SPDX-License-Identifier: MIT
"""Take the Code page pictures for docs/coding.md from the demo study, in headless Chromium.

ana and ben code a few passages of I3 beside the ``linaker2025`` reference layer; the lead
shows everyone's codings. Writes ``docs/img/coding-page.png`` (a selection being coded) and
``docs/img/coding-margin.png`` (the margin stripes, a coding's handles, the code tree).
Run: ``.venv/bin/python scripts/coding_screenshots.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from browser_app import chromium, running_app  # noqa: E402
from qualcarto.codebook import get_version, version_codebook  # noqa: E402
from qualcarto.coding import add_coding  # noqa: E402
from qualcarto.demo import build_demo  # noqa: E402
from qualcarto.store import connect, session_scope  # noqa: E402
from qualcarto.transcripts import get_transcript  # noqa: E402

PASSAGES = [("ana", 160), ("ben", 120), ("lena", 140), ("ana", 200), ("ben", 90)]  # (coder, length)


def seed(url: str) -> tuple[str, int, int]:
    """A few codings by ana and ben in I3; returns a passage to select for the picture."""
    engine = connect(url)
    with session_scope(engine) as session:
        doc = get_transcript(session, "I3")
        leaves = [c.id for c in version_codebook(get_version(session)).leaves()]
        cursor = 600
        for index, (coder, length) in enumerate(PASSAGES):
            start = doc.text.index(" ", cursor) + 1
            add_coding(session, "I3", start, start + length, leaves[index * 3 % len(leaves)], coder)
            cursor = start + 90
        free = doc.text.index(". ", 2_000) + 2
    engine.dispose()
    return "I3", free, doc.text.index(".", free + 60) + 1


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        build_demo(url)
        name, start, end = seed(url)
        with running_app(url, Path(tmp) / "streamlit.log") as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.goto(base)
            page.get_by_label("User name").fill("lena")
            page.get_by_role("textbox", name="Password").fill("lena-demo-2025")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_test_id("qc-transcript").wait_for(timeout=60_000)
            token = page.url.split("session=")[1].split("&")[0]
            page.goto(f"{base}/?session={token}&t={name}&at=450")
            page.get_by_test_id("qc-transcript").wait_for(timeout=60_000)
            others = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
            for coder in ("ana", "ben", "linaker2025"):
                others.click()
                page.get_by_role("option", name=coder, exact=True).click()
                page.keyboard.press("Escape")
            page.wait_for_timeout(1_500)
            stripe = page.locator('[data-testid=qc-margin] .qcs-stripe:not([title*=":"])').first
            stripe.click()
            page.get_by_test_id("qc-handle-end").wait_for(timeout=30_000)
            page.get_by_text("Code tree").click()
            page.wait_for_timeout(1_000)
            page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
            page.wait_for_timeout(300)
            page.screenshot(path=str(ROOT / "docs" / "img" / "coding-margin.png"))

            page.keyboard.press("Escape")
            page.evaluate(
                """([start, end]) => {
                  const text = document.querySelector('[data-testid="qc-transcript"]');
                  const at = (o) => { for (const p of text.querySelectorAll('[data-s]')) {
                    if (o >= +p.dataset.s && o < +p.dataset.e) {
                      return [p.firstChild, Array.from(p.firstChild.data).slice(0, o - p.dataset.s).join('').length]; } } };
                  const a = at(start), b = at(end - 1);
                  a[0].parentElement.scrollIntoView({block: 'center'});
                  window.getSelection().setBaseAndExtent(a[0], a[1], b[0], b[1] + 1);
                  a[0].parentElement.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
                  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                }""",
                [start, end],
            )
            page.get_by_text(f"Selected {start}–{end}").wait_for(timeout=30_000)
            page.get_by_test_id("stMultiSelect").last.click()
            page.get_by_role("option").nth(2).click()
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_200)
            page.screenshot(path=str(ROOT / "docs" / "img" / "coding-page.png"))


if __name__ == "__main__":
    main()

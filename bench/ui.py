# SPDX-License-Identifier: MIT
"""How fast the coding page is on a long transcript: script rerun and first paint.

A 150,000-character interview with 1,000 overlapping codings by one coder. Two
figures: the page script's rerun time under ``streamlit.testing`` (median of several
runs after a warm-up) and, in headless Chromium, the time from navigation until the
transcript is drawn with its highlights. Run: ``.venv/bin/python bench/ui.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_study import app_as, build_study  # noqa: E402
from qualcarto.coding import add_coding  # noqa: E402
from qualcarto.store import connect, session_scope  # noqa: E402
from qualcarto.transcripts import import_transcripts  # noqa: E402

LENGTH, CODINGS, RERUNS = 150_000, 1_000, 7
SENTENCES = [
    "We shared the evaluation harness with two universities 🙂 and they sent fixes back.",
    "Nobody outside the lab could get enough GPU hours to reproduce the base model.",
    "The dataset card took weeks, but people reuse it now.",
    "Zoë said the licence question was the hardest part of the release.",
]


def long_transcript() -> str:
    """Alternating speaker turns of varied sentences, cut at ``LENGTH`` characters."""
    rng = random.Random(7)
    turns, size, index = [], 0, 0
    while size < LENGTH:
        speaker = "Interviewer" if index % 2 == 0 else "P9"
        body = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
        turns.append(f"{speaker}: {body}")
        size += len(turns[-1]) + 2
        index += 1
    return "\n\n".join(turns)[:LENGTH].rstrip() + "\n"


def build(folder: Path) -> str:
    url = build_study(folder)
    (folder / "P9.txt").write_text(long_transcript(), encoding="utf-8")
    engine = connect(url)
    rng = random.Random(11)
    with session_scope(engine) as session:
        import_transcripts(session, [folder / "P9.txt"])
        from qualcarto.assignments import assign

        assign(session, "P9", "ana", "lena")
        for _ in range(CODINGS):
            start = rng.randrange(0, LENGTH - 400)
            add_coding(session, "P9", start, start + rng.randint(20, 400),
                       rng.choice(["access", "docs", "money"]), "ana")  # fmt: skip
    engine.dispose()
    return url


def rerun_seconds(url: str) -> list[float]:
    import os

    os.environ["QUALCARTO_DB"] = url
    at = app_as(url, "ana")
    at.selectbox(key="code_transcript").select("P9").run()
    assert not at.exception, at.exception
    times = []
    for _ in range(RERUNS):
        began = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - began)
    return times


def first_paint_seconds(url: str, folder: Path, transcript: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    from browser_app import CHROMIUM, FLAGS, running_app
    from qualcarto.auth import sign_in

    times = []
    with running_app(url, folder / "streamlit.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        for _ in range(3):
            engine = connect(url)
            token = sign_in(engine, "ana", "ana-password").token  # type: ignore[union-attr]
            engine.dispose()
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            began = time.perf_counter()
            page.goto(f"{base}/?session={token}&transcript={transcript}")
            page.locator("[data-testid=qc-transcript] [data-s]").first.wait_for(timeout=60_000)
            times.append(time.perf_counter() - began)
            page.close()
        browser.close()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        url = build(folder)
        print(f"store: {LENGTH:,} characters, {CODINGS:,} codings, built in "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        reruns = rerun_seconds(url)
        print(f"coding page rerun (AppTest, {RERUNS} runs): median {statistics.median(reruns):.3f} s,"
              f" max {max(reruns):.3f} s")  # fmt: skip
        if Path("/usr/bin/chromium").exists():
            for name, what in (("P9", "the long transcript"), ("P1", "a 151-character one")):
                paints = first_paint_seconds(url, folder, name)
                print(f"first paint in headless Chromium, {what} (navigation to text and "
                      f"highlights drawn, 3 loads): median {statistics.median(paints):.2f} s, "
                      f"max {max(paints):.2f} s")  # fmt: skip
        else:
            print("first paint: skipped, /usr/bin/chromium is missing")


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: MIT
"""How fast the Code page is for a coder's day, in headless Chromium (not AppTest).

A 300,000-character interview with 2,000 codings by three coders, all visible to the lead.
Figures:

- *apply*: click **Apply to selection** until the new coding's highlight is in the DOM
  (p50, p95 over ``--applies`` codings, each a fresh selection deep in the transcript);
- *sign-in*: press **Sign in** until the transcript text is visible, on a warm server;
- *concurrent*: ``--contexts`` browser contexts (one coder each) code the long transcript at
  once on one SQLite store for ``--seconds``; then every coding clicked is counted in the
  store (none lost, none twice), and page text and server log are searched for
  "database is locked".

``--app-root DIR`` serves another checkout's ``app.py``/``app_pages``/``src`` (e.g. the
code before a change, extracted with ``git archive``), so a baseline is measured in the
same run on the same machine. Run: ``.venv/bin/python bench/ui.py [--seconds 120]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_study import build_study  # noqa: E402
from browser_app import CHROMIUM, FLAGS, running_app  # noqa: E402
from qualcarto.assignments import assign  # noqa: E402
from qualcarto.coding import add_coding, codings_frame  # noqa: E402
from qualcarto.store import connect, session_scope  # noqa: E402
from qualcarto.study_settings import set_blind  # noqa: E402
from qualcarto.transcripts import import_transcripts  # noqa: E402
from qualcarto.users import add_user  # noqa: E402
from team_study import PASSWORDS  # noqa: E402

LENGTH, CODINGS, CODERS = 300_000, 2_000, ("ana", "ben", "lena")
CODES = ("access", "docs", "money")
SENTENCES = [
    "We shared the evaluation harness with two universities 🙂 and they sent fixes back.",
    "Nobody outside the lab could get enough GPU hours to reproduce the base model.",
    "The dataset card took weeks, but people reuse it now.",
    "Zoë said the licence question was the hardest part of the release.",
]
# Select text[start:end] as a mouse would leave it, then end the "drag": the component's
# own mouseup handler reports the selection. Returns false when the offsets are not drawn.
_SELECT = """([start, end]) => {
  const box = document.querySelector('[data-testid="qc-transcript"]');
  const at = (offset) => {
    for (const piece of box.querySelectorAll('[data-s]')) {
      const s = Number(piece.dataset.s), e = Number(piece.dataset.e);
      if (offset < s || offset >= e) continue;
      const node = piece.firstChild;
      return [node, Array.from(node.data).slice(0, offset - s).join('').length];
    }
    return null;
  };
  const a = at(start), b = at(end - 1);
  if (!a || !b) return false;
  a[0].parentElement.scrollIntoView({block: 'center'});
  window.getSelection().setBaseAndExtent(a[0], a[1], b[0], b[1] + 1);
  a[0].parentElement.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return true;
}"""
_MAX_ID = """() => Math.max(0, ...Array.from(
  document.querySelectorAll('[data-testid="qc-transcript"] [data-ids]'),
  (el) => Math.max(...el.dataset.ids.split(',').map(Number))))"""


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


def build(folder: Path, contexts: int) -> str:
    """The study, the long transcript P9 with its codings, and one coder per context."""
    url = build_study(folder)
    (folder / "P9.txt").write_text(long_transcript(), encoding="utf-8")
    engine = connect(url)
    rng = random.Random(11)
    with session_scope(engine) as session:
        import_transcripts(session, [folder / "P9.txt"])
        for coder in ("ana", "ben", *(f"coder{i}" for i in range(contexts))):
            if coder.startswith("coder"):
                add_user(session, coder, "coder", f"{coder}-password")
            assign(session, "P9", coder, "lena")
        set_blind(session, False, "lena")
        for index in range(CODINGS):
            start = rng.randrange(0, LENGTH - 400)
            add_coding(
                session,
                "P9",
                start,
                start + rng.randint(20, 400),
                rng.choice(CODES),
                CODERS[index % 3],
            )
    engine.dispose()
    return url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    if not values:
        return "no values"
    return (
        f"p50 {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s, "
        f"max {max(values):.2f} s (n={len(values)})"
    )


async def sign_in(page: Any, base: str, name: str, password: str) -> float:
    """Sign in through the form; seconds from the click to the transcript's text."""
    await page.goto(base)
    await page.get_by_label("User name").fill(name)
    await page.get_by_role("textbox", name="Password").fill(password)
    began = time.perf_counter()
    await page.get_by_role("button", name="Sign in").click()
    await page.locator("[data-testid=qc-transcript] [data-s]").first.wait_for(timeout=120_000)
    return time.perf_counter() - began


async def open_long(page: Any) -> None:
    """Switch the Code page to P9 and choose the first code in the picker."""
    await page.get_by_test_id("stSelectbox").first.click()
    await page.get_by_role("option", name="P9", exact=True).click()
    await page.wait_for_function(
        "() => document.querySelector('[data-testid=\"qc-transcript\"]')?.textContent.length"
        f" >= {LENGTH - 10}",
        timeout=120_000,
    )


async def choose_code(page: Any) -> None:
    await page.get_by_test_id("stMultiSelect").last.click()
    # "Themes › Access to compute" before the picker showed codes by their own name
    await page.get_by_role("option", name=re.compile(r"Access to compute$")).click()
    await page.keyboard.press("Escape")


async def apply_once(page: Any, rng: random.Random) -> tuple[float, int, int]:
    """Select a fresh span, click Apply; seconds until its highlight is drawn."""
    start = rng.randrange(1_000, LENGTH - 1_000)
    end = start + rng.randint(30, 200)
    before = await page.evaluate(_MAX_ID)
    assert await page.evaluate(_SELECT, [start, end])
    await page.get_by_text(f"{start}–{end}").first.wait_for(timeout=120_000)
    button = page.get_by_role("button", name="Apply to selection")
    await page.wait_for_function(
        "() => Array.from(document.querySelectorAll('button')).some(b => "
        "b.innerText.includes('Apply to selection') && !b.disabled)",
        timeout=120_000,
    )
    began = time.perf_counter()
    await button.click()
    await page.wait_for_function(f"() => ({_MAX_ID})() > {before}", timeout=120_000)
    return time.perf_counter() - began, start, end


async def single_coder(base: str, applies: int) -> tuple[list[float], list[float]]:
    """The lead with everyone's codings shown: sign-in times and apply times."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        signins = []
        for attempt in range(4):  # the first warms the server; it is not counted
            page = await browser.new_page(viewport={"width": 1400, "height": 900})
            seconds = await sign_in(page, base, "lena", PASSWORDS["lena"])
            if attempt:
                signins.append(seconds)
            await page.close()
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        await sign_in(page, base, "lena", PASSWORDS["lena"])
        await open_long(page)
        others = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        for coder in ("ana", "ben"):
            await others.click()
            await page.get_by_role("option", name=coder, exact=True).click()
            await page.keyboard.press("Escape")
        await page.wait_for_timeout(2_000)
        await choose_code(page)
        rng = random.Random(5)
        times = [(await apply_once(page, rng))[0] for _ in range(applies)]
        await browser.close()
    return signins, times


async def coder_loop(
    browser: Any, base: str, name: str, ready: asyncio.Barrier, seconds: float, out: dict[str, Any]
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    await sign_in(page, base, name, f"{name}-password")
    await open_long(page)
    await choose_code(page)
    rng = random.Random(name)
    await ready.wait()  # sign-in and loading are not counted: all start coding together
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            seconds, start, end = await apply_once(page, rng)
        except Exception as exc:
            out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
            break
        out["times"].append(seconds)
        out["applied"].append((name, start, end))
        if "database is locked" in (await page.content()):
            out["locked"] += 1
    await context.close()


async def concurrent(base: str, contexts: int, seconds: float) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    out: dict[str, Any] = {"times": [], "applied": [], "errors": [], "locked": 0}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        ready = asyncio.Barrier(contexts)
        loops = [
            coder_loop(browser, base, f"coder{i}", ready, seconds, out) for i in range(contexts)
        ]
        await asyncio.gather(*loops)
        await browser.close()
    return out


def check_store(url: str, applied: list[tuple[str, int, int]]) -> tuple[int, int]:
    """(lost, duplicated): clicked codings missing from the store, and rows stored twice."""
    engine = connect(url)
    with session_scope(engine) as session:
        frame = codings_frame(session, transcripts=["P9"])
    engine.dispose()
    mine = frame[frame["coder"].str.startswith("coder")]
    keys = list(zip(mine["coder"], mine["start"], mine["end"], mine["code_id"], strict=True))
    stored = set(keys)
    lost = sum((*a, "access") not in stored for a in set(applied))
    return lost, len(keys) - len(stored)


def run(label: str, root: Path, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        url = build(folder, args.contexts)
        print(
            f"[{label}] store: {LENGTH:,} characters, {CODINGS:,} codings by "
            f"{len(CODERS)} coders, built in {time.perf_counter() - began:.1f} s"
        )
        log = folder / "streamlit.log"
        with running_app(url, log, root=root) as base:
            signins, applies = asyncio.run(single_coder(base, args.applies))
            print(f"[{label}] sign-in -> transcript visible (warm): {summary(signins)}")
            print(
                f"[{label}] Apply -> highlight in the DOM, 2,000 codings of 3 coders shown: "
                f"{summary(applies)}"
            )
            if args.contexts:
                out = concurrent(base, args.contexts, args.seconds)
                out = asyncio.run(out)
                lost, doubled = check_store(url, out["applied"])
                locked = out["locked"] + log.read_text(errors="replace").count("database is locked")
                print(
                    f"[{label}] {args.contexts} contexts for {args.seconds:.0f} s: "
                    f"Apply {summary(out['times'])}; applied {len(out['applied'])}, lost {lost}, "
                    f"duplicated {doubled}, 'database is locked' {locked}, "
                    f"stuck pages {len(out['errors'])}"
                )
                for error in out["errors"][:3]:
                    print(f"[{label}]   {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-root", type=Path, help="also measure this checkout, first")
    parser.add_argument("--applies", type=int, default=20)
    parser.add_argument("--contexts", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if args.app_root:
        run("baseline", args.app_root.resolve(), args)
    run("this checkout", ROOT, args)


if __name__ == "__main__":
    main()

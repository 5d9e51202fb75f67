# SPDX-License-Identifier: MIT
"""How fast the Suggestions page shows in headless Chromium on the demo study, before and after.

"Before" is the page as it was at ``--baseline`` (a git revision, default ``8f3633e``),
served from a copy of the app with only that page swapped in; "after" is the page in
this tree. Both run against the same demo store (``qualcarto demo``), each on a fresh
``streamlit run``, signed in as the demo lead. Three figures per page:

* cold: navigation until every listed suggestion's Accept button is drawn, on the first
  visit after the server started (the suggester is built then);
* warm: the same on later visits (median of ``--loads``);
* accept: click the first Accept until the list is drawn again without it (median);
* floor: the sign-in page, what any navigation costs on this machine (median);
* rerun: the page script alone under ``streamlit.testing``, no browser (median).

"Drawn" is when Streamlit reports the script run over, as its own browser tests wait.

    .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import CHROMIUM, FLAGS, free_port  # noqa: E402
from qualcarto.auth import sign_in  # noqa: E402
from qualcarto.store import connect, session_scope  # noqa: E402

PAGE = "app_pages/suggestions.py"
CARD = "[data-testid=stButton] button:has-text('Accept')"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def app_copy(folder: Path, baseline: str | None) -> Path:
    """app.py and app_pages/ of this tree, with the Suggestions page of ``baseline`` if given."""
    target = folder / ("before" if baseline else "after")
    target.mkdir()
    shutil.copy(ROOT / "app.py", target / "app.py")
    shutil.copytree(ROOT / "app_pages", target / "app_pages")
    if baseline:
        old = subprocess.run(
            ["git", "show", f"{baseline}:{PAGE}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (target / PAGE).write_text(old, encoding="utf-8")
    return target


@contextmanager
def serving(app: Path, url: str, log: Path) -> Iterator[str]:
    import urllib.request

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "QUALCARTO_DB": url, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        command, cwd=app, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def token(url: str) -> str:
    engine = connect(url)
    with session_scope(engine) as session:
        signed = sign_in(session, "lena", "lena-demo-2025")
    engine.dispose()
    assert signed is not None
    return signed.token


def drawn(page: Any) -> tuple[float, int]:
    """When the page finished drawing the list, and how many Accept buttons it shows.

    Waits for the count line, then for Streamlit to report the script run over
    (``data-test-script-state``, what Streamlit's own browser tests wait for).
    """
    page.get_by_text("open suggestions in").first.wait_for(timeout=180_000)
    page.locator(IDLE).wait_for(timeout=180_000)
    return time.perf_counter(), int(page.locator(CARD).count())


def floor_seconds(browser: Any, base: str, loads: int) -> float:
    """The cheapest page of the app (the sign-in form): what any navigation costs here."""
    times = []
    for _ in range(loads):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        began = time.perf_counter()
        page.goto(f"{base}/")
        page.get_by_role("button", name="Sign in").wait_for(timeout=180_000)
        page.locator(IDLE).wait_for(timeout=180_000)
        times.append(time.perf_counter() - began)
        page.close()
    return statistics.median(times)


def rerun_seconds(app: Path, url: str, runs: int) -> float:
    """Server side only: the page script's rerun under streamlit.testing, median of ``runs``."""
    from streamlit.testing.v1 import AppTest

    os.environ["QUALCARTO_DB"] = url
    at = AppTest.from_file(str(app / "app.py"), default_timeout=180)
    at.query_params["session"] = token(url)
    at.run()
    at.switch_page(PAGE).run()  # the first run builds the suggester
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - began)
    assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def measure(browser: Any, base: str, url: str, loads: int) -> dict[str, Any]:
    times: list[float] = []
    cards = 0
    for _ in range(loads + 1):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        began = time.perf_counter()
        page.goto(f"{base}/suggestions?session={token(url)}")
        done, cards = drawn(page)
        times.append(done - began)
        page.close()
    accepts: list[float] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/suggestions?session={token(url)}")
    drawn(page)
    for _ in range(3):
        before = page.get_by_text("open suggestions in").first.inner_text()
        began = time.perf_counter()
        page.locator(CARD).first.click()
        page.get_by_text("open suggestions in").filter(has_not_text=before).first.wait_for(
            timeout=120_000
        )
        done, _ = drawn(page)
        accepts.append(done - began)
    page.close()
    return {
        "cold": times[0],
        "warm": statistics.median(times[1:]),
        "cards": cards,
        "accept": statistics.median(accepts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="8f3633e", help="git revision of 'before'")
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "demo.db"
        cli = Path(sys.executable).with_name("qualcarto")
        subprocess.run([str(cli), "--db", str(db), "demo"], check=True, capture_output=True)
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            for label, baseline in (("before", args.baseline), ("after", None)):
                # Each side gets its own copy of the store, so 'before' accepting changes nothing 'after' sees.
                store = folder / f"{label}.db"
                shutil.copy(db, store)
                url = f"sqlite:///{store}"
                app = app_copy(folder, baseline)
                with serving(app, url, folder / f"{label}.log") as base:
                    results[label] = measure(browser, base, url, args.loads)
                    results[label]["floor"] = floor_seconds(browser, base, args.loads)
                results[label]["rerun"] = rerun_seconds(app, url, args.loads)
            browser.close()
    before, after = results["before"], results["after"]
    print("Suggestions page, demo study, headless Chromium (seconds; lower is better)")
    print(f"{'':8}{'before':>10}{'after':>10}{'ratio':>8}")
    for key in ("cold", "warm", "accept", "floor", "rerun"):
        print(f"{key:8}{before[key]:>10.2f}{after[key]:>10.2f}{before[key] / after[key]:>7.1f}x")
    print(f"cards drawn: before {before['cards']}, after {after['cards']}")
    print("floor: the sign-in page, the cheapest navigation; rerun: the page script alone")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

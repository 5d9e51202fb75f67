# SPDX-License-Identifier: MIT
"""Every page of the app, checked by axe-core in a real browser, and used by keyboard alone.

axe-core (npm, pinned in ``tests/browser/package-lock.json``; ``scripts/test.sh`` runs
``npm ci`` there) is injected by Playwright into each page the router gives a lead and
a coder, on Debian's Chromium against ``streamlit run app.py`` (``browser_app``). A
critical or serious violation fails the test and names the rule and the element.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app_study import HOSTILE_TRANSCRIPT, code_span
from browser_app import need_chromium, running_app
from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.assignments import assign
from qualcarto.store import connect, session_scope
from team_study import PASSWORDS, build_team_store

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
CODER_PAGES = [
    "", "search", "query", "notebook", "suggestions", "review", "codebook", "cartography",
    "exports",
]  # fmt: skip
LEAD_PAGES = [
    *CODER_PAGES,
    "assignments",
    "reconcile",
    "agreement",
    "calibration",
    "corrections",
    "groups",
    "speakers",
    "pseudonyms",
    "appendix",
]

pytestmark = pytest.mark.browser

# Each blocking violation as one line: rule (impact) at element: what to fix.
_AXE_RUN = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => impacts.includes(v.impact)).flatMap(v => v.nodes.map(
    n => `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary.split('\\n')[1].trim()}`));
}"""


def need_axe() -> None:
    """Skip the test when axe-core is not installed, or fail it in CI."""
    if AXE.exists():
        return
    reason = f"{AXE.relative_to(ROOT)} is missing: run npm ci --prefix tests/browser"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(f"{reason} (set CI=1 to make this a failure)")


def build_a11y_study(folder: Path) -> str:
    """A study with every page populated: a transcript long enough to scroll, codings by
    both coders (agreement, reconcile, review have work), ana reviewing ben on P1."""
    transcripts = {"P1": ODD_TRANSCRIPT * 30, "P2": HOSTILE_TRANSCRIPT}
    url = build_team_store(folder, "a11y.db", "a11y study", TINY_CODEBOOK, transcripts)
    for words, code, coder in (
        ("Tell me about the cluster.", "access", "ana"),
        ("Tell me about the cluster", "access", "ben"),
        ("It took months", "docs", "ana"),
        ("Then we wrote everything down.", "docs", "ben"),
    ):
        code_span(url, "P1", words, code, coder)
    engine = connect(url)
    with session_scope(engine) as session:
        assign(session, "P1", "ana", "lena", "review")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    need_axe()
    folder = tmp_path_factory.mktemp("a11y")
    with running_app(build_a11y_study(folder), folder / "streamlit.log") as base:
        yield base


def settle(page: Any) -> None:
    """Wait until the script run has finished and its elements are drawn."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"
        " === 'notRunning'",
        timeout=60_000,
    )
    page.wait_for_timeout(500)  # custom components and charts draw after the run


def violations(page: Any) -> list[str]:
    """axe-core's critical and serious violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(_AXE_RUN, list(BLOCKING)))


def sign_in_with_mouse(browser: Any, base: str, name: str) -> tuple[Any, str]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**session=*", timeout=30_000)
    return page, page.url.split("session=", 1)[1].split("&", 1)[0]


def _search(page: Any) -> list[str]:
    page.get_by_label("Word or phrase").fill("the")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Code").first.wait_for(timeout=30_000)
    settle(page)
    return violations(page)


def _codebook_history(page: Any) -> list[str]:
    page.get_by_role("tab", name="History and diff").click()
    page.get_by_text("Only one version so far").wait_for(timeout=30_000)
    return violations(page)


def _coding_open_and_selection(page: Any) -> list[str]:
    """The Code page with one's own coding open for editing, then with a passage selected."""
    found = []
    if page.locator("[data-ids]").count():  # a lead has no codings of her own here
        page.locator("[data-ids]").first.click()
        page.get_by_role("button", name="Delete").wait_for(timeout=30_000)
        settle(page)
        found += violations(page)
    piece = page.locator("[data-testid=qc-transcript] [data-s]").nth(3).bounding_box()
    y = piece["y"] + piece["height"] / 2
    page.mouse.move(piece["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(piece["x"] + piece["width"] - 2, y, steps=4)
    page.mouse.up()
    page.get_by_text("Selected", exact=False).first.wait_for(timeout=30_000)
    settle(page)
    return found + violations(page)


# What else a page shows once used, beyond its first view; each returns the violations then.
STATES: dict[str, Callable[[Any], list[str]]] = {
    "search": _search,
    "codebook": _codebook_history,
    "": _coding_open_and_selection,
}


def audit_pages(browser: Any, base: str, name: str, paths: list[str]) -> dict[str, list[str]]:
    """Visit each page signed in as ``name``; return the violations found, per page."""
    page, token = sign_in_with_mouse(browser, base, name)
    found: dict[str, list[str]] = {}
    for path in paths:
        page.goto(f"{base}/{path}?session={token}")
        settle(page)
        if path == "":
            page.locator("[data-testid=qc-transcript] [data-s]").first.wait_for(timeout=30_000)
        where = f"/{path} as {name}"
        found[where] = violations(page)
        if path in STATES:
            found[f"{where}, in use"] = STATES[path](page)
    page.close()
    return {where: lines for where, lines in found.items() if lines}


def test_the_sign_in_page_has_no_serious_accessibility_violation(app: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(app)
    page.get_by_label("User name").wait_for(timeout=30_000)
    settle(page)
    found = violations(page)
    assert found == [], "\n".join(found)
    page.close()


@pytest.mark.parametrize(("name", "paths"), [("lena", LEAD_PAGES), ("ana", CODER_PAGES)])
def test_every_page_has_no_serious_accessibility_violation(
    app: str, browser: Any, name: str, paths: list[str]
) -> None:
    found = audit_pages(browser, app, name, paths)
    assert found == {}, "\n".join(
        f"{where}: {line}" for where, lines in found.items() for line in lines
    )


def test_every_page_of_the_router_is_audited() -> None:
    router = (ROOT / "app.py").read_text(encoding="utf-8")
    everyone, lead_only = router.split("if user.is_lead", 1)
    pages = re.compile(r'st\.Page\(\s*"app_pages/(\w+)\.py"')
    default = "coding"  # served at "/"
    assert {p if p != default else "" for p in pages.findall(everyone)} - {"signin"} == set(
        CODER_PAGES
    )
    assert set(pages.findall(lead_only)) == set(LEAD_PAGES) - set(CODER_PAGES)


def tab_to(page: Any, target: Any, limit: int = 60) -> int:
    """Press Tab until ``target`` has the focus; return how many presses it took."""
    for presses in range(limit):
        if target.evaluate(
            "el => el === document.activeElement || el.contains(document.activeElement)"
        ):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached in {limit} presses of Tab")


def test_signing_in_needs_only_the_keyboard(app: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(app)
    name = page.get_by_label("User name")
    name.wait_for(timeout=30_000)
    settle(page)
    tab_to(page, name)
    page.keyboard.type("lena")
    tab_to(page, page.get_by_role("textbox", name="Password"))
    page.keyboard.type(PASSWORDS["lena"])
    tab_to(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")
    page.wait_for_url("**session=*", timeout=30_000)
    page.get_by_text("Signed in as").wait_for(timeout=30_000)
    page.close()


def test_a_primary_button_and_the_transcript_are_reached_and_used_by_keyboard(
    app: str, browser: Any
) -> None:
    page, token = sign_in_with_mouse(browser, app, "lena")
    page.goto(f"{app}/exports?session={token}")
    prepare = page.get_by_role("button", name="Prepare the files")
    prepare.wait_for(timeout=30_000)
    settle(page)
    tab_to(page, prepare)
    page.keyboard.press("Enter")
    page.get_by_text("codings exported under codebook version").wait_for(timeout=60_000)
    tab_to(page, page.get_by_role("button", name="Theme matrices (Excel workbook)"))

    # The transcript is one tab stop, and the keyboard scrolls it.
    page.goto(f"{app}/?session={token}")
    box = page.get_by_role("region", name="Transcript")
    page.locator("[data-testid=qc-transcript] [data-s]").first.wait_for(timeout=30_000)
    settle(page)
    tab_to(page, box)
    page.keyboard.press("PageDown")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=qc-transcript-pane]').scrollTop > 0",
        timeout=10_000,
    )
    page.close()


def test_repeated_controls_name_their_row(app: str, browser: Any) -> None:
    page, token = sign_in_with_mouse(browser, app, "lena")
    page.goto(f"{app}/assignments?session={token}")
    for name in ("Coders of P1", "Reviewers of P1", "Coders of P2", "Reviewers of P2"):
        page.get_by_role("combobox", name=name, exact=True).wait_for(timeout=30_000)
    page.close()

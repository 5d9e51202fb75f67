# SPDX-License-Identifier: MIT
"""Script and markup typed by users never runs in the app and always shows as typed.

A study whose every user-written text carries payloads (a ``<script>``, an ``<img
onerror>``, a ``javascript:`` link, markdown and Streamlit directives): the transcript's
name and text, participant attributes, a code's name and definition, a coding memo, a
transcript memo and a review comment. A lead and a coder then open every page they can
reach in Debian's Chromium; on each, ``window.__xss`` must stay undefined, no dialog may
open, no payload element may exist, and the payload text must be visible literally.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_study import PASSWORDS
from browser_app import need_chromium, running_app
from conftest import TINY_CODEBOOK
from qualcarto.assignments import assign
from qualcarto.codebook import publish_codebook
from qualcarto.coding import add_coding
from qualcarto.memos import write_memo
from qualcarto.review import review_coding
from qualcarto.selection import set_memo
from qualcarto.store import connect, session_scope
from qualcarto.study import create_study
from qualcarto.transcripts import get_transcript, import_transcripts
from qualcarto.users import add_user

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
LINK = "[click me](javascript:window.__xss=1)"
MARKUP = "**not bold** :red[not red] $x^2$"
# A markdown image from outside: rendered, it would load (and so report a visit).
OUTSIDE_IMAGE = "![seen](http://127.0.0.1:9/__xss.png)"
NAME = "P5 <img src=x onerror=window.__xss=1> **b**"  # a transcript file name
CODE_NAME = f"Access {IMG} **not bold** {OUTSIDE_IMAGE}"
PAYLOAD = f"{SCRIPT} {IMG} {LINK} {MARKUP}"
TEXT = f"Interviewer: Tell me about {PAYLOAD} please.\n\nP5: We typed {SCRIPT} and {IMG} too."

LEAD_PAGES = {  # url path -> literal text that must be on the page
    "": SCRIPT,
    "search": SCRIPT,
    "suggestions": "",
    "review": f"Coder's memo: {PAYLOAD}",
    "codebook": CODE_NAME,
    "exports": "",
    "cartography": CODE_NAME,
    "assignments": NAME,
    "reconcile": CODE_NAME,
    "agreement": NAME,
    "query": "",
    "notebook": f"{PAYLOAD} in the notebook",
    "calibration": "",
    "groups": "",
    "corrections": "",
    "speakers": "",
    "pseudonyms": "",
    "appendix": "",
}
CODER_PAGES = [
    "", "search", "query", "notebook", "suggestions", "review", "codebook", "exports", "cartography",
]  # fmt: skip


def build_hostile_study(folder: Path) -> str:
    """A store where every text a person can type carries the payloads."""
    url = f"sqlite:///{folder / 'xss.db'}"
    book = (
        TINY_CODEBOOK.replace("name: Access to compute", f"name: '{CODE_NAME}'")
        .replace("definition: Getting hardware to train on.", f"definition: '{PAYLOAD}'")
        .replace(", split: polarity}", "}")  # the map needs three different facets to split
    )
    (folder / "codebook.yaml").write_text(book, encoding="utf-8")
    transcript = folder / f"{NAME}.txt"
    transcript.write_text(TEXT, encoding="utf-8")
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "organization"], [NAME, PAYLOAD]])
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        create_study(session, "xss study")
        for name, role in (("lena", "lead"), ("ana", "coder"), ("ben", "coder")):
            add_user(session, name, role, PASSWORDS[name])
        publish_codebook(session, folder / "codebook.yaml", "v1", author="lena")
        import_transcripts(session, [transcript], participants_csv=folder / "people.csv")
        for coder in ("ana", "ben"):
            assign(session, NAME, coder, "lena")
        start = TEXT.index("We typed")
        made = add_coding(session, NAME, start, start + 20, "access", "ana", memo=PAYLOAD)
        add_coding(session, NAME, start + 3, start + 30, "access", "ben", memo=PAYLOAD)
        set_memo(session, get_transcript(session, NAME), "ana", PAYLOAD)
        review_coding(session, made.id, "lena", "comment", PAYLOAD)
        write_memo(session, "ana", f"{PAYLOAD} in the notebook", title=PAYLOAD)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    folder = tmp_path_factory.mktemp("xss")
    with running_app(build_hostile_study(folder), folder / "streamlit.log") as base:
        yield base


def signed_in_page(browser: Any, base: str, name: str) -> tuple[Any, str, list[str]]:
    """A page signed in as ``name``, its session token, and the list dialogs land in."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**session=*", timeout=30_000)
    token = page.url.split("session=", 1)[1].split("&", 1)[0]
    return page, token, dialogs


def visit(page: Any, base: str, path: str, token: str, literal: str) -> str:
    """Open a page and wait until it has rendered (its literal text, or its script ran)."""
    page.goto(f"{base}/{path}?session={token}")
    page.get_by_test_id("stSidebar").wait_for(timeout=30_000)
    if path == "search":
        page.get_by_label("Word or phrase").fill("typed")
        page.keyboard.press("Enter")
    if literal:
        page.get_by_text(literal, exact=False).filter(visible=True).first.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(300)  # let any late onerror handler fire
    return str(page.inner_text("body"))


def assert_inert(page: Any, dialogs: list[str], where: str) -> None:
    assert page.evaluate("window.__xss") is None, f"a payload ran on {where}"
    assert dialogs == [], f"a dialog opened on {where}: {dialogs}"
    injected = "img[src='x'], img[src*='__xss'], a[href^='javascript'], script:not([src])"
    found = page.evaluate(
        "sel => [...document.querySelectorAll(sel)].filter(e => !e.closest('head'))"
        ".map(e => e.outerHTML)",
        injected,
    )
    assert [html for html in found if "__xss" in html] == [], f"payload markup on {where}"


def test_a_lead_sees_every_payload_as_text_and_nothing_runs(app: str, browser: Any) -> None:
    page, token, dialogs = signed_in_page(browser, app, "lena")
    for path, literal in LEAD_PAGES.items():
        shown = visit(page, app, path, token, literal)
        assert_inert(page, dialogs, f"/{path} as lead")
        assert literal in shown, f"/{path} does not show {literal!r} literally"
    page.close()


def test_a_coder_sees_every_payload_as_text_and_nothing_runs(app: str, browser: Any) -> None:
    page, token, dialogs = signed_in_page(browser, app, "ana")
    for path in CODER_PAGES:
        literal = "" if path == "review" else LEAD_PAGES[path]  # ana reviews nothing
        shown = visit(page, app, path, token, literal)
        assert_inert(page, dialogs, f"/{path} as coder")
        assert literal in shown, f"/{path} does not show {literal!r} literally"
    # The coding page also shows the participant's attributes and the transcript's name.
    shown = visit(page, app, "", token, SCRIPT)
    assert NAME in shown and f"organization: {PAYLOAD}" in shown
    page.close()


def test_every_page_a_person_can_reach_was_checked() -> None:
    router = (Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8")
    routed = set(re.findall(r'st\.Page\(\s*"app_pages/(\w+)\.py"', router)) - {"signin"}
    assert routed == {p or "coding" for p in LEAD_PAGES}
    assert set(CODER_PAGES) <= set(LEAD_PAGES)

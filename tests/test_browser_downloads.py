# SPDX-License-Identifier: MIT
"""Export files are handed only to a signed-in browser, and not served after sign-out.

Streamlit serves a download at a ``/media/...`` URL that asks for no session. The app
makes the file only when the button is clicked, after checking the sign-in, and drops
the session's files when it signs out: in real Chromium against a real server, the URL
a signed-in lead downloaded from answers 404 right after the lead signs out, and a page
whose sign-in was revoked elsewhere gets no file at all.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_study import PASSWORDS
from browser_app import need_chromium, running_app
from qualcarto.auth import sign_out
from qualcarto.store import connect, session_scope

pytestmark = pytest.mark.browser


@pytest.fixture
def app(app_study: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    need_chromium()
    with running_app(app_study, tmp_path / "streamlit.log") as base:
        yield app_study, base


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def exports_ready(browser: Any, base: str) -> tuple[Any, str]:
    """A page signed in as the lead on Exports with the files prepared; and its token."""
    page = browser.new_page(accept_downloads=True)
    page.goto(base)
    page.get_by_label("User name").fill("lena")
    page.get_by_role("textbox", name="Password").fill(PASSWORDS["lena"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**session=*", timeout=30_000)
    token = page.url.split("session=", 1)[1].split("&", 1)[0]
    page.goto(f"{base}/exports?session={token}")
    page.get_by_role("button", name="Prepare the files").click()
    page.get_by_role("button", name="Codings, one row each (tidy csv)").wait_for(timeout=60_000)
    return page, token


def test_a_download_url_is_dead_once_its_browser_signs_out(
    app: tuple[str, str], browser: Any
) -> None:
    _, base = app
    page, _ = exports_ready(browser, base)
    with page.expect_download(timeout=30_000) as caught:
        page.get_by_role("button", name="Codings, one row each (tidy csv)").click()
    url = caught.value.url
    assert "/media/" in url and status_of(url) == 200  # served while signed in
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("User name").wait_for(timeout=30_000)
    assert status_of(url) == 404
    page.close()


def test_a_page_whose_sign_in_was_revoked_gets_no_file(app: tuple[str, str], browser: Any) -> None:
    store_url, base = app
    page, token = exports_ready(browser, base)
    engine = connect(store_url)
    with session_scope(engine) as session:
        sign_out(session, token)  # e.g. signed out in another tab, or expired
    engine.dispose()
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Codings, one row each (tidy csv)").click()
    page.wait_for_timeout(3_000)
    assert downloads == []
    page.close()

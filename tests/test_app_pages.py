# SPDX-License-Identifier: MIT
"""The app's router: nothing but sign-in before signing in, every page renders for its role."""

from __future__ import annotations

import pytest

from app_study import PASSWORDS, ROOT, app_as, no_errors

CODER_PAGES = ["coding", "search", "query", "notebook", "review", "codebook"]
LEAD_PAGES = [
    *CODER_PAGES, "assignments", "reconcile", "corrections", "groups", "speakers", "pseudonyms",
    "appendix",
]  # fmt: skip


@pytest.fixture
def url(app_study: str, monkeypatch: pytest.MonkeyPatch) -> str:
    study = app_study
    monkeypatch.setenv("QUALCARTO_DB", study)
    return study


def test_before_sign_in_only_the_sign_in_form_shows(url: str) -> None:
    at = no_errors(app_as(url, None))
    assert [t.value for t in at.title] == ["qualcarto"]
    assert len(at.text_input) == 2 and not at.get("stComponent")
    assert "P1" not in str(at.main)  # no transcript names, no study data


def test_signing_in_with_the_form_opens_the_coding_page(url: str) -> None:
    at = app_as(url, None)
    at.text_input(key="signin_name").input("ana")
    at.text_input(key="signin_password").input(PASSWORDS["ana"])
    no_errors(at.button[0].click().run())
    assert at.selectbox(key="code_transcript").value == "P1"
    assert "ana" in at.sidebar.caption[0].value and at.query_params["session"]


def test_a_wrong_password_is_refused(url: str) -> None:
    at = app_as(url, None)
    at.text_input(key="signin_name").input("ana")
    at.text_input(key="signin_password").input("not-her-password")
    no_errors(at.button[0].click().run())
    assert [e.value for e in at.error] == ["Unknown user name or wrong password."]
    assert "session" not in at.query_params


def test_an_unknown_token_in_the_link_is_not_a_sign_in(url: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["session"] = "made-up-token"
    no_errors(at.run())
    assert [t.value for t in at.title] == ["qualcarto"]


@pytest.mark.parametrize(("user", "pages"), [("ana", CODER_PAGES), ("lena", LEAD_PAGES)])
def test_every_page_renders_for_its_role(url: str, user: str, pages: list[str]) -> None:
    at = no_errors(app_as(url, user))
    for page in pages:
        no_errors(at.switch_page(f"app_pages/{page}.py").run())


def test_a_coder_cannot_reach_the_leads_pages(url: str) -> None:
    at = no_errors(app_as(url, "ana"))
    for page in set(LEAD_PAGES) - set(CODER_PAGES):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")


def test_sign_out_ends_the_session(url: str) -> None:
    at = no_errors(app_as(url, "ben"))
    token = at.query_params["session"]
    no_errors(at.sidebar.button(key="sign_out").click().run())
    assert [t.value for t in at.title] == ["qualcarto"]
    at.query_params["session"] = token
    assert [t.value for t in no_errors(at.run()).title] == ["qualcarto"]

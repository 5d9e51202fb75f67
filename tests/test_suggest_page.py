# SPDX-License-Identifier: MIT
"""The Suggestions page: a signed-in coder accepts or rejects each suggestion with one click."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qualcarto.auth import sign_in
from qualcarto.coding import codings_frame
from qualcarto.store import AuditEvent, connect, session_scope
from suggest_study import build_study
from team_study import PASSWORDS

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "suggestions.py")


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_study(tmp_path / "study")
    monkeypatch.setenv("QUALCARTO_DB", url)
    monkeypatch.syspath_prepend(str(ROOT))
    return url


def page_as(url: str, name: str) -> AppTest:
    engine = connect(url)
    signed = sign_in(engine, name, PASSWORDS[name])
    engine.dispose()
    assert signed is not None
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["qc_token"] = signed.token
    return app.run()


def test_the_page_lists_suggestions_with_their_evidence(url: str) -> None:
    app = page_as(url, "ana")
    assert not app.exception
    texts = [t.value for t in app.text]
    heading = next(t for t in texts if t.startswith("Guarded training secrets  (secrecy)"))
    assert "evidence: " in heading and "guarded secrets" in heading
    # The excerpt in its context: the words around it, the suggested span marked.
    excerpt = next(t for t in texts if "«No. Our training recipes" in t)
    before, rest = excerpt.split("«")
    assert before.strip() and "»" in rest
    assert {b.label for b in app.button} >= {"Accept", "Reject"}


def test_accept_makes_a_coding_of_the_signed_in_coder_in_one_click(url: str) -> None:
    app = page_as(url, "ana")
    accept = next(b for b in app.button if b.key.startswith("accept_secrecy"))
    app = accept.click().run()
    assert not app.exception
    assert any("Accepted" in s.value for s in app.success)
    assert not any(b.key.startswith("accept_secrecy") for b in app.button)
    engine = connect(url)
    with session_scope(engine) as session:
        mine = codings_frame(session, ["ana"])
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "ana")))
    engine.dispose()
    assert mine[["code_id", "origin"]].values.tolist() == [["secrecy", "suggestion"]]
    assert "suggestion.accept" in actions


def test_reject_hides_the_suggestion_and_makes_no_coding(url: str) -> None:
    app = page_as(url, "ben")
    reject = next(b for b in app.button if b.key.startswith("reject_compute"))
    app = reject.click().run()
    assert not app.exception
    assert not any(b.key.startswith("reject_compute") for b in app.button)
    assert any(b.key.startswith("accept_secrecy") for b in app.button)
    engine = connect(url)
    with session_scope(engine) as session:
        assert codings_frame(session, ["ben"]).empty
        rejected = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "suggestion.reject")
        ).one()
    engine.dispose()
    assert (rejected.actor, rejected.payload["code"]) == ("ben", "compute")


def test_the_page_needs_a_signed_in_person(url: str) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert [w.value for w in app.warning] == ["Please sign in first."]
    assert not app.button

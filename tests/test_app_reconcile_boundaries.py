# SPDX-License-Identifier: MIT
"""Reconcile's Edit: the consensus span is set with the selector's handles, not typed offsets.

AppTest cannot run the component's JavaScript, so the test puts the span where the
handles' callback puts it (``rec_editing``); ``test_browser_coding`` drags real handles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app_study import app_as, build_study, no_errors
from qualcarto.coding import add_coding, codings_frame
from qualcarto.reconcile import CONSENSUS
from qualcarto.store import connect, session_scope


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    study = build_study(tmp_path / "study")
    monkeypatch.setenv("QUALCARTO_DB", study)
    return study


def test_an_edited_consensus_span_comes_from_the_handles(url: str) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        a = add_coding(session, "P1", 30, 60, "docs", "ana").id
        b = add_coding(session, "P1", 35, 70, "docs", "ben").id
    engine.dispose()
    key = f"rec_{a}_{b}"
    at = no_errors(app_as(url, "lena").switch_page("app_pages/reconcile.py").run())
    assert not at.number_input  # no offsets to type
    no_errors(at.button(key=f"{key}_adjust").click().run())
    assert at.session_state["rec_editing"] == (key, a, b, 30, 70)  # both spans' union at first
    at.session_state["rec_editing"] = (key, a, b, 32, 64)  # the handles dragged
    no_errors(at.run().button(key=f"{key}_edit").click().run())
    engine = connect(url)
    with session_scope(engine) as session:
        consensus = codings_frame(session, [CONSENSUS])
    engine.dispose()
    assert list(zip(consensus["start"], consensus["end"], consensus["code_id"], strict=True)) == [
        (32, 64, "docs")
    ]

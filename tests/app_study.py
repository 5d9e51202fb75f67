# SPDX-License-Identifier: MIT
"""A small study for the app tests: the tiny codebook, odd and hostile transcripts, three people.

Not a test module: ``test_app_*`` and ``test_browser`` build their store with it.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.auth import sign_in
from qualcarto.coding import add_coding
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import get_transcript
from team_study import PASSWORDS, build_team_store

ROOT = Path(__file__).resolve().parents[1]

# Markup that must show as text: if any of it ran, window.__pwned would be set.
HOSTILE_TRANSCRIPT = (
    "Interviewer: Can you read this? <img src=x onerror=\"window.__pwned='img'\"> and "
    "<script>window.__pwned='script'</script> and <b>not bold</b> & more.\n\n"
    "P2: Yes, all of it shows as plain text.\n"
)


def build_study(folder: Path) -> str:
    """Create the store in ``folder`` and return its URL; ana and ben both code P1 and P2."""
    transcripts = {"P1": ODD_TRANSCRIPT, "P2": HOSTILE_TRANSCRIPT}
    return build_team_store(folder, "app.db", "app test study", TINY_CODEBOOK, transcripts)


def code_span(url: str, transcript: str, words: str, code: str, coder: str) -> None:
    """``coder`` codes the first occurrence of ``words`` in ``transcript`` with ``code``."""
    engine = connect(url)
    with session_scope(engine) as session:
        start = get_transcript(session, transcript).text.index(words)
        add_coding(session, transcript, start, start + len(words), code, coder)
    engine.dispose()


def app_as(url: str, name: str | None) -> AppTest:
    """The app, signed in as ``name`` through a real server-side token (None: signed out)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if name is not None:
        engine = connect(url)
        user = sign_in(engine, name, PASSWORDS[name])
        engine.dispose()
        assert user is not None
        at.query_params["session"] = user.token
    return at.run()


def no_errors(at: AppTest) -> AppTest:
    """The app as it is, after checking no page raised."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def machine_codes(url: str, transcript: str, words: str, code: str) -> None:
    """The machine coder ``auto`` (created on first use) codes ``words`` with ``code``."""
    from qualcarto.store import User
    from qualcarto.users import add_user

    engine = connect(url)
    with session_scope(engine) as session:
        if session.query(User).filter_by(name="auto").first() is None:
            add_user(session, "auto", "coder", kind="machine")
    engine.dispose()
    code_span(url, transcript, words, code, "auto")

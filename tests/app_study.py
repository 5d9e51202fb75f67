# SPDX-License-Identifier: MIT
"""A small study for the app tests: the tiny codebook, odd and hostile transcripts, three people.

Not a test module: ``test_app_*`` and ``test_browser`` build their store with it.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.assignments import assign
from qualcarto.auth import sign_in
from qualcarto.codebook import publish_codebook
from qualcarto.coding import add_coding, get_transcript
from qualcarto.store import Project, connect, session_scope
from qualcarto.transcripts import import_transcripts
from qualcarto.users import add_user

ROOT = Path(__file__).resolve().parents[1]
PASSWORDS = {"lena": "lena-password", "ana": "ana-password", "ben": "ben-password"}

# Markup that must show as text: if any of it ran, window.__pwned would be set.
HOSTILE_TRANSCRIPT = (
    "Interviewer: Can you read this? <img src=x onerror=\"window.__pwned='img'\"> and "
    "<script>window.__pwned='script'</script> and <b>not bold</b> & more.\n\n"
    "P2: Yes, all of it shows as plain text.\n"
)


def build_study(folder: Path) -> str:
    """Create the store in ``folder`` and return its URL; ana and ben both code P1 and P2."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'app.db'}"
    (folder / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (folder / "P1.txt").write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
    (folder / "P2.txt").write_text(HOSTILE_TRANSCRIPT, encoding="utf-8")
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        session.add(Project(name="app test study"))
        session.flush()
        add_user(session, "lena", "lead", PASSWORDS["lena"])
        add_user(session, "ana", "coder", PASSWORDS["ana"])
        add_user(session, "ben", "coder", PASSWORDS["ben"])
        publish_codebook(session, folder / "codebook.yaml", "first version", author="lena")
        import_transcripts(session, [folder / "P1.txt", folder / "P2.txt"], actor="lena")
        for transcript in ("P1", "P2"):
            for coder in ("ana", "ben"):
                assign(session, transcript, coder, "lena")
    engine.dispose()
    return url


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
        with session_scope(engine) as session:
            user = sign_in(session, name, PASSWORDS[name])
        engine.dispose()
        assert user is not None
        at.query_params["session"] = user.token
    return at.run()


def no_errors(at: AppTest) -> AppTest:
    """The app as it is, after checking no page raised."""
    assert not at.exception, [e.value for e in at.exception]
    return at

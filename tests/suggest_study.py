# SPDX-License-Identifier: MIT
"""A small study for the suggestion tests: a codebook with keywords and a two-theme interview.

Not a test module: ``test_suggest_*`` build their store with it.
"""

from __future__ import annotations

from pathlib import Path

from qualcarto.assignments import assign
from qualcarto.codebook import publish_codebook
from qualcarto.store import Project, connect, session_scope
from qualcarto.transcripts import import_transcripts
from qualcarto.users import add_user

PASSWORDS = {"lena": "lena-password", "ana": "ana-password", "ben": "ben-password"}

CODEBOOK = """\
codebook: Suggestion study
codes:
  - id: themes
    name: Themes
  - id: secrecy
    name: Guarded training secrets
    parent: themes
    definition: Labs keep their training methods confidential from rivals.
    keywords: [training recipe, guarded secret]
  - id: compute
    name: Borrowed compute
    parent: themes
    definition: Partners lend hardware and accelerator time.
    include: A national supercomputer or a vendor grants GPU hours.
    keywords: [GPU hours, supercomputer]
  - id: docs
    name: Shared documentation
    parent: themes
    definition: Write-ups that others reuse.
"""

# The interviewer asks with the same words as the codebook: questions must not be suggested.
# Non-ASCII before the answers checks that offsets stay Python str indices.
TRANSCRIPT = (
    "Interviewer: Zoë 👋, do labs share their training recipes and guarded secrets?\n\n"
    "P1: No. Our training recipes are guarded secrets. "
    "Nobody hands a training recipe to a rival lab.\n\n"
    "Interviewer: And compute, say in תל אביב?\n\n"
    "P1: The national supercomputer gave us GPU hours last spring. "
    "We also had a long lunch with the vendor.\n"
)


def build_study(folder: Path) -> str:
    """Create the store in ``folder`` and return its URL; ana and ben both code I1."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'suggest.db'}"
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "I1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        session.add(Project(name="suggestion test study"))
        session.flush()
        for name, role in (("lena", "lead"), ("ana", "coder"), ("ben", "coder")):
            add_user(session, name, role, PASSWORDS[name])
        publish_codebook(session, folder / "codebook.yaml", "first version", author="lena")
        import_transcripts(session, [folder / "I1.txt"], actor="lena")
        for coder in ("ana", "ben"):
            assign(session, "I1", coder, "lena")
    engine.dispose()
    return url

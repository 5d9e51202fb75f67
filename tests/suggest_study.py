# SPDX-License-Identifier: MIT
"""A small study for the suggestion tests: a codebook with keywords and a two-theme interview.

Not a test module: ``test_suggest_*`` build their store with it.
"""

from __future__ import annotations

from pathlib import Path

from team_study import build_team_store

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
    return build_team_store(
        folder, "suggest.db", "suggestion test study", CODEBOOK, {"I1": TRANSCRIPT}
    )

# SPDX-License-Identifier: MIT
"""What the store benchmarks share: a synthetic codebook, interview text, a seeded store.

Not a benchmark itself: ``export.py`` and ``report.py`` import it to build their studies
the same way, then each adds codings in its own pattern.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from qualcarto.codebook import Codebook, CodeDef

STAGES = ["pre-training", "post-training", "post-release"]
TYPES = ["model", "data", "software", "evaluation", "non-technical", "compute"]
WORDS = [
    "open",
    "model",
    "data",
    "compute",
    "volunteers",
    "training",
    "release",
    "licence",
    "community",
]


def synthetic_codebook(n_codes: int, rng: np.random.Generator) -> Codebook:
    """A 2-level codebook: groups of 20 themes, each theme with a stage and a type facet."""
    groups = max(n_codes // 20, 1)
    codes = [CodeDef(id=f"g{g}", name=f"Group {g}") for g in range(groups)]
    for i in range(n_codes - groups):
        codes.append(
            CodeDef(
                id=f"c{i}",
                name=f"Theme {i}",
                parent=f"g{i % groups}",
                color=f"#{rng.integers(0, 0xFFFFFF):06X}",
                facets={"stage": STAGES[i % 3], "collab_type": TYPES[i % 6]},
            )
        )
    return Codebook(
        title="synthetic",
        facets={"stage": STAGES, "collab_type": TYPES},
        settings={"cartography": {"rows": "collab_type", "cols": "stage"}},
        codes=tuple(codes),
    )


def interview_text(rng: np.random.Generator, n_turns: int) -> str:
    """Alternating interviewer and participant turns of 30 random words each."""
    lines = []
    for t in range(n_turns):
        words = " ".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), 30))
        lines.append(f"{'Interviewer' if t % 2 == 0 else 'P'}: {words.capitalize()}.")
    return "\n".join(lines) + "\n"


class SeededStore:
    """An open transaction on a new store with a project, coders and codebook version 1."""

    def __init__(self, session: Any, coders: dict[str, int], version_id: int) -> None:
        self.session = session
        self.coders = coders
        self.version_id = version_id

    def transcript(self, name: str, text: str) -> int:
        """Import ``text`` as transcript ``name``; returns its id."""
        from qualcarto.transcripts.importer import import_text

        return int(import_text(self.session, name, text, source_file="bench").id)

    def coding(
        self, transcript_id: int, text: str, coder: str, code: str, start: int, end: int
    ) -> Any:
        """A manual ``Coding`` row of the current version, for one bulk insert."""
        from qualcarto.store import Coding

        return Coding(
            transcript_id=transcript_id,
            coder_id=self.coders[coder],
            code_id=code,
            original_code_id=code,
            codebook_version_id=self.version_id,
            start=start,
            end=end,
            text=text[start:end],
            memo="",
            origin="manual",
        )


@contextmanager
def seeded_store(url: str, coders: Sequence[str], codebook: Codebook) -> Iterator[SeededStore]:
    """Create the store at ``url`` and hold one transaction on it while codings are added."""
    from qualcarto.codebook import publish
    from qualcarto.store import CodebookVersion, User, connect, session_scope
    from qualcarto.study import create_study

    engine = connect(url, create=True)
    try:
        with session_scope(engine) as session:
            create_study(session, "bench study")
            for name in coders:
                session.add(User(name=name, role="coder", kind="human"))
            session.flush()
            publish(session, codebook, "v1")
            version = session.query(CodebookVersion).one()
            ids = {u.name: u.id for u in session.query(User)}
            yield SeededStore(session, ids, version.id)
    finally:
        engine.dispose()

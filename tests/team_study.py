# SPDX-License-Identifier: MIT
"""A store with a lead and two coders who are assigned every transcript.

Not a test module: ``app_study`` and ``suggest_study`` build their studies with it,
each with its own codebook and transcripts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from qualcarto.assignments import assign
from qualcarto.codebook import publish_codebook
from qualcarto.store import connect, session_scope
from qualcarto.study import create_study
from qualcarto.transcripts import import_transcripts
from qualcarto.users import add_user

PASSWORDS = {"lena": "lena-password", "ana": "ana-password", "ben": "ben-password"}


def build_team_store(
    folder: Path, db_file: str, project: str, codebook: str, transcripts: Mapping[str, str]
) -> str:
    """Create the store ``folder/db_file`` and return its URL: lena publishes ``codebook``
    and imports ``transcripts`` (name -> text), and assigns each to ana and ben."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / db_file}"
    (folder / "codebook.yaml").write_text(codebook, encoding="utf-8")
    paths = [folder / f"{name}.txt" for name in transcripts]
    for path, text in zip(paths, transcripts.values(), strict=True):
        path.write_bytes(text.encode("utf-8"))
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        create_study(session, project)
        for name, role in (("lena", "lead"), ("ana", "coder"), ("ben", "coder")):
            add_user(session, name, role, PASSWORDS[name])
        publish_codebook(session, folder / "codebook.yaml", "first version", author="lena")
        import_transcripts(session, paths, actor="lena")
        for transcript in transcripts:
            for coder in ("ana", "ben"):
                assign(session, transcript, coder, "lena")
    engine.dispose()
    return url

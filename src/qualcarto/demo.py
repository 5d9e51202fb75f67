# SPDX-License-Identifier: MIT
"""The demo study: a fresh store with the Linåker et al. reconstruction loaded.

The data lives beside the package in the repository (``transcripts/``, ``codebook/``);
``find_demo_data`` looks for it there, in the working folder, or where
``QUALCARTO_DEMO_DATA`` points.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from qualcarto.assignments import assign
from qualcarto.codebook.versions import publish_codebook
from qualcarto.config import resolve_media_dir
from qualcarto.errors import ConfigError, NotFoundError, QualcartoError
from qualcarto.layers import load_layer
from qualcarto.media import MediaImportReport, import_recordings
from qualcarto.store import Project, connect, session_scope
from qualcarto.store.engine import sqlite_path
from qualcarto.transcripts import import_transcripts, read_participants
from qualcarto.users import add_user

DEMO_PROJECT = "demo: open collaboration in open LLM projects (Linåker et al. 2025)"
CODEBOOK_FILE = Path("codebook/linaker2025.yaml")
TRANSCRIPTS_DIR = Path("transcripts")
LAYERS_DIR = Path("transcripts/codings")
RECORDINGS_DIR = Path("transcripts/recordings")

# Demo accounts. These passwords are public (README); never use them for a real study.
DEMO_USERS = (
    ("lena", "lead", "lena-demo-2025"),
    ("ana", "coder", "ana-demo-2025"),
    ("ben", "coder", "ben-demo-2025"),
)
DEMO_CODERS = ("ana", "ben")


@dataclass(frozen=True)
class DemoReport:
    engine: Engine
    transcripts: int
    layers: dict[str, int]


def find_demo_data(explicit: Path | None = None) -> Path:
    """The folder holding ``codebook/`` and ``transcripts/`` of the demo study."""
    candidates = [explicit] if explicit else []
    if os.environ.get("QUALCARTO_DEMO_DATA"):
        candidates.append(Path(os.environ["QUALCARTO_DEMO_DATA"]))
    candidates += [Path.cwd(), Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if folder is not None and (folder / CODEBOOK_FILE).exists():
            return folder
    raise NotFoundError(
        "demo data not found: run from the qualcarto repository or pass --data FOLDER"
    )


def build_demo(url: str, data: Path | None = None) -> DemoReport:
    """Create (or recreate) a demo store at ``url``; refuses to overwrite any other study."""
    root = find_demo_data(data)
    path = sqlite_path(url)
    if path is not None and path.exists():
        _remove_old_demo(url, path)
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        if session.scalars(select(Project)).first() is not None:
            raise QualcartoError(f"{url}: already holds a study; use another --db for the demo")
        session.add(Project(name=DEMO_PROJECT, description="Reconstruction of Linåker et al. 2025"))
        session.flush()
        for name, role, password in DEMO_USERS:
            add_user(session, name, role, password)
        publish_codebook(session, root / CODEBOOK_FILE, "Codebook of the study", author="lena")
        participants_csv = root / TRANSCRIPTS_DIR / "participants.csv"
        files = [
            root / TRANSCRIPTS_DIR / f"{key}.txt" for key in read_participants(participants_csv)
        ]
        report = import_transcripts(session, files, participants_csv=participants_csv, actor="lena")
        # One short synthesized recording with its captions, to try the player at once.
        # (skipped on a server store without a media folder: QUALCARTO_MEDIA names one)
        media = MediaImportReport()
        with contextlib.suppress(ConfigError):
            recordings = sorted((root / RECORDINGS_DIR).glob("*.ogg"))
            media = import_recordings(session, recordings, resolve_media_dir(url), actor="lena")
        # Blind double coding, as in the study: both demo coders get every transcript.
        for doc in report.added + media.captioned:
            for coder in DEMO_CODERS:
                assign(session, doc, coder, actor="lena")
        layers = dict(
            load_layer(session, folder.parent)
            for folder in sorted((root / LAYERS_DIR).glob("*/layer.yaml"))
        )
    return DemoReport(engine, len(report.added) + len(media.captioned), layers)


def _remove_old_demo(url: str, path: Path) -> None:
    engine = connect(url)
    try:
        with session_scope(engine) as session:
            names = list(session.scalars(select(Project.name)))
    finally:
        engine.dispose()
    if names and names != [DEMO_PROJECT]:
        raise QualcartoError(f"{path}: holds the study '{names[0]}'; use another --db for the demo")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

# SPDX-License-Identifier: MIT
"""Shared fixtures: a fresh store on a temporary SQLite file, a tiny codebook, odd texts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from browser_app import chromium
from qualcarto.codebook import publish_codebook
from qualcarto.store import connect, session_scope
from qualcarto.study import create_study
from qualcarto.users import add_user

ROOT = Path(__file__).resolve().parents[1]

TINY_CODEBOOK = """\
codebook: Tiny study
facets:
  stage: [early, late]
  polarity: [on-ramp, challenge]
cartography: {rows: polarity, cols: stage, split: polarity}
codes:
  - id: themes
    name: Themes
  - id: access
    name: Access to compute
    parent: themes
    definition: Getting hardware to train on.
    color: "#0072B2"
    facets: {stage: early, polarity: challenge}
  - id: docs
    name: Shared documentation
    parent: themes
    definition: Write-ups that others reuse.
    color: "#D55E00"
    facets: {stage: late, polarity: on-ramp}
  - id: money
    name: Funding
    parent: themes
    facets: {stage: early, polarity: challenge}
"""

# Names with combining marks and emoji, right-to-left text and a CRLF line end: the
# offsets of everything after them must still be Python str indices.
ODD_TRANSCRIPT = (
    "Interviewer: Welcome, Zoe\u0308 \U0001f44b. Tell me about the cluster.\r\n\r\n"
    "P1: We asked the centre in \u05ea\u05dc \u05d0\u05d1\u05d9\u05d1 for time. "
    "It took months \U0001f605! Then we wrote everything down.\r\n"
)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'study.db'}"


def _copy_store(template: Path, target: Path) -> str:
    """Copy a finished store file: each test gets its own real store at no migration cost."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def empty_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "empty.db"
    engine = connect(f"sqlite:///{path}", create=True)
    with session_scope(engine) as session:
        create_study(session, "test study")
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def engine(db_url: str, empty_store_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh store holding one empty project."""
    engine = connect(_copy_store(empty_store_template, tmp_path / "study.db"))
    yield engine
    engine.dispose()


@pytest.fixture
def codebook_file(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def study_template(empty_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from qualcarto.transcripts import import_transcripts

    folder = tmp_path_factory.mktemp("study")
    path = folder / "study.db"
    shutil.copyfile(empty_store_template, path)
    (folder / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (folder / "P1.txt").write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
    engine = connect(f"sqlite:///{path}")
    with session_scope(engine) as session:
        publish_codebook(session, folder / "codebook.yaml", "first version")
        add_user(session, "ana", "coder", "ana-password")
        add_user(session, "ben", "coder", "ben-password")
        import_transcripts(session, [folder / "P1.txt"])
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def study(study_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A store with the tiny codebook, one odd transcript P1 and coders ana and ben."""
    engine = connect(_copy_store(study_template, tmp_path / "study.db"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study, built once per run (15-40 s); tests and modules work on copies."""
    from qualcarto.demo import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    build_demo(f"sqlite:///{path}", ROOT).engine.dispose()  # dispose checkpoints the WAL
    return path


def copy_demo(template: Path, folder: Path) -> Path:
    """A copy of the demo store in ``folder``: its own file, free to change."""
    target = folder / "demo.db"
    _copy_store(template, target)
    return target


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo store."""
    return copy_demo(demo_template, tmp_path)


@pytest.fixture(scope="session")
def app_study_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app tests' study (``tests/app_study.py``), built once per run."""
    from app_study import build_study

    folder = tmp_path_factory.mktemp("app-study")
    build_study(folder)
    return folder / "app.db"


@pytest.fixture
def app_study(app_study_template: Path, tmp_path: Path) -> str:
    """The URL of this test's own copy of the app study: lena, ana and ben, P1 and P2."""
    folder = tmp_path / "study"
    folder.mkdir()
    return _copy_store(app_study_template, folder / "app.db")


@pytest.fixture
def session(study: Engine) -> Iterator[Session]:
    with session_scope(study) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module (tests/browser_app.py starts it)."""
    with chromium() as launched:
        yield launched

# SPDX-License-Identifier: MIT
"""Stores on every backend we support: a fixture parametrized over SQLite and PostgreSQL.

Not a test module: ``test_backends_*`` and the concurrency and backup tests import the
fixtures from here (pytest finds fixtures a test module imports). PostgreSQL comes
from ``QUALCARTO_TEST_PG`` (``scripts/postgres.sh start`` prints it); each test gets a
database of its own, dropped afterwards. On CI a missing server is a failure, not a
skip, so the PostgreSQL half of the suite can never vanish quietly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.codebook import publish_codebook
from qualcarto.store import connect, session_scope
from qualcarto.study import create_study
from qualcarto.transcripts import import_transcripts
from qualcarto.users import add_user

# The fixtures: a test module takes them all with a star import of this module.
__all__ = ["backend", "backend_store", "backend_study", "backend_url"]

PG_ENV_VAR = "QUALCARTO_TEST_PG"
BACKENDS = ["sqlite", "postgresql"]


def postgres_base_url() -> str:
    """The test server's URL, or fail on CI / skip locally when there is none."""
    url = os.environ.get(PG_ENV_VAR)
    if url:
        return url
    reason = f'PostgreSQL tests need {PG_ENV_VAR}; run: eval "$(scripts/postgres.sh start)"'
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run them)")
    pytest.skip(reason)


@contextmanager
def fresh_postgres_database(base_url: str) -> Iterator[str]:
    """A new, empty database on the test server for one test; dropped (even if in use) after."""
    name = f"qc_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def store_url(backend: str, folder: Path) -> Iterator[str]:
    """An empty place for a store on ``backend``: a SQLite file path or a fresh database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    with fresh_postgres_database(postgres_base_url()) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the backend a test runs on."""
    return str(request.param)


@pytest.fixture
def backend_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty store location on each backend (nothing created yet)."""
    with store_url(backend, tmp_path) as url:
        yield url


def make_store(url: str) -> Engine:
    """A new store at ``url`` holding one empty project."""
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        create_study(session, "test study")
    return engine


def make_study(url: str, folder: Path) -> Engine:
    """The conftest ``study`` on any backend: tiny codebook, transcript P1, coders ana and ben."""
    engine = make_store(url)
    (folder / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (folder / "P1.txt").write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
    with session_scope(engine) as session:
        publish_codebook(session, folder / "codebook.yaml", "first version")
        add_user(session, "ana", "coder", "ana-password")
        add_user(session, "ben", "coder", "ben-password")
        import_transcripts(session, [folder / "P1.txt"])
    return engine


@pytest.fixture
def backend_store(backend_url: str) -> Iterator[Engine]:
    """A fresh store holding one empty project, on each backend."""
    engine = make_store(backend_url)
    yield engine
    engine.dispose()


@pytest.fixture
def backend_study(backend_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A store with the tiny codebook, transcript P1 and coders ana and ben, on each backend."""
    folder = tmp_path / "study-files"
    folder.mkdir()
    engine = make_study(backend_url, folder)
    yield engine
    engine.dispose()

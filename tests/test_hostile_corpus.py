# SPDX-License-Identifier: MIT
"""The committed hostile corpus (``tests/hostile/``) through the real CLI against a real store.

A hostile file is refused with exit status 2 and one line naming it, within 10 s and
600 MB of memory growth, and every table of the store stays as it was. An odd but valid
file imports, and its excerpts sit at offsets where ``text[start:end]`` is the excerpt.
Each import runs in a forked child, so its time and peak memory are its own and a
runaway parser is killed instead of hanging the suite.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, select

from conftest import ODD_TRANSCRIPT
from qualcarto.cli import main
from qualcarto.codebook import get_version
from qualcarto.store import Coding, Participant, Segment, Transcript, Turn, session_scope
from store_snapshot import store_content

HOSTILE = Path(__file__).resolve().parent / "hostile"
TIME_LIMIT = 10.0
MEMORY_LIMIT_MB = 600


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", HOSTILE / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


GENERATOR = _load_generator()
CASES = {case.name: case for case in GENERATOR.cases()}
REFUSED = [name for name, case in CASES.items() if case.refuse]
VALID = [name for name, case in CASES.items() if not case.refuse]


def run_isolated(argv: list[str], folder: Path) -> dict[str, Any]:
    """Run ``qualcarto argv`` in a forked child: status, stderr, seconds and memory growth."""
    out, err, report = folder / "out.txt", folder / "err.txt", folder / "report.json"
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            sys.stdout = out.open("w", encoding="utf-8")
            sys.stderr = err.open("w", encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            try:
                status = main(argv)
            except BaseException:  # an escaped exception is exactly what we look for
                traceback.print_exc()
                status = 99
            seconds = time.perf_counter() - started
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
            sys.stdout.flush()
            sys.stderr.flush()
            report.write_text(json.dumps({"status": status, "seconds": seconds, "kb": grown}))
        finally:
            os._exit(0)
    deadline = time.monotonic() + TIME_LIMIT * 3
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail(f"qualcarto {' '.join(argv)} still ran after {TIME_LIMIT * 3:.0f} s")
        time.sleep(0.02)
    result: dict[str, Any] = json.loads(report.read_text())
    result["stderr"] = err.read_text(encoding="utf-8")
    result["stdout"] = out.read_text(encoding="utf-8")
    return result


def command(db_url: str, case: Any, path: Path, folder: Path) -> list[str]:
    """The CLI call that feeds ``path`` to the case's importer."""
    if case.importer == "codebook":
        return ["--db", db_url, "codebook", "publish", str(path), "-m", "hostile corpus"]
    if case.importer == "participants":
        transcript = folder / "P1.txt"  # the study's own P1, byte for byte: left unchanged
        transcript.write_bytes(ODD_TRANSCRIPT.encode("utf-8"))
        return ["--db", db_url, "import", str(transcript), "--participants", str(path)]
    return ["--db", db_url, "import", str(path)]


def test_the_committed_corpus_is_what_the_generator_builds() -> None:
    built = GENERATOR.build()
    committed = {
        p.name: p.read_bytes() for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py"
    }
    assert sorted(committed) == sorted(built)
    changed = [name for name, data in built.items() if committed[name] != data]
    assert changed == [], "run python tests/hostile/make_corpus.py and commit the result"


def test_the_corpus_attacks_every_importer() -> None:
    suffixes = {Path(name).suffix for name in REFUSED}
    assert suffixes >= {".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".yaml", ".qdpx", ".qdc"}
    assert len(CASES) >= 30
    assert {Path(name).suffix for name in VALID} >= {".txt", ".docx", ".vtt", ".srt", ".qdpx"}


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_file_is_refused_in_one_line_quickly_and_changes_nothing(
    name: str, study: Engine, db_url: str, tmp_path: Path
) -> None:
    case = CASES[name]
    path = tmp_path / name
    path.write_bytes((HOSTILE / name).read_bytes())
    before = store_content(study)
    result = run_isolated(command(db_url, case, path, tmp_path), tmp_path)
    lines = result["stderr"].strip().splitlines()
    assert result["status"] == 2, result["stderr"]
    assert len(lines) == 1 and "Traceback" not in result["stderr"], result["stderr"]
    assert lines[0].startswith("error: ") and name in lines[0], lines[0]
    assert case.refuse in lines[0], lines[0]
    assert result["seconds"] < TIME_LIMIT
    assert result["kb"] < MEMORY_LIMIT_MB * 1024
    assert store_content(study) == before


def _check_offsets(engine: Engine, transcript: str, excerpts: tuple[str, ...], db: str) -> None:
    """Each excerpt occurs once; coding it stores exactly it; turns and sentences line up."""
    with session_scope(engine) as session:
        doc = session.scalars(select(Transcript).where(Transcript.name == transcript)).one()
        text = doc.text
        turns = session.scalars(select(Turn).where(Turn.transcript_id == doc.id)).all()
        segments = session.scalars(select(Segment).where(Segment.transcript_id == doc.id)).all()
    assert len(text) == len(text.encode("utf-16-le").decode("utf-16-le"))
    for turn in turns:
        label = text[turn.start : turn.body_start]
        assert turn.speaker is None or label.startswith(turn.speaker), (label, turn.speaker)
    for segment in segments:
        piece = text[segment.start : segment.end]
        assert piece and piece == piece.strip()
    for excerpt in excerpts:
        assert text.count(excerpt) == 1, (excerpt, text)
        start = text.index(excerpt)
        args = ["--db", db, "coding", "add", transcript, str(start), str(start + len(excerpt))]
        assert main([*args, "access", "--coder", "ana"]) == 0
    with session_scope(engine) as session:
        stored = session.scalars(
            select(Coding).join(Transcript).where(Transcript.name == transcript)
        ).all()
        assert sorted(c.text for c in stored) == sorted(excerpts)
        assert all(c.text == c.transcript.text[c.start : c.end] for c in stored)


@pytest.mark.parametrize("name", VALID)
def test_an_odd_but_valid_file_imports_with_its_offsets_intact(
    name: str, study: Engine, db_url: str, tmp_path: Path
) -> None:
    case = CASES[name]
    path = tmp_path / name
    path.write_bytes((HOSTILE / name).read_bytes())
    result = run_isolated(command(db_url, case, path, tmp_path), tmp_path)
    assert result["status"] == 0 and result["stderr"] == "", result["stderr"]
    assert result["seconds"] < TIME_LIMIT
    if case.importer == "transcript":
        _check_offsets(study, path.stem, case.excerpts, db_url)
    elif case.importer == "participants":
        with session_scope(study) as session:
            people = session.scalars(select(Participant).where(Participant.key == "P1")).one()
            assert set(case.excerpts) <= set(people.attributes.values())
    elif case.importer == "codebook" or path.suffix == ".qdc":
        with session_scope(study) as session:
            names = {c.name for c in get_version(session).codes}
        assert set(case.excerpts) <= names
    else:
        with session_scope(study) as session:
            imported = session.scalars(select(Coding).where(Coding.origin == "import")).all()
            assert [c.text for c in imported] == list(case.excerpts)
            assert all(c.text == c.transcript.text[c.start : c.end] for c in imported)


def test_a_200_mb_file_is_refused_before_it_is_read(
    study: Engine, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 200 MB long, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    before = store_content(study)
    result = run_isolated(["--db", db_url, "import", str(path)], tmp_path)
    assert result["status"] == 2 and "too large (209.7 MB" in result["stderr"]
    assert result["kb"] < 50 * 1024, "the file must not be loaded"
    assert store_content(study) == before


def test_a_one_megabyte_single_line_imports_within_the_bounds(
    study: Engine, db_url: str, tmp_path: Path
) -> None:
    words = " ".join(f"word{i % 997}." if i % 13 == 0 else f"word{i % 997}" for i in range(120_000))
    line = ("P9: " + words)[: 1024 * 1024]
    path = tmp_path / "P9.txt"
    path.write_text(line, encoding="utf-8")
    result = run_isolated(["--db", db_url, "import", str(path)], tmp_path)
    assert result["status"] == 0, result["stderr"]
    assert result["seconds"] < TIME_LIMIT and result["kb"] < MEMORY_LIMIT_MB * 1024
    with session_scope(study) as session:
        doc = session.scalars(select(Transcript).where(Transcript.name == "P9")).one()
        assert doc.text == line.rstrip() or doc.text == line
        segments = session.scalars(select(Segment).where(Segment.transcript_id == doc.id)).all()
        assert segments and all(doc.text[s.start : s.end].strip() for s in segments)

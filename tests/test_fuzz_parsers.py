# SPDX-License-Identifier: MIT
"""Bounded fuzzing of every parser: random and mutated input raises only our own errors.

Each parser gets random bytes and mutations (flipped, inserted, deleted bytes; nasty
attribute values) of a valid file: a transcript of each format, a participants csv, a
codebook, REFI-QDA XML and the sample archives of other QDA tools in
``../shared/refi/samples``. Anything but a ``QualcartoError`` is a bug: it would reach a
user as a traceback. Runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.codebook.files import parse_codebook
from qualcarto.errors import QualcartoError
from qualcarto.exchange.refi_common import SafeArchive, parse_xml
from qualcarto.exchange.refi_import import import_refi
from qualcarto.exchange.refi_read import read_codebook, read_project
from qualcarto.transcripts.participants import read_participants
from qualcarto.transcripts.readers import read_transcript
from shared_material import refi_sample, refi_samples

HOSTILE = Path(__file__).resolve().parent / "hostile"
EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
RUNS: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def report_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    """Say how many inputs the fuzzers tried, for the closing note."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        parts = ", ".join(f"{target} {count}" for target, count in sorted(RUNS.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfuzz examples run: {sum(RUNS.values())} ({parts})")


def only_our_errors(target: str, call: Callable[[], Any]) -> None:
    """Run ``call``; it may succeed or raise a QualcartoError, nothing else."""
    RUNS[target] = RUNS.get(target, 0) + 1
    try:
        call()
    except QualcartoError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), repr(exc)


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with up to eight byte flips, insertions, deletions or a truncation."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


NASTY_VALUES = ["", "-1", "0", "99999999999999999999", "9" * 5000, "NaN", "1e9", "０１",
                " 3 ", "{", "&amp;", "\u202e", "\U0001f600", "true", "x" * 300]  # fmt: skip
_ATTRIBUTE = re.compile(rb'="[^"]*"')


@st.composite
def mutated_xml(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with some attribute values replaced by nasty ones, then byte mutations."""
    spots = [m.span() for m in _ATTRIBUTE.finditer(base)]
    data = base
    for _ in range(draw(st.integers(0, 6))):
        if not spots:
            break
        start, end = draw(st.sampled_from(spots))
        value = draw(st.sampled_from(NASTY_VALUES) | st.text(max_size=12))
        escaped = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        data = data[:start] + b'="' + escaped.encode() + b'"' + data[end:]
        spots = [m.span() for m in _ATTRIBUTE.finditer(data)]
    if draw(st.booleans()):
        data = draw(mutated(data))
    return data


def _corpus(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


TRANSCRIPT_SEEDS = {
    ".txt": ODD_TRANSCRIPT.encode(),
    ".md": _corpus("emoji.md"),
    ".docx": _corpus("odd.docx"),
    ".vtt": _corpus("odd.vtt"),
    ".srt": _corpus("odd.srt"),
}


@pytest.mark.parametrize("suffix", sorted(TRANSCRIPT_SEEDS))
def test_random_bytes_as_a_transcript_raise_only_our_errors(suffix: str) -> None:
    @FUZZ
    @given(st.binary(max_size=4096))
    def run(data: bytes) -> None:
        only_our_errors(f"transcript{suffix}", lambda: read_transcript(Path(f"f{suffix}"), data))

    run()


@pytest.mark.parametrize("suffix", sorted(TRANSCRIPT_SEEDS))
def test_a_mutated_transcript_raises_only_our_errors(suffix: str) -> None:
    @FUZZ
    @given(mutated(TRANSCRIPT_SEEDS[suffix]))
    def run(data: bytes) -> None:
        only_our_errors(f"transcript{suffix}", lambda: read_transcript(Path(f"f{suffix}"), data))

    run()


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def test_a_random_or_mutated_participants_csv_raises_only_our_errors(scratch: Path) -> None:
    path = scratch / "people.csv"

    @FUZZ
    @given(st.binary(max_size=2048) | mutated(_corpus("odd.csv")) | st.text().map(str.encode))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        only_our_errors("participants.csv", lambda: read_participants(path))

    run()


def test_a_random_or_mutated_codebook_raises_only_our_errors() -> None:
    seeds = mutated(TINY_CODEBOOK.encode()) | mutated(_corpus("odd.yaml"))
    texts = st.text(max_size=400) | seeds.map(lambda b: b.decode("utf-8", "replace"))

    @FUZZ
    @given(texts)
    def run(text: str) -> None:
        only_our_errors("codebook.yaml", lambda: parse_codebook(text, "codebook.yaml"))

    run()


def _member(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zipped:
        return zipped.read(name)


def test_mutated_refi_project_xml_raises_only_our_errors() -> None:
    seeds = [
        refi_sample("spec-example/atlasti-8.4_spec-annex-A2_project.qde").read_bytes(),
        _member(refi_sample("qualcoder-4.0beta_refi_demo.qdpx"), "project.qde"),
        _member(refi_sample("atlasti-win-23.2.3_codes.qdpx"), "project.qde"),
    ]

    @FUZZ
    @given(st.sampled_from(seeds).flatmap(mutated_xml))
    def run(data: bytes) -> None:
        only_our_errors("project.qde", lambda: read_project(parse_xml(data, "p.qde"), "p.qde"))

    run()


def test_mutated_refi_codebook_xml_raises_only_our_errors() -> None:
    seeds = [p.read_bytes() for p in refi_samples("*.qdc")]

    @FUZZ
    @given(st.sampled_from(seeds).flatmap(mutated_xml) | st.binary(max_size=1024))
    def run(data: bytes) -> None:
        only_our_errors("codebook.qdc", lambda: read_codebook(parse_xml(data, "c.qdc"), "c.qdc"))

    run()


def _read_archive(data: bytes) -> None:
    archive = SafeArchive(data, "a.qdpx")
    for member in archive.names.values():
        archive.read(member)


def test_byte_mutated_sample_archives_raise_only_our_errors() -> None:
    seeds = [p.read_bytes() for p in refi_samples("*.qdpx") if p.stat().st_size < 50_000]

    @FUZZ
    @given(st.sampled_from(seeds).flatmap(mutated))
    def run(data: bytes) -> None:
        only_our_errors("archive.qdpx", lambda: _read_archive(data))

    run()


def _rezip(archive: bytes, project: bytes) -> bytes:
    """The sample archive with its project.qde replaced (the other members as they were)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = project if info.filename.lower() == "project.qde" else source.read(info)
            target.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_a_sample_project_with_mutated_xml_imports_or_raises_only_our_errors(
    study: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The whole import (positions, codebook merge, codings) on a real store, rolled back."""
    folder = tmp_path_factory.mktemp("fuzz-refi")
    generator = _load_generator()
    samples = [
        refi_sample("qualcoder-4.0beta_refi_demo.qdpx").read_bytes(),
        refi_sample("atlasti-win-23.2.3_codes.qdpx").read_bytes(),
        _corpus("odd.qdpx"),
        generator.qdpx(generator.project_xml()),
    ]
    seeds = [(archive, _member_bytes(archive, "project.qde")) for archive in samples]

    @settings(FUZZ, max_examples=EXAMPLES // 2)
    @given(st.sampled_from(seeds).flatmap(lambda s: mutated_xml(s[1]).map(lambda x: (s[0], x))))
    def run(seed: tuple[bytes, bytes]) -> None:
        path = folder / "mutated.qdpx"
        path.write_bytes(_rezip(*seed))
        with Session(study) as session:
            try:
                only_our_errors("import.qdpx", lambda: import_refi(session, path, actor="fuzz"))
            finally:
                session.rollback()

    run()


def _member_bytes(archive: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return zipped.read(name)


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_corpus", HOSTILE / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module

# SPDX-License-Identifier: MIT
"""Suggestions on a real store: accept, reject, the machine layer, the CLI, the missing extra."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from qualcarto.cli import main
from qualcarto.coding import codings_frame
from qualcarto.errors import DuplicateCodingError, ValidationError
from qualcarto.layers import load_layer
from qualcarto.store import AuditEvent, Coding, connect, session_scope
from qualcarto.suggest import (
    accept_suggestion,
    pending_suggestions,
    reject_suggestion,
    run_machine_coder,
    store_machine_layer,
    suggest_for_transcript,
)
from qualcarto.transcripts import get_transcript
from qualcarto.users import get_user
from suggest_study import build_study

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suggest")
    build_study(folder)
    return folder / "suggest.db"


@pytest.fixture
def url(template: Path, tmp_path: Path) -> str:
    target = tmp_path / "suggest.db"
    target.write_bytes(template.read_bytes())
    return f"sqlite:///{target}"


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = connect(url)
    yield engine
    engine.dispose()


def test_suggestions_cover_the_answers_with_their_codes(engine: Engine) -> None:
    with session_scope(engine) as session:
        text = get_transcript(session, "I1").text
        found = suggest_for_transcript(session, "I1")
    assert [(s.code_id, text[s.start : s.end]) for s in found] == [
        (
            "secrecy",
            "No. Our training recipes are guarded secrets. "
            "Nobody hands a training recipe to a rival lab.",
        ),
        (
            "compute",
            "The national supercomputer gave us GPU hours last spring. "
            "We also had a long lunch with the vendor.",
        ),
    ]


def test_accepting_makes_the_coders_own_coding_and_logs_the_evidence(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = suggest_for_transcript(session, "I1")[0]
        coding = accept_suggestion(session, first, "ana")
        coding_id = coding.id
    with session_scope(engine) as session:
        own = codings_frame(session, ["ana"])
        assert own[["coding_id", "code_id", "start", "end", "origin"]].values.tolist() == [
            [coding_id, first.code_id, first.start, first.end, "suggestion"]
        ]
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "suggestion.accept")
        ).one()
        assert (event.actor, event.entity_id) == ("ana", str(coding_id))
        assert {e["term"] for e in event.payload["evidence"]} >= {"guarded secrets"}
        assert event.payload["method"] == "rules"
        pending = pending_suggestions(session, "I1", "ana")
        assert first.key not in {s.key for s in pending}
        assert first.key in {s.key for s in pending_suggestions(session, "I1", "ben")}


def test_accepting_a_suggestion_twice_is_refused_as_a_duplicate(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = suggest_for_transcript(session, "I1")[0]
        accept_suggestion(session, first, "ana")
        with pytest.raises(DuplicateCodingError, match="'ana' already coded this span"):
            accept_suggestion(session, first, "ana")


def test_rejecting_is_logged_and_hides_the_suggestion_from_that_coder_only(engine: Engine) -> None:
    with session_scope(engine) as session:
        last = suggest_for_transcript(session, "I1")[-1]
        reject_suggestion(session, last, "ben")
    with session_scope(engine) as session:
        assert session.scalar(select(func.count(Coding.id))) == 0
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "suggestion.reject")
        ).one()
        assert event.actor == "ben" and event.payload["code"] == last.code_id
        assert last.key not in {s.key for s in pending_suggestions(session, "I1", "ben")}
        assert last.key in {s.key for s in pending_suggestions(session, "I1", "ana")}


def test_a_suggestion_the_coder_already_coded_is_not_offered(engine: Engine) -> None:
    from qualcarto.coding import add_coding

    with session_scope(engine) as session:
        first = suggest_for_transcript(session, "I1")[0]
        add_coding(session, "I1", first.start + 4, first.start + 10, first.code_id, "ana")
        assert first.key not in {s.key for s in pending_suggestions(session, "I1", "ana")}


def test_the_machine_layer_is_a_machine_coder_and_a_rerun_replaces_it(engine: Engine) -> None:
    with session_scope(engine) as session:
        found = suggest_for_transcript(session, "I1")
        store_machine_layer(session, "auto", found, ["I1"])
    with session_scope(engine) as session:
        assert get_user(session, "auto").kind == "machine"
        store_machine_layer(session, "auto", found, ["I1"])
    with session_scope(engine) as session:
        frame = codings_frame(session, ["auto"])
        assert frame[["code_id", "start", "end"]].values.tolist() == [
            [s.code_id, s.start, s.end] for s in found
        ]
        assert set(frame["origin"]) == {"machine"}
        assert all(memo.startswith("suggested by rules") for memo in frame["memo"])


def test_the_machine_layer_never_overwrites_a_person(engine: Engine) -> None:
    with session_scope(engine) as session:
        found = suggest_for_transcript(session, "I1")
        accept_suggestion(session, found[0], "ana")
    with (
        pytest.raises(ValidationError, match="'ana' is a human coder"),
        session_scope(engine) as session,
    ):
        store_machine_layer(session, "ana", found, ["I1"])
    with session_scope(engine) as session:
        assert len(codings_frame(session, ["ana"])) == 1


def test_a_machine_coder_run_stores_its_layer_and_writes_its_files(
    engine: Engine, tmp_path: Path
) -> None:
    """``run_machine_coder`` is what ``qualcarto suggest`` calls: every transcript by default."""
    with session_scope(engine) as session:
        expected = suggest_for_transcript(session, "I1")
        run = run_machine_coder(session, "auto", layer_dir=tmp_path / "auto")
    assert (run.transcripts, run.stored, run.left_out) == (["I1"], len(expected), [])
    assert [s.key for s in run.suggestions] == [s.key for s in expected]
    assert run.description.startswith("Machine coding by qualcarto's rules suggester")
    assert sorted(p.name for p in (tmp_path / "auto").iterdir()) == ["I1.yaml", "layer.yaml"]
    with session_scope(engine) as session:
        assert len(codings_frame(session, ["auto"])) == len(expected)
        again = run_machine_coder(session, "auto", transcripts=["I1"])  # replaces, not adds
        assert again.stored == len(expected)
        assert len(codings_frame(session, ["auto"])) == len(expected)


def test_cli_writes_a_layer_that_loads_back_to_the_same_codings(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layer = tmp_path / "auto"
    assert main(["--db", url, "suggest", "--coder", "auto", "--layer-dir", str(layer)]) == 0
    assert "machine coder 'auto': 2 codings in 1 transcripts" in capsys.readouterr().out
    source = connect(url)
    with session_scope(source) as session:
        stored = codings_frame(session, ["auto"])[["code_id", "start", "end"]]
    source.dispose()
    fresh = connect(build_study(tmp_path / "fresh"))
    try:
        with session_scope(fresh) as session:
            assert load_layer(session, layer) == ("auto", 2)
            loaded = codings_frame(session, ["auto"])[["code_id", "start", "end"]]
            assert get_user(session, "auto").kind == "machine"
    finally:
        fresh.dispose()
    assert loaded.values.tolist() == stored.values.tolist()


def test_cli_show_prints_suggestions_and_stores_nothing(
    url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", url, "suggest", "--show", "--transcript", "I1"]) == 0
    out = capsys.readouterr().out
    assert "secrecy" in out and "compute" in out and "nothing stored" in out
    with session_scope(engine) as session:
        assert session.scalar(select(func.count(Coding.id))) == 0


def test_cli_refuses_an_unknown_transcript(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url, "suggest", "--transcript", "I99"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no transcript called 'I99'") and err.count("\n") == 1


HIDE_EXTRA = """
import sys
sys.modules["sentence_transformers"] = None  # as if the extra were not installed
from qualcarto.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_semantic_without_the_extra_says_how_to_install_it(url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", HIDE_EXTRA, "--db", url, "suggest", "--method", "semantic"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "missing: sentence_transformers" in result.stderr
    assert "pip install 'qualcarto[semantic]'" in result.stderr

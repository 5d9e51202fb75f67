# SPDX-License-Identifier: MIT
"""What the CLI prints and names reads well: counts, file names, a table that fits, JSON.

Real stores through the real CLI (the ``study`` fixture: tiny codebook, P1, ana, ben).
"""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.codebook import get_version, parse_codebook, version_codebook
from qualcarto.coding import add_coding
from qualcarto.demo import DEMO_PROJECT
from qualcarto.exchange import study_data
from qualcarto.exchange.bundle import file_stem
from qualcarto.store import Project, read_scope, session_scope
from qualcarto.wording import counted, slug


def run(db_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", db_url, *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("count", "noun", "plural", "expected"),
    [
        (0, "note", None, "0 notes"),
        (1, "note", None, "1 note"),
        (15, "coding", None, "15 codings"),
        (1, "activity", "activities", "1 activity"),
        (2, "activity", "activities", "2 activities"),
    ],
)
def test_a_count_agrees_with_its_noun(
    count: int, noun: str, plural: str | None, expected: str
) -> None:
    assert counted(count, noun, plural) == expected


@pytest.mark.parametrize("limit", [5, 12, 20, 30, 48, 200])
def test_a_slug_ends_on_a_whole_word_within_its_limit(limit: int) -> None:
    words = slug(DEMO_PROJECT).split("-")
    cut = slug(DEMO_PROJECT, limit)
    assert len(cut) <= limit
    assert cut.split("-") == words[: len(cut.split("-"))]
    assert "linaker" in slug(DEMO_PROJECT)


def test_a_single_long_word_is_cut_rather_than_lost() -> None:
    assert slug("Überlangeswort", 5) == "uberl"
    assert slug("", 5) == slug("!!!", 5) == ""


def test_export_file_names_keep_the_study_name_in_whole_words(study: Engine) -> None:
    with session_scope(study) as session:
        session.scalars(select(Project)).one().name = DEMO_PROJECT
    with read_scope(study) as session:
        everyone = file_stem(study_data(session))
        ana = file_stem(study_data(session, ["ana"]))
    assert everyone == "demo-open-collaboration-in-open-llm-projects-all-coders-v1"
    assert ana == "demo-open-collaboration-in-open-llm-projects-ana-v1"


def test_the_qdpx_export_counts_in_the_singular_where_it_should(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", memo="one note")
    out_file = f"{tmp_path}/study.qdpx"
    status, out, _ = run(db_url, capsys, "export", "qdpx", out_file)
    assert status == 0
    assert "1 transcript, " in out and "1 coding and 1 note to" in out


def _two_coders(study: Engine) -> None:
    with session_scope(study) as session:
        for coder in ("ana", "ben"):
            add_coding(session, "P1", 0, 11, "access", coder)
            add_coding(session, "P1", 20, 40, "docs", coder)
        add_coding(session, "P1", 50, 60, "money", "ana")


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_agreement_table_fits_the_terminal_and_says_what_it_left_out(
    study: Engine,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
) -> None:
    _two_coders(study)
    monkeypatch.setenv("COLUMNS", str(columns))
    status, out, _ = run(db_url, capsys, "agreement", "--coders", "ana", "ben")
    assert status == 0
    assert max(len(line) for line in out.splitlines()) <= columns
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split()[:2] == ["code", "id"] and "agree" in table[0]
    assert [row.split()[0] for row in table[1:]] == ["access", "docs", "money", "(all)"]
    status, wide, _ = run(db_url, capsys, "agreement", "--coders", "ana", "ben", "--wide")
    wide_table = wide.split("\n\n")[1].splitlines()
    widest, header = max(len(line) for line in wide_table), wide_table[0]
    assert all(name in header for name in ("name", "stage", "polarity", "segs a", "agree"))
    if widest > columns:
        assert "Left out to fit" in out and "--wide shows every column" in out
    else:
        assert "Left out" not in out


def test_the_json_codebook_export_is_the_yaml_document(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, as_yaml, _ = run(db_url, capsys, "codebook", "export", "--format", "yaml")
    status, as_json, _ = run(db_url, capsys, "codebook", "export", "--format", "json")
    assert status == 0
    assert json.loads(as_json) == yaml.safe_load(as_yaml)
    with read_scope(study) as session:
        stored = version_codebook(get_version(session))
    assert parse_codebook(as_json, "export.json") == stored
    document = json.loads(as_json)
    assert document["cartography"] == {"rows": "polarity", "cols": "stage", "split": "polarity"}
    access = next(c for c in document["codes"] if c["id"] == "access")
    assert access["definition"] == "Getting hardware to train on." and access["color"]


def test_coding_list_says_how_many_it_wrote(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana")
    status, out, _ = run(db_url, capsys, "coding", "list", "-o", f"{tmp_path}/c.csv")
    assert status == 0 and out == f"wrote 1 coding to {tmp_path}/c.csv\n"
    status, out, _ = run(db_url, capsys, "coding", "list", "--coder", "ben")
    assert status == 0 and out == "no codings\n"

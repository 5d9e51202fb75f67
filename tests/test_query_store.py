# SPDX-License-Identifier: MIT
"""Code queries against a real store: the service, ``qualcarto query`` and the Query page.

The study is ``app_study``'s: the tiny codebook, transcripts P1 (non-ASCII names) and P2
(markup that must stay text), lead lena, coders ana and ben, blind by default.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app_study import app_as, build_study, code_span, no_errors
from qualcarto.cli import main
from qualcarto.queries import answer_query, saved_queries
from qualcarto.store import AuditEvent, connect, read_scope


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    study = build_study(tmp_path / "study")
    monkeypatch.setenv("QUALCARTO_DB", study)
    code_span(study, "P1", "We asked the centre", "access", "ana")
    code_span(study, "P1", "asked the centre in", "docs", "ana")
    code_span(study, "P1", "Then we wrote everything down", "docs", "ben")
    return study


def test_the_service_answers_with_excerpts_and_context(url: str) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        hits = answer_query(session, "access AND docs", context=5)
        text = session.execute(AuditEvent.__table__.select()).first()  # the store was readable
    engine.dispose()
    assert text is not None
    assert list(hits["text"]) == ["asked the centre"]
    assert list(hits["coder"]) == ["ana"]
    assert hits["left"].iloc[0] == "P1: We "[-5:]


def test_blind_coding_holds_a_coder_sees_only_their_own_hits(url: str) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        as_ben = answer_query(session, "docs", viewer="ben")
        as_lena = answer_query(session, "docs", viewer="lena")
    engine.dispose()
    assert set(as_ben["coder"]) == {"ben"}
    assert set(as_lena["coder"]) == {"ana", "ben"}


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_cli_writes_one_row_per_hit_and_saves_named_queries(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        url,
        capsys,
        "query",
        "themes WITHIN sentence",
        "--coder",
        "ben",
        "--format",
        "json",
        "--save",
        "all themes",
        "--as",
        "lena",
    )
    assert status == 0, err
    rows = json.loads(out)
    assert [(r["coder"], r["transcript"], r["text"]) for r in rows] == [
        ("ben", "P1", "Then we wrote everything down.")
    ]
    engine = connect(url)
    with read_scope(engine) as session:
        assert saved_queries(session).to_dict("records") == [
            {"name": "all themes", "codebook_version": 1, "text": "themes WITHIN sentence"}
        ]
    engine.dispose()
    status, again, _ = run(url, capsys, "query", "--saved", "all themes", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(again)))
    assert status == 0 and [r["coder"] for r in rows] == ["ana", "ben"]


def test_the_cli_shows_a_bad_query_as_one_line_with_its_position(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(url, capsys, "query", "access AND (docs OR")
    assert status == 2
    assert err == (
        "error: query position 20: expected a code, a glob, a facet:value or '(', "
        "found the end of the query\n"
    )


def test_the_query_page_shows_hits_and_a_crosstab_for_what_the_coder_may_see(url: str) -> None:
    at = no_errors(app_as(url, "ana")).switch_page("app_pages/query.py").run()
    at.text_area(key="query_text").set_value("docs").run()
    no_errors(at)
    assert "1 hit" in [c.value for c in at.caption]
    assert any("asked the centre in" in t.value for t in at.text)
    lead = no_errors(app_as(url, "lena")).switch_page("app_pages/query.py").run()
    lead.text_area(key="query_text").set_value("docs").run()
    assert "2 hits" in [c.value for c in no_errors(lead).caption]  # ben's hit too
    at.text_area(key="query_text").set_value("docs AND").run()
    assert "query position 9" in at.error[0].value

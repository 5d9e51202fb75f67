# SPDX-License-Identifier: MIT
"""Transcript groups as a filter everywhere: service, query language, exports, agreement, CLI.

The study is ``app_study``'s (transcripts P1 and P2, lead lena, coders ana and ben), with
the group "wave 1" holding P1 only and the empty group "wave 2".
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app_study import build_study, code_span
from qualcarto.agreement_data import agreement_data
from qualcarto.cli import main
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.exchange import study_data, write_tidy_csv, write_workbook
from qualcarto.queries import answer_query
from qualcarto.query import QueryError, QuerySyntaxError, parse_query
from qualcarto.store import AuditEvent, connect, read_scope, session_scope
from qualcarto.transcripts.groups import (
    add_to_group,
    assign,
    delete_group,
    edit_group,
    groups_table,
    list_groups,
    memberships_frame,
    names_in,
    set_members,
    unassign,
)


@pytest.fixture
def url(tmp_path: Path) -> str:
    study = build_study(tmp_path / "study")
    for coder in ("ana", "ben"):
        code_span(study, "P1", "We asked the centre", "access", coder)
        code_span(study, "P2", "Yes, all of it", "access", coder)
    code_span(study, "P2", "shows as plain text", "docs", "ana")
    engine = connect(study)
    with session_scope(engine) as session:
        assign(session, "wave 1", ["P1"], description="spring", actor="lena")
        add_to_group(session, "wave 2", [], actor="lena")
    engine.dispose()
    return study


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_service_makes_fills_edits_and_deletes_groups_with_an_audit_entry_each(
    url: str,
) -> None:
    engine = connect(url)
    with session_scope(engine) as session:
        assign(session, "wave 2", ["P1", "P2"], actor="lena")
        assert unassign(session, "wave 2", ["P1"], actor="lena") == 1
        edit_group(session, "wave 2", new_name="autumn", description="second", actor="lena")
        set_members(session, "site A", ["P2"], actor="lena")
        set_members(session, "site A", ["P1"], actor="lena")
    with read_scope(engine) as session:
        assert list_groups(session) == {"autumn": ["P2"], "site A": ["P1"], "wave 1": ["P1"]}
        table = groups_table(session)
        actions = list(session.scalars(select(AuditEvent.action)))
    assert table.to_dict("records")[0] == {
        "group": "autumn",
        "description": "second",
        "transcripts": 1,
    }
    assert actions.count("group.members") >= 5 and "group.edit" in actions
    with session_scope(engine) as session:
        assert delete_group(session, "autumn", actor="lena") == 1
        assert "autumn" not in list_groups(session)
    engine.dispose()


def test_bad_names_are_one_clear_error_and_the_store_stays_unchanged(url: str) -> None:
    engine = connect(url)
    unknown_group = r"no transcript group called 'wave 3' \(groups: "
    with (
        pytest.raises(NotFoundError, match="no transcript called 'P9'"),
        session_scope(engine) as session,
    ):
        assign(session, "wave 1", ["P2", "P9"], actor="lena")
    with pytest.raises(NotFoundError, match=unknown_group), session_scope(engine) as session:
        unassign(session, "wave 3", ["P1"])
    with pytest.raises(ValidationError, match="exists already"), session_scope(engine) as session:
        edit_group(session, "wave 2", new_name="wave 1")
    with read_scope(engine) as session:
        assert list_groups(session) == {"wave 1": ["P1"], "wave 2": []}
        assert names_in(list_groups(session), ["P2", "P1"], "wave 1") == ["P1"]
        frame = memberships_frame(session)
    engine.dispose()
    assert frame["group"].tolist() == ["wave 1", "wave 2"]
    assert frame["transcript_id"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('group = "wave 1"', {"P1"}),
        ('group != "wave 1"', {"P2"}),
        ('group IN ("wave 1", "wave 2")', {"P1"}),
        ('transcript_group = "wave 2"', set()),
        ('NOT group = "wave 1" AND coder = ana', {"P2"}),
    ],
)
def test_the_query_language_filters_by_group(url: str, where: str, expected: set[str]) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        hits = answer_query(session, f"access WHERE {where}")
    engine.dispose()
    assert set(hits["transcript"]) == expected


def test_group_mistakes_in_a_query_name_the_position(url: str) -> None:
    engine = connect(url)
    with read_scope(engine) as session, pytest.raises(QueryError) as unknown:
        answer_query(session, 'access WHERE group = "wave 9"')
    engine.dispose()
    assert str(unknown.value) == (
        "query position 14: no transcript group 'wave 9' (groups: wave 1, wave 2)"
    )
    with pytest.raises(QuerySyntaxError) as missing:
        parse_query("access WHERE group =")
    assert missing.value.position == len("access WHERE group =")


def test_the_query_service_and_cli_take_a_group(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        hits = answer_query(session, "access OR docs", group="wave 1")
    engine.dispose()
    assert set(hits["transcript"]) == {"P1"}
    status, out, err = run(url, capsys, "query", "docs", "--group", "wave 1", "--format", "json")
    assert status == 0, err
    assert json.loads(out) == []
    status, _, err = run(url, capsys, "query", "docs", "--group", "nope")
    assert status == 2 and "no transcript group called 'nope'" in err


def test_exports_narrow_to_a_group_and_carry_a_group_column_and_sheet(
    url: str, tmp_path: Path
) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        everything = study_data(session)
        wave = study_data(session, group="wave 1")
    engine.dispose()
    assert set(everything.codings["transcript"]) == {"P1", "P2"}
    assert set(wave.codings["transcript"]) == {"P1"}
    assert list(wave.transcripts["transcript"]) == ["P1"]
    assert ("transcript group", "wave 1") in wave.about()
    write_tidy_csv(everything, tmp_path / "all.csv")
    tidy = pd.read_csv(tmp_path / "all.csv", keep_default_na=False)
    assert dict(zip(tidy["transcript"], tidy["transcript_groups"], strict=False)) == {
        "P1": "wave 1",
        "P2": "",
    }
    write_workbook(everything, tmp_path / "all.xlsx")
    sheet = load_workbook(tmp_path / "all.xlsx")["By transcript group"]
    rows = {r[0]: r[2:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    assert header[2:] == ["wave 1", "wave 2"]
    assert rows["access"] == (1, 0) and rows["docs"] == (0, 0)


def test_export_cli_takes_a_group(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "wave.csv"
    status, stdout, err = run(url, capsys, "export", "csv", str(out), "--group", "wave 1")
    assert status == 0, err
    assert "wrote 2 codings" in stdout
    assert set(pd.read_csv(out)["transcript"]) == {"P1"}


def test_agreement_can_be_restricted_to_a_group(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = connect(url)
    with read_scope(engine) as session:
        data = agreement_data(session, ["ana", "ben"], group="wave 1")
        with pytest.raises(ValidationError, match="no transcripts to measure in group 'wave 2'"):
            agreement_data(session, ["ana", "ben"], group="wave 2")
    engine.dispose()
    assert list(data.transcript_names.values()) == ["P1"]
    assert set(data.codings["transcript"]) == {"P1"}
    status, out, err = run(
        url, capsys, "agreement", "ana", "ben", "--group", "wave 1", "--format", "json"
    )
    assert status == 0, err
    payload = json.loads(out)
    assert payload["transcripts"] == 1 and payload["group"] == "wave 1"
    assert any("transcript group 'wave 1'" in line for line in payload["about"])


def test_the_group_commands_add_assign_list_edit_and_remove(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(url, capsys, "group", "add", "site A", "P2", "--as", "lena")[1] == (
        "group 'site A': 1 transcript\n"
    )
    assert run(url, capsys, "group", "assign", "site A", "P1")[1] == (
        "group 'site A': 2 transcripts\n"
    )
    status, _, err = run(url, capsys, "group", "assign", "site B", "P1")
    assert status == 2 and "no transcript group called 'site B'" in err
    assert run(url, capsys, "group", "remove", "site A", "P1")[1] == (
        "took 1 transcript out of group 'site A'\n"
    )
    run(url, capsys, "group", "edit", "site A", "--description", "the north")
    status, out, _ = run(url, capsys, "group", "list", "--members")
    assert status == 0
    assert out.splitlines() == [
        "site A\t1 transcript\tthe north",
        "\tP2",
        "wave 1\t1 transcript\tspring",
        "\tP1",
        "wave 2\t0 transcripts\t",
        "\t(empty)",
    ]
    assert run(url, capsys, "group", "remove", "wave 2", "--all")[1] == (
        "deleted group 'wave 2' (it held 0 transcripts)\n"
    )
    status, _, err = run(url, capsys, "group", "remove", "wave 1")
    assert status == 2 and "--all" in err

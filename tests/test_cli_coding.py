# SPDX-License-Identifier: MIT
"""A coder without the app: read, search and code transcripts from the command line.

Every command runs through the real CLI against a real store (the ``study`` fixture:
the tiny codebook, transcript P1 with non-ASCII names, coders ana and ben).
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.coding import add_coding, codings_frame, edit_coding
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import AuditEvent, Coding, read_scope, session_scope
from qualcarto.transcripts import get_transcript
from qualcarto.transcripts.view import offset_lines
from store_snapshot import store_content


def run(db_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", db_url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def stored_text(study: Engine) -> str:
    with read_scope(study) as session:
        return get_transcript(session, "P1").text


def test_transcript_list_names_each_transcript_with_its_length(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(db_url, capsys, "transcript", "list")
    header, row = out.splitlines()
    assert status == 0 and header.split() == ["transcript", "participant", "characters"]
    assert row.split() == ["P1", str(len(stored_text(study)))]


def test_transcript_show_prints_the_stored_text_and_offsets_that_point_into_it(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = stored_text(study)
    status, out, _ = run(db_url, capsys, "transcript", "show", "P1")
    assert status == 0 and out.rstrip("\n") == text.rstrip("\n")
    status, out, _ = run(db_url, capsys, "transcript", "show", "P1", "--offsets", "--width", "40")
    assert status == 0
    pieces = []
    for line in out.splitlines():
        assert len(line) <= 40
        offset, _, shown = line.strip().partition("  ")
        assert text[int(offset) : int(offset) + len(shown)] == shown
        pieces.append(shown)
    assert "".join("".join(pieces).split()) == "".join(text.split())


@pytest.mark.parametrize("width", [1, 3, 7, 20, 80])
def test_offset_lines_cover_the_text_and_point_into_it(width: int) -> None:
    text = "Zoë: we met in תל אביב 👋.\n\nP1: averyveryverylongwordwithoutspaces and more  text\n"
    lines = offset_lines(text, width)
    for start, line in lines:
        assert len(line) <= width and text[start : start + len(line)] == line
    assert [s for s, _ in lines] == sorted(s for s, _ in lines)
    assert "".join(text.split()) == "".join("".join(line.split()) for _, line in lines)


def test_transcript_find_gives_offsets_ready_for_coding_add(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = stored_text(study)
    status, out, _ = run(db_url, capsys, "transcript", "find", "THE CENTRE")
    assert status == 0
    header, hit, total = out.splitlines()
    assert header.split() == ["transcript", "start", "end", "context"]
    name, start, end, context = hit.split(maxsplit=3)
    assert (name, text[int(start) : int(end)]) == ("P1", "the centre")
    assert "[the centre]" in context and total == "1 hit"
    status, out, _ = run(
        db_url, capsys, "coding", "add", "P1", start, end, "access", "--coder", "ana"
    )
    assert status == 0 and "'the centre'" in out


def test_a_misspelt_transcript_names_the_closest_ones(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store_content(study)
    status, out, err = run(
        db_url, capsys, "coding", "add", "p1", "0", "5", "access", "--coder", "ana"
    )
    assert (status, out) == (2, "")
    assert err == "error: no transcript called 'p1'; closest: P1\n"
    assert store_content(study) == before
    with session_scope(study) as session, pytest.raises(NotFoundError, match="transcript list"):
        get_transcript(session, "Interview-with-someone")


def test_a_grouping_code_is_refused_by_hand_and_the_store_is_unchanged(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store_content(study)
    status, _, err = run(
        db_url, capsys, "coding", "add", "P1", "0", "5", "themes", "--coder", "ana"
    )
    assert status == 2
    assert err.startswith("error: code 'themes' groups other codes (access, docs, money)")
    assert store_content(study) == before
    with session_scope(study) as session:
        made = add_coding(session, "P1", 0, 5, "access", "ana")
        with pytest.raises(ValidationError, match="groups other codes"):
            edit_coding(session, made.id, "ana", code_id="themes")
        # An import keeps what another tool coded, parents included.
        kept = add_coding(session, "P1", 0, 5, "themes", "ben", origin="import")
        assert kept.code_id == "themes"


def test_coding_edit_and_delete_go_through_the_core_with_an_audit_entry_each(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = stored_text(study)
    with session_scope(study) as session:
        coding_id = add_coding(session, "P1", 0, 11, "access", "ana").id
    edit = ["coding", "edit", str(coding_id), "--coder", "ana", "--end", "20", "--code", "docs"]
    status, out, _ = run(db_url, capsys, *edit, "--memo", "wider")
    assert status == 0 and "row version 2" in out
    with read_scope(study) as session:
        frame = codings_frame(session)
        edited = frame.iloc[0]
        assert (edited["code_id"], edited["end"], edited["memo"]) == ("docs", 20, "wider")
        assert edited["text"] == text[0:20]
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["coding.add", "coding.edit"]
    status, out, _ = run(db_url, capsys, "coding", "delete", str(coding_id), "--coder", "ana")
    assert status == 0 and out == f"deleted coding {coding_id} (docs 0-20)\n"
    with read_scope(study) as session:
        assert session.get(Coding, coding_id) is None
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and (event.action, event.actor) == ("coding.delete", "ana")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coder", "ben", "--memo", "x"], "belongs to 'ana', not 'ben'"),
        (["--coder", "ana", "--memo", "x", "--if-version", "7"], "was changed meanwhile"),
        (["--coder", "ana", "--end", "100000"], "is not inside transcript 'P1'"),
        (["--coder", "ana", "--code", "nope"], "code 'nope' is not in codebook version 1"),
    ],
)
def test_a_refused_edit_is_one_line_and_changes_nothing(
    study: Engine,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    with session_scope(study) as session:
        coding_id = add_coding(session, "P1", 0, 11, "access", "ana").id
    before = store_content(study)
    status, out, err = run(db_url, capsys, "coding", "edit", str(coding_id), *args)
    assert (status, out) == (2, "") and message in err and err.count("\n") == 1
    assert store_content(study) == before


def test_only_its_own_coder_may_delete_a_coding(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(study) as session:
        coding_id = add_coding(session, "P1", 0, 11, "access", "ana").id
    before = store_content(study)
    status, _, err = run(db_url, capsys, "coding", "delete", str(coding_id), "--coder", "ben")
    assert status == 2 and err == f"error: coding {coding_id} belongs to 'ana', not 'ben'\n"
    status, _, err = run(
        db_url, capsys, "coding", "delete", str(coding_id), "--coder", "ana", "--if-version", "2"
    )
    assert status == 2 and "was changed meanwhile" in err
    assert store_content(study) == before


def test_an_edit_without_a_change_is_a_usage_error(
    study: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(db_url, capsys, "coding", "edit", "1", "--coder", "ana")
    assert status == 2 and "say what to change" in err

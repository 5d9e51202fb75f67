# SPDX-License-Identifier: MIT
"""``qualcarto memo``: add, list, show, search and edit through the real CLI on a real store.

The study is conftest's: the tiny codebook, transcript P1, coders ana and ben.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import Engine

from qualcarto.cli import main


def run(study: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(study.url), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_memo_written_links_and_is_found_shown_and_edited(
    study: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Compute woes in [[P1:75-80]], see [[code:docs]]"
    assert run(
        study, capsys, "memo", "add", "--as", "ana", "--subject", "code", "--about", "access", text
    ) == (0, "memo 1 saved\n", "")
    assert (
        run(
            study,
            capsys,
            "memo",
            "add",
            "--as",
            "ben",
            "--title",
            "Journal",
            "Builds on [[memo:1]]",
        )[0]
        == 0
    )
    status, out, _ = run(study, capsys, "memo", "search", "WOES", "--format", "json")
    found = json.loads(out)
    assert status == 0
    assert [(m["memo_id"], m["subject"], m["about"], m["text"]) for m in found] == [
        (1, "code", "access", text)
    ]
    status, out, _ = run(study, capsys, "memo", "show", "1")
    assert out.splitlines()[0] == "memo 1 on code access by ana (version 1)"
    assert "links: [[P1:75-80]], [[code:docs]]" in out
    assert "linked from: memo 2" in out
    status, out, _ = run(study, capsys, "memo", "list", "--subject", "project", "--format", "csv")
    assert out.splitlines()[1].startswith("2,project,ben,Journal,")
    assert (
        run(study, capsys, "memo", "edit", "1", "--as", "ana", "--expect-version", "1", "Sharper")[
            1
        ]
        == "memo 1 saved (version 2)\n"
    )


def test_a_stale_or_foreign_edit_and_a_broken_link_are_one_line_each(
    study: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin [[code:access]]"))
    assert run(study, capsys, "memo", "add", "--as", "ana", "-")[0] == 0
    run(study, capsys, "memo", "edit", "1", "--as", "ana", "newer")
    status, _, err = run(
        study, capsys, "memo", "edit", "1", "--as", "ana", "--expect-version", "1", "stale"
    )
    assert (status, err) == (
        2,
        "error: memo 1 was saved meanwhile (version 2, you started from 1); "
        "reload it and edit again\n",
    )
    status, _, err = run(study, capsys, "memo", "edit", "1", "--as", "ben", "mine now")
    assert (status, err) == (2, "error: memo 1 is not ben's to change\n")
    status, _, err = run(study, capsys, "memo", "add", "--as", "ana", "[[code:nope]]")
    assert (status, err) == (2, "error: link [[code:nope]]: no such code\n")
    status, out, _ = run(study, capsys, "memo", "show", "1")
    assert "newer" in out and "stale" not in out


def test_a_blind_coder_lists_only_their_own_memos(
    study: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    run(study, capsys, "memo", "add", "--as", "ana", "ana's thought")
    run(study, capsys, "memo", "add", "--as", "ben", "ben's thought")
    _, out, _ = run(study, capsys, "memo", "list", "--as", "ben", "--format", "json")
    assert [m["author"] for m in json.loads(out)] == ["ben"]
    status, _, err = run(study, capsys, "memo", "show", "1", "--as", "ben")
    assert (status, err) == (2, "error: memo 1 does not exist\n")

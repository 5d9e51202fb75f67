# SPDX-License-Identifier: MIT
"""Pseudonymisation: names replaced everywhere, codings kept on their words, the key never stored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.errors import InputError
from qualcarto.pseudonyms import read_key
from qualcarto.store import Coding, connect, session_scope
from qualcarto.transcripts import get_transcript
from qualcarto.users import add_user
from store_snapshot import store_content

PLACE = "\u05ea\u05dc \u05d0\u05d1\u05d9\u05d1"  # Tel Aviv, right to left


@pytest.fixture
def coded(study: Engine) -> Engine:
    with session_scope(study) as session:
        add_user(session, "lena", "lead", "lena-password")
        text = get_transcript(session, "P1").text
        for words, code in (("Welcome, Zoë", "docs"), ("about the cluster", "access")):
            start = text.index(words)
            add_coding(session, "P1", start, start + len(words), code, "ana", memo="asked Zoë")
    return study


def _key(folder: Path) -> Path:
    path = folder / "key.csv"
    path.write_text(f"name,pseudonym\nZoë,Kim\n{PLACE},[city]\nNobody,\n", encoding="utf-8")
    return path


def test_candidates_come_from_capitalised_words(
    coded: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "candidates.csv"
    assert main(["--db", db_url, "pseudonymise", "--suggest", str(out)]) == 0
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == ["name", "pseudonym"]
    assert "Zoë" in set(frame["name"]) and set(frame["pseudonym"]) == {""}
    assert main(["--db", db_url, "pseudonymise", "--suggest", str(out)]) == 2  # never overwritten


def test_a_pseudonymised_copy_holds_no_key_name_and_the_store_is_untouched(
    coded: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store_content(coded)
    copy = tmp_path / "shared.db"
    args = ["--db", db_url, "pseudonymise", "--map", str(_key(tmp_path)), "--copy", str(copy)]
    assert main([*args, "--as", "lena"]) == 0
    assert "2 replacements in 1 transcripts" in capsys.readouterr().out
    assert store_content(coded) == before
    shared = connect(f"sqlite:///{copy}")
    dump = repr(store_content(shared))
    assert "Zoë" not in dump and PLACE not in dump and "key.csv" not in dump
    with session_scope(shared) as session:
        text = get_transcript(session, "P1").text
        codings = list(session.scalars(select(Coding).order_by(Coding.start)))
    shared.dispose()
    assert "Welcome, Kim" in text and "in [city] for time" in text
    assert [text[c.start : c.end] for c in codings] == ["Welcome, Kim", "about the cluster"]
    assert [c.text for c in codings] == ["Welcome, Kim", "about the cluster"]
    assert {c.memo for c in codings} == {"asked Kim"}


def test_a_key_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "names.csv"
    bad.write_text("real,fake\nZoë,Kim\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"names\.csv: needs the columns 'name' and 'pseudonym'"):
        read_key(bad)

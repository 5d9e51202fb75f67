# SPDX-License-Identifier: MIT
"""Names from outside the corpus files: the command line, file names and stdin.

One rule (``qualcarto.names``) for codes, users, transcripts, participants and file names.
Each hostile name is refused with exit status 2 and one escaped line on stderr (no raw
escape sequence reaches the terminal, no traceback), and the store is left as it was.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from qualcarto.errors import ValidationError
from qualcarto.names import check_file_name, check_name, check_text, escaped, problem
from qualcarto.store import Participant, Transcript, User
from qualcarto.suggest.layer import write_layer
from store_snapshot import store_content

ROOT = Path(__file__).resolve().parents[1]


def qualcarto(
    db: str, *args: str | bytes, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a child process, with arguments passed as raw bytes where given."""
    argv = [os.fsencode(sys.executable), b"-m", b"qualcarto", b"--db", os.fsencode(db)]
    argv += [a if isinstance(a, bytes) else a.encode() for a in args]
    return subprocess.run(argv, input=stdin, capture_output=True, cwd=ROOT, timeout=120)


def refused_in_one_line(result: subprocess.CompletedProcess[bytes], phrase: str) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    assert "\x1b" not in err and "\x9b" not in err, "a raw escape sequence reached the terminal"
    assert phrase in err, err
    return err


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ana\x1b[31m", "control character U+001B"),
        ("dup\n", "control character U+000A"),
        ("x\x85y", "control character U+0085"),
        ("x\x9b31m", "control character U+009B"),
        ("half \ud800", "lone surrogate U+D800"),
        ("no \ufdd0", "noncharacter U+FDD0"),
        ("plane \U0010ffff", "noncharacter U+10FFFF"),
        ("\u202eexe.txt", "invisible formatting character U+202E"),
    ],
)
def test_one_rule_refuses_controls_noncharacters_surrogates_and_overrides(
    value: str, reason: str
) -> None:
    assert reason in str(problem(value))
    with pytest.raises(ValidationError, match=re.escape(reason)):
        check_name(value, "name")
    assert "\x1b" not in escaped(value) and "\n" not in escaped(value)


def test_texts_keep_tabs_and_line_breaks_but_not_other_controls() -> None:
    assert check_text("one\ttwo\nthree\r\n", "definition") == "one\ttwo\nthree\r\n"
    with pytest.raises(ValidationError, match=r"U\+0007"):
        check_text("ring \a", "definition")
    assert check_name("Zoë 👩🏽‍💻 קוד", "name") == "Zoë 👩🏽‍💻 קוד"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../../x", "path separator"),
        ("/etc/passwd", "path separator"),
        ("a\\b", "path separator"),
        ("C:evil", "path separator"),
        (".bashrc", "starts with a dot"),
        ("..", "starts with a dot"),
    ],
)
def test_a_name_that_becomes_a_file_stays_in_its_folder(
    value: str, reason: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=reason):
        check_file_name(value, "transcript name")
    with pytest.raises(ValidationError, match=reason):
        write_layer(tmp_path / "layer", {f"{value}.yaml": "[]\n"})
    assert not any(tmp_path.rglob("*.yaml"))


def test_the_store_refuses_hostile_names_however_they_arrive(study: Engine) -> None:
    for make in (
        lambda: User(name="ana\x1b[2J", role="coder"),
        lambda: Participant(project_id=1, key="P\x00"),
        lambda: Transcript(name="../outside", project_id=1),
    ):
        with pytest.raises(ValidationError):
            make()


def test_a_user_name_with_an_escape_sequence_is_refused_escaped(db_url: str, study: Engine) -> None:
    before = store_content(study)
    result = qualcarto(db_url, "user", "add", "eve\x1b]0;owned\x07", "--password-stdin",
                       stdin=b"a-good-password\n")  # fmt: skip
    err = refused_in_one_line(result, "control character U+001B")
    assert "eve\\x1b]0;owned\\x07" in err
    assert store_content(study) == before


def test_a_user_name_that_is_not_utf8_is_refused(db_url: str, study: Engine) -> None:
    before = store_content(study)
    result = qualcarto(db_url, "user", "add", b"eve\xff", "--password-stdin",
                       stdin=b"a-good-password\n")  # fmt: skip
    refused_in_one_line(result, "\\udcff")
    assert store_content(study) == before


def test_a_password_on_stdin_that_is_not_utf8_is_refused(db_url: str, study: Engine) -> None:
    before = store_content(study)
    result = qualcarto(db_url, "user", "add", "eve", "--password-stdin", stdin=b"pass\xffword\n")
    refused_in_one_line(result, "password")
    assert store_content(study) == before


def test_a_transcript_file_name_that_is_not_utf8_is_refused(
    db_url: str, study: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "interviews"
    folder.mkdir()
    (Path(os.fsdecode(os.fsencode(folder) + b"/I\xff9.txt"))).write_text("P9: hello\n", "utf-8")
    before = store_content(study)
    refused_in_one_line(qualcarto(db_url, "import", str(folder)), "I\\udcff9")
    assert store_content(study) == before


def test_a_hidden_transcript_file_is_refused(db_url: str, study: Engine, tmp_path: Path) -> None:
    path = tmp_path / ".profile.txt"
    path.write_text("P9: hello\n", "utf-8")
    before = store_content(study)
    refused_in_one_line(qualcarto(db_url, "import", str(path)), "starts with a dot")
    assert store_content(study) == before


def test_a_codebook_path_that_is_not_utf8_is_refused(db_url: str, study: Engine) -> None:
    before = store_content(study)
    result = qualcarto(db_url, "codebook", "publish", b"/tmp/none\xfe.yaml", "-m", "x")
    refused_in_one_line(result, "\\udcfe")
    assert store_content(study) == before


def test_a_study_name_with_an_escape_sequence_is_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.db'}"
    refused_in_one_line(qualcarto(db, "init", "--name", "study\x1b[2J"), "study name")


def test_a_name_echoed_back_is_escaped(db_url: str, study: Engine) -> None:
    result = qualcarto(db_url, "user", "unlock", "nobody\x1b[2J")
    shown = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert "\x1b" not in shown and "nobody\\x1b[2J" in shown, shown

# SPDX-License-Identifier: MIT
"""Hostile and broken input: one clear line naming the file and the problem; the store untouched.

Each case goes through the real CLI against a real store, and the whole store is
compared table by table before and after.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine

from conftest import TINY_CODEBOOK
from qualcarto.cli import main
from store_snapshot import store_content


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("P9: hello")
    document.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replace_member(docx: bytes, name: str, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        members = {m: source.read(m) for m in source.namelist()}
    members[name] = data
    return _zip(members)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)

YAML_BOMB = (
    "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    )
    + "codes: []\n"
)


def _write(name: str, data: bytes | Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if callable(data):
            data(path)
        else:
            path.write_bytes(data)
        return path

    return make


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return make


IMPORT_CASES = [
    (
        "binary",
        _write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        "contains NUL bytes",
    ),
    (
        "invalid utf-8",
        _write("latin1.txt", "P1: café".encode("latin-1")),
        "not valid UTF-8 (byte 0xe9 at offset 7)",
    ),
    ("nul bytes", _write("nul.txt", b"P1: hello\x00world"), "contains NUL bytes"),
    (
        "utf-16 without bom",
        _write("u16.txt", "P1: hello".encode("utf-16-le")),
        "UTF-16 without a BOM",
    ),
    (
        "control characters",
        _write("ctrl.txt", b"P1: bell \x07 here"),
        "control character U+0007 on line 1",
    ),
    ("empty", _write("empty.txt", b""), "is empty"),
    ("whitespace only", _write("blank.md", b"  \n\r\n\t"), "is empty"),
    ("50 MB", _write("huge.txt", _sparse(50 * 1024 * 1024)), "too large (52.4 MB"),
    (
        "random bytes as docx",
        _write("random.docx", os.urandom(4096)),
        "not a valid .docx (not a zip archive)",
    ),
    (
        "zip bomb as docx",
        _write("bomb.docx", _zip({"word/document.xml": b"\0" * (60 * 1024 * 1024)})),
        "zip bomb",
    ),
    (
        "docx without document",
        _write("hollow.docx", _zip({"[Content_Types].xml": b"<x/>"})),
        "no word/document.xml",
    ),
    (
        "entity expansion in docx",
        _write("laughs.docx", _replace_member(_docx_bytes(), "word/document.xml", BILLION_LAUGHS)),
        "declares a DTD",
    ),
    (
        "malformed vtt",
        _write("broken.vtt", b"WEBVTT\n\nnot a timestamp --> at all\nhello\n"),
        "not a valid .vtt file",
    ),
    (
        "malformed srt",
        _write("broken.srt", b"1\n00:00:01,000 -> 00:00:02\nhello\n"),
        "not a valid .srt file",
    ),
    ("unsupported type", _write("scan.pdf", b"%PDF-1.4"), "unsupported file type '.pdf'"),
]


@pytest.mark.parametrize(
    ("make", "message"), [c[1:] for c in IMPORT_CASES], ids=[c[0] for c in IMPORT_CASES]
)
def test_a_hostile_transcript_is_refused_and_the_store_is_unchanged(
    study: Engine,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    good = _write("P7.txt", b"P7: a fine transcript.")(tmp_path)
    bad = make(tmp_path)
    before = store_content(study)
    status = main(["--db", db_url, "import", str(good), str(bad)])
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert status == 2
    assert error.startswith(f"error: {bad}: ") and message in error
    assert "Traceback" not in capsys.readouterr().err
    assert store_content(study) == before


def _participants(folder: Path, text: str) -> Path:
    path = folder / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("id,organization\nP1,Lab\nP99,Elsewhere\n", "participant id(s) P99 match no transcript"),
        ("name,organization\nP1,Lab\n", "has no 'id' column"),
        ("id,organization\nP1,Lab\nP1,Lab again\n", "line 3: participant id 'P1' appears twice"),
        ("id,organization\nP1,Lab,extra\n", "line 2: 3 fields, the header has 2"),
    ],
)
def test_a_bad_participants_csv_is_refused_and_the_store_is_unchanged(
    study: Engine,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    csv: str,
    message: str,
) -> None:
    transcript = _write("P1.txt", b"P1: other words")(tmp_path)
    people = _participants(tmp_path, csv)
    before = store_content(study)
    status = main(["--db", db_url, "import", str(transcript), "--participants", str(people)])
    error = capsys.readouterr().err.strip()
    assert status == 2 and error.startswith(f"error: {people}: ") and message in error
    assert store_content(study) == before


CODEBOOK_CASES = [
    (
        "cycle",
        TINY_CODEBOOK
        + "  - id: x\n    name: X\n    parent: y\n  - id: y\n    name: Y\n    parent: x\n",
        "parent cycle",
    ),
    (
        "duplicate id",
        TINY_CODEBOOK + "  - id: docs\n    name: Docs again\n",
        "code 'docs': duplicate id",
    ),
    ("yaml bomb", YAML_BOMB, "anchors/aliases are not allowed"),
    ("not yaml", "codes: [unclosed\n", "not valid YAML"),
    ("not a codebook", "- just\n- a list\n", "a codebook is a mapping with a 'codes' list"),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in CODEBOOK_CASES], ids=[c[0] for c in CODEBOOK_CASES]
)
def test_a_bad_codebook_is_refused_and_the_store_is_unchanged(
    study: Engine,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    path = tmp_path / "bad-codebook.yaml"
    path.write_text(text, encoding="utf-8")
    before = store_content(study)
    status = main(["--db", db_url, "codebook", "publish", str(path), "-m", "v2"])
    error = capsys.readouterr().err.strip()
    assert status == 2 and error.startswith(f"error: {path}: ") and message in error
    assert len(error.splitlines()) == 1
    assert store_content(study) == before

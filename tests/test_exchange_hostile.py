# SPDX-License-Identifier: MIT
"""Hostile and broken REFI-QDA files: one clear line naming the file, and the store unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.store import (
    Coding,
    session_scope,
)
from store_snapshot import store_content

NS = "urn:QDA-XML:project:1.0"
SOURCE = "33333333-3333-3333-3333-333333333333"
TEXT = "P1: We shared the docs with everyone."


def project_xml(start: int = 4, end: int = 6, namespace: str = NS, prolog: str = "") -> bytes:
    """A small, otherwise valid project whose one selection is ``start``-``end``."""
    return f"""<?xml version="1.0" encoding="utf-8"?>{prolog}
<Project xmlns="{namespace}" name="hostile">
  <Users><User guid="11111111-1111-1111-1111-111111111111" name="eve"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-2222-2222-2222-222222222222" name="sharing" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="Q1" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="44444444-4444-4444-4444-444444444444"
                          startPosition="{start}" endPosition="{end}">
        <Coding guid="55555555-5555-5555-5555-555555555555"
                creatingUser="11111111-1111-1111-1111-111111111111">
          <CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>""".encode()


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return path


def good_members(qde: bytes) -> dict[str, bytes]:
    return {"project.qde": qde, f"sources/{SOURCE}.txt": TEXT.encode()}


LAUGHS = (
    '<!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
EXTERNAL = '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile case: the file and a word its error message must contain."""
    cases = {
        "entity expansion": (
            archive(folder / "laughs.qdpx", good_members(project_xml(prolog=LAUGHS))),
            "DTD",
        ),
        "external entity": (
            archive(folder / "external.qdpx", good_members(project_xml(prolog=EXTERNAL))),
            "DTD",
        ),
        "zip slip": (
            archive(folder / "slip.qdpx", {**good_members(project_xml()), "../../evil.txt": b"x"}),
            "escapes",
        ),
        "zip bomb": (
            archive(
                folder / "bomb.qdpx",
                {**good_members(project_xml()), "sources/zeros.txt": bytes(30 * 1024 * 1024)},
            ),
            "zip bomb",
        ),
        "missing project file": (
            archive(folder / "noproject.qdpx", {f"sources/{SOURCE}.txt": TEXT.encode()}),
            "project.qde",
        ),
        "two project files": (
            archive(
                folder / "two.qdpx", {**good_members(project_xml()), "other.qde": project_xml()}
            ),
            "2 .qde",
        ),
        "positions past the end": (
            archive(folder / "past.qdpx", good_members(project_xml(4, len(TEXT) + 50))),
            "outside",
        ),
        "wrong namespace": (
            archive(folder / "ns.qdpx", good_members(project_xml(namespace="urn:example:other"))),
            "namespace",
        ),
        "non-XML project": (
            archive(folder / "binary.qdpx", good_members(b"\x89PNG\r\n\x1a\n\x00\x00binary")),
            "not an XML",
        ),
        "broken XML": (
            archive(folder / "broken.qdpx", good_members(b"<Project><Users></Project>")),
            "well-formed",
        ),
        "not a zip": (folder / "plain.qdpx", "zip"),
        "missing source file": (
            archive(folder / "nosource.qdpx", {"project.qde": project_xml()}),
            "not in the archive",
        ),
        "entity in a codebook": (folder / "laughs.qdc", "DTD"),
    }
    (folder / "plain.qdpx").write_bytes(b"just some text, no archive")
    (folder / "laughs.qdc").write_text(
        f'<?xml version="1.0"?>{LAUGHS}<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '<Codes><Code guid="22222222-2222-2222-2222-222222222222" name="&c;" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    return cases


CASES = [
    "entity expansion",
    "external entity",
    "zip slip",
    "zip bomb",
    "missing project file",
    "two project files",
    "positions past the end",
    "wrong namespace",
    "non-XML project",
    "broken XML",
    "not a zip",
    "missing source file",
    "entity in a codebook",
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_gives_one_line_naming_it_and_changes_nothing(
    case: str, study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, word = hostile_files(tmp_path)[case]
    before = store_content(study)
    assert main(["--db", db_url, "import", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1, error
    assert str(path) in error and word in error, error
    assert store_content(study) == before


def test_the_well_formed_twin_of_the_hostile_files_imports(
    study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = archive(tmp_path / "fine.qdpx", good_members(project_xml()))
    assert main(["--db", db_url, "import", str(path)]) == 0
    assert "1 codings" in capsys.readouterr().out
    with session_scope(study) as session:
        coded = session.scalars(select(Coding.text).where(Coding.origin == "import")).all()
    assert coded == [TEXT[4:6]]

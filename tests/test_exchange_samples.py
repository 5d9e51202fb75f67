# SPDX-License-Identifier: MIT
"""Every sample of ``../shared/refi/samples``: exactly what is kept and what is reported.

Nothing may vanish: each thing in a file either lands in the store (codes, users,
transcripts, codings, groups, participants with typed attributes, memos) or is
counted per kind in the import report and its audit entry. Synthetic projects cover
what no sample holds (links, graphs, non-text sources, case codings, code memos,
control characters, broken sources, a bare ``.qde``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from backends import *  # noqa: F403  (the backend fixtures)
from qualcarto.errors import InputError
from qualcarto.exchange.refi_import import import_refi
from qualcarto.store import (
    AttributeDefinition,
    AuditEvent,
    Coding,
    Memo,
    Participant,
    Transcript,
    TranscriptGroup,
    TranscriptGroupMember,
    User,
    connect,
    session_scope,
)
from qualcarto.study import create_study
from shared_material import REFI_SAMPLES, shared_path


def samples() -> Path:
    """The shared sample folder, read when a test runs (never at import time)."""
    return shared_path(REFI_SAMPLES)


def fresh_store(path: Path) -> Engine:
    engine = connect(f"sqlite:///{path}", create=True)
    with session_scope(engine) as session:
        create_study(session, "study")
    return engine


def kept(engine: Engine) -> dict[str, Any]:
    """What the store holds after an import, counted per kind."""
    with session_scope(engine) as session:

        def count(model: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        memos = dict(
            session.execute(select(Memo.subject, func.count()).group_by(Memo.subject)).all()
        )
        return {
            "transcripts": count(Transcript),
            "codings": count(Coding),
            "users": count(User),
            "groups": count(TranscriptGroup),
            "group members": count(TranscriptGroupMember),
            "participants": count(Participant),
            "attributes": dict(
                session.execute(select(AttributeDefinition.name, AttributeDefinition.kind)).all()
            ),
            "memos": memos,
        }


NONE: dict[str, Any] = {
    "transcripts": 0,
    "codings": 0,
    "groups": 0,
    "group members": 0,
    "participants": 0,
    "attributes": {},
    "memos": {},
}

# Per sample: codes kept, what the store holds, and what the report counts as unsupported.
EXPECTED: dict[str, tuple[int, dict[str, Any], dict[str, int]]] = {
    "atlasti-win-23.2.3_blank.qdpx": (
        0,
        {**NONE, "users": 1},
        {"tool system users (ATLAS.ti)": 1},
    ),
    "atlasti-win-23.2.3_codes.qdpx": (
        3,
        {**NONE, "users": 1},
        {"tool system users (ATLAS.ti)": 1},
    ),
    # Two document sets of five interviews each become transcript groups.
    "maxqda-24.7_ICLS_Conf_Themes_just10.qdpx": (
        307,
        {**NONE, "transcripts": 10, "users": 1, "groups": 2, "group members": 10},
        {},
    ),
    # NVivo writes a .docx beside each .txt: the formatting is reported, the text kept.
    "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx": (
        152,
        {**NONE, "transcripts": 2, "codings": 297, "users": 2},
        {"rich-text copies of imported sources (formatting)": 2},
    ),
    # NVivo 15 imported qc's file with empty texts: reported, not a crash.
    "nvivo-mac-15.0_qc-reimport.qdpx": (262, {**NONE, "users": 2}, {"sources without text": 2}),
    "nvivo-win-12.6_oltas.qdpx": (
        60,
        {**NONE, "transcripts": 1, "codings": 97, "users": 2},
        {"rich-text copies of imported sources (formatting)": 1},
    ),
    "qc-1.3.2_demo.qdpx": (262, {**NONE, "transcripts": 2, "codings": 205, "users": 1}, {}),
    "qualcoder-4.0beta_codebook.qdc": (8, {**NONE, "users": 0}, {}),
    # Case variables typed (Float stays a number), the case kept although its source
    # reference dangles, its description a participant memo, the journal a study memo,
    # the document description and the annotation the coder's transcript memo.
    "qualcoder-4.0beta_refi_demo.qdpx": (
        8,
        {
            **NONE,
            "transcripts": 1,
            "codings": 6,
            "users": 3,
            "participants": 2,
            "attributes": {"role": "Text", "years_experience": "Float", "interview_round": "Float"},
            "memos": {"participant": 1, "project": 1, "transcript": 1},
        },
        # the file its dangling case reference meant: in the archive, named by nothing
        {"archive files nothing refers to": 1},
    ),
    "taguette-1.4.1_uto_tag_codebook.qdc": (3, {**NONE, "users": 0}, {}),
    "taguette-1.5.2_codebook.qdc": (7, {**NONE, "users": 0}, {}),
}


def test_the_table_names_every_sample() -> None:
    found = {p.name for p in samples().iterdir() if p.suffix in (".qdpx", ".qdc")}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_keeps_and_reports_exactly(name: str, tmp_path: Path) -> None:
    codes, expected, reported = EXPECTED[name]
    engine = fresh_store(tmp_path / "s.db")
    with session_scope(engine) as session:
        report = import_refi(session, samples() / name)
    assert report.codes == codes
    assert kept(engine) == expected
    assert report.unsupported == reported
    assert report.skipped == []
    with session_scope(engine) as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "exchange.import")
        ).one()
        assert audit.payload["unsupported"] == reported
    if reported:
        assert any(line.startswith("not imported") for line in report.lines())
    engine.dispose()


def test_qualcoder_typed_values_and_memo_texts(tmp_path: Path) -> None:
    engine = fresh_store(tmp_path / "s.db")
    with session_scope(engine) as session:
        import_refi(session, samples() / "qualcoder-4.0beta_refi_demo.qdpx")
    with session_scope(engine) as session:
        people = {p.key: p.attributes for p in session.scalars(select(Participant))}
        memos = {m.subject: m for m in session.scalars(select(Memo))}
        assert people["I4"] == {"role": "maintainer", "years_experience": 7.0}
        assert people["interview_I4.txt"] == {"interview_round": 2.0}
        assert memos["participant"].text == "Interviewee 4"
        assert memos["project"].title == "Reflexive memo"
        transcript = memos["transcript"].text
        assert "Description: Synthetic transcript" in transcript
        assert "Annotation: docs as on-ramp" in transcript
        assert (
            "“Through the docs” (47–63)" in transcript
        )  # the annotated passage, quoted from the text
    engine.dispose()


SYNTHETIC = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="synthetic" origin="test">
  <Users><User guid="00000000-0000-4000-8000-000000000001" name="ana"/></Users>
  <CodeBook><Codes>
    <Code guid="00000000-0000-4000-8000-0000000000c1" name="access" isCodable="true">
      <NoteRef targetGUID="00000000-0000-4000-8000-0000000000a1"/>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="00000000-0000-4000-8000-0000000000e1" name="P1">
    <CodeRef targetGUID="00000000-0000-4000-8000-0000000000c1"/>
    <SourceRef targetGUID="00000000-0000-4000-8000-0000000000d1"/>
  </Case></Cases>
  <Sources>
    <TextSource guid="00000000-0000-4000-8000-0000000000d1" name="P1"
                plainTextPath="internal://p1.txt">
      <PlainTextSelection guid="00000000-0000-4000-8000-0000000000f1"
                          startPosition="16" endPosition="21" name="words">
        <Coding guid="00000000-0000-4000-8000-0000000000f2"
                creatingUser="00000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="00000000-0000-4000-8000-0000000000c1"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    {broken}
    <PictureSource guid="00000000-0000-4000-8000-0000000000d3" name="photo"
                   path="internal://photo.png"/>
  </Sources>
  <Notes>
    <Note guid="00000000-0000-4000-8000-0000000000a1" name="why access"
          creatingUser="00000000-0000-4000-8000-000000000001">
      <PlainTextContent>Access means more than a login.</PlainTextContent></Note>
    <Note guid="00000000-0000-4000-8000-0000000000a2" name="Team journal"
          creatingUser="00000000-0000-4000-8000-000000000001">
      <PlainTextContent>Week one.</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="00000000-0000-4000-8000-0000000000b1"
     originGUID="00000000-0000-4000-8000-0000000000a2"
     targetGUID="00000000-0000-4000-8000-0000000000c1"/></Links>
  <Sets><Set guid="00000000-0000-4000-8000-0000000000b2" name="wave 1">
    <MemberSource targetGUID="00000000-0000-4000-8000-0000000000d1"/>
    <MemberSource targetGUID="00000000-0000-4000-8000-0000000000d3"/>
    <MemberNote targetGUID="00000000-0000-4000-8000-0000000000a2"/>
  </Set></Sets>
  <Graphs><Graph guid="00000000-0000-4000-8000-0000000000b3"/></Graphs>
  <NoteRef targetGUID="00000000-0000-4000-8000-0000000000a2"/>
</Project>
"""
BROKEN = """<TextSource guid="00000000-0000-4000-8000-0000000000d2" name="P2"
                plainTextPath="internal://missing.txt"/>"""


def synthetic(folder: Path, *, broken: bool = False) -> Path:
    """A project holding one of everything qualcarto cannot keep, and a form feed."""
    path = folder / ("broken.qdpx" if broken else "synthetic.qdpx")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", SYNTHETIC.replace("{broken}", BROKEN if broken else ""))
        archive.writestr("sources/p1.txt", "I1: \x0cAbout \x0cthe words we use.\n")
        archive.writestr("sources/photo.png", b"\x89PNG")
    return path


def test_unsupported_things_are_counted_per_kind_and_the_rest_kept(tmp_path: Path) -> None:
    engine = fresh_store(tmp_path / "s.db")
    with session_scope(engine) as session:
        report = import_refi(session, synthetic(tmp_path))
    assert report.unsupported == {
        "links": 1,
        "graphs": 1,
        "non-text sources (PictureSource)": 1,
        "case-level codings": 1,
        "set members that are notes": 1,
        "set members that are not imported sources": 1,
    }
    assert report.controls_removed == 2
    assert any("control characters removed: 2" in line for line in report.lines())
    with session_scope(engine) as session:
        coding = session.scalars(select(Coding)).one()
        assert coding.text == "words"  # offsets moved left past the removed form feeds
        memos = {(m.subject, m.title): m for m in session.scalars(select(Memo))}
        assert memos[("code", "why access")].code_id == "access"
        assert memos[("project", "Team journal")].text == "Week one."
        group = session.scalars(select(TranscriptGroup)).one()
        assert group.name == "wave 1"
    engine.dispose()


def test_a_broken_source_refuses_the_whole_file_unless_skip_broken(tmp_path: Path) -> None:
    engine = fresh_store(tmp_path / "s.db")
    path = synthetic(tmp_path, broken=True)
    with (
        pytest.raises(InputError, match=r"missing\.txt is not in the archive"),
        session_scope(engine) as session,
    ):
        import_refi(session, path)
    assert kept(engine)["transcripts"] == 0
    with session_scope(engine) as session:
        report = import_refi(session, path, skip_broken=True)
    assert report.skipped == [
        "source 'P2': source 'P2': internal://missing.txt is not in the archive"
    ]
    assert report.transcripts == ["P1"] and report.codings == 1
    engine.dispose()


def test_a_bare_qde_says_how_to_import_it_and_sources_dir_imports_it(tmp_path: Path) -> None:
    qde = tmp_path / "project.qde"
    qde.write_text(SYNTHETIC.replace("{broken}", ""), encoding="utf-8")
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "p1.txt").write_text("I1: \x0cAbout \x0cthe words we use.\n", encoding="utf-8")
    engine = fresh_store(tmp_path / "s.db")
    with (
        pytest.raises(InputError, match=r"zip it with its sources/ folder.*--sources DIR"),
        session_scope(engine) as session,
    ):
        import_refi(session, qde)
    with session_scope(engine) as session:
        report = import_refi(session, qde, sources=folder)
    assert report.transcripts == ["P1"] and report.codings == 1
    engine.dispose()


def test_a_sample_imports_the_same_on_every_backend(backend_store: Engine, tmp_path: Path) -> None:
    """Groups, typed attributes and memos (NULL-targeted memo lookups) on PostgreSQL too."""
    for name in ("qualcoder-4.0beta_refi_demo.qdpx", "maxqda-24.7_ICLS_Conf_Themes_just10.qdpx"):
        with session_scope(backend_store) as session:
            import_refi(session, samples() / name)
    with session_scope(backend_store) as session:
        report = import_refi(session, samples() / "qualcoder-4.0beta_refi_demo.qdpx")
    assert report.memos == 0 and report.codings == 0  # a second import adds nothing
    found = kept(backend_store)
    assert found["groups"] == 2 and found["group members"] == 10
    assert found["memos"] == {"participant": 1, "project": 1, "transcript": 1}
    assert found["attributes"]["years_experience"] == "Float"


def test_the_cli_prints_what_was_skipped_and_not_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcarto.cli import main

    engine = fresh_store(tmp_path / "s.db")
    engine.dispose()
    url = f"sqlite:///{tmp_path / 's.db'}"
    path = synthetic(tmp_path, broken=True)
    assert main(["--db", url, "import", str(path), "--skip-broken"]) == 0
    out = capsys.readouterr().out
    assert "skipped: source 'P2'" in out
    assert "not imported (qualcarto cannot hold them): 1 case-level codings, 1 graphs" in out
    assert "control characters removed: 2" in out
    assert main(["--db", url, "export", "gexf", str(tmp_path / "g.gexf")]) == 0
    assert "scope: turn (no coder's codings overlap" in capsys.readouterr().out

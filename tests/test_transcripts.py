# SPDX-License-Identifier: MIT
"""Transcript import: every format to one normalized text, turns and sentences with exact offsets."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, select

from qualcarto.coding import add_coding
from qualcarto.errors import InputError
from qualcarto.store import Participant, Segment, Transcript, Turn, session_scope
from qualcarto.transcripts import find_turns, import_transcripts, read_transcript
from qualcarto.transcripts.frames import participants_frame, transcripts_frame

EXPECTED = "Interviewer: How did it start?\n\nP1: We had no GPUs. So we asked."


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _docx(path: Path, paragraphs: list[str]) -> Path:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", EXPECTED.encode()),
        ("a.md", EXPECTED.replace("\n", "\r\n").encode()),
        ("a.txt", EXPECTED.replace("\n", "\r").encode()),
        ("a.txt", codecs.BOM_UTF8 + EXPECTED.encode()),
        ("a.txt", EXPECTED.encode("utf-16")),  # with a BOM
        (
            "a.vtt",
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>How did it start?\n\n"
            b"00:00:02.000 --> 00:00:03.000\n<v P1>We had no GPUs.\n\n"
            b"00:00:03.000 --> 00:00:04.000\n<v P1>So we asked.\n",
        ),
        (
            "a.srt",
            b"1\r\n00:00:01,000 --> 00:00:02,000\r\nInterviewer: How did it start?\r\n\r\n"
            b"2\r\n00:00:02,000 --> 00:00:04,000\r\nP1: We had no GPUs.\r\nSo we asked.\r\n",
        ),
    ],
)
def test_every_format_reads_into_the_same_normalized_text(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = _write(tmp_path / name, data)
    assert read_transcript(path, data) == EXPECTED


def test_docx_paragraphs_become_turns(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "a.docx",
        ["Interviewer: How did it start?", "", "P1: We had no GPUs. So we asked."],
    )
    assert read_transcript(path, path.read_bytes()) == EXPECTED


def test_text_is_nfc_normalized(tmp_path: Path) -> None:
    decomposed = "P1: Zoe\u0308 and Lina\u030aker".encode()
    assert read_transcript(tmp_path / "a.txt", decomposed) == "P1: Zo\u00eb and Lin\u00e5ker"


def test_turns_keep_speakers_and_their_offsets() -> None:
    text = (
        "Intro line without speaker.\n\nInterviewer: Hi?\n\nDr. Ana Ruiz: Hello \U0001f44b there.\n"
    )
    turns = find_turns(text)
    assert [t.speaker for t in turns] == [None, "Interviewer", "Dr. Ana Ruiz"]
    assert [text[t.body_start : t.end] for t in turns] == [
        "Intro line without speaker.",
        "Hi?",
        "Hello \U0001f44b there.",
    ]


def test_a_long_sentence_with_a_colon_is_not_a_speaker() -> None:
    text = "P1: fine.\nThe reason we stopped working with the cluster team was simple: money.\n"
    assert [t.speaker for t in find_turns(text)] == ["P1"]


def test_import_stores_text_turns_and_sentences_with_python_str_offsets(
    engine: Engine, tmp_path: Path
) -> None:
    text = (
        "Interviewer: Ready? 🙂 Yes.\n\nP1: \u05e9\u05dc\u05d5\u05dd means hello. We code spans!\n"
    )
    path = _write(tmp_path / "P1.txt", text.encode())
    with session_scope(engine) as session:
        import_transcripts(session, [path])
    with session_scope(engine) as session:
        doc = session.scalars(select(Transcript)).one()
        assert doc.text == text and doc.length == len(text)
        turns = session.scalars(select(Turn).order_by(Turn.index)).all()
        assert [doc.text[t.body_start : t.end] for t in turns] == [
            "Ready? 🙂 Yes.",
            "\u05e9\u05dc\u05d5\u05dd means hello. We code spans!",
        ]
        sentences = [
            doc.text[s.start : s.end]
            for s in session.scalars(select(Segment).order_by(Segment.index))
        ]
        assert sentences == [
            "Ready?",
            "🙂 Yes.",
            "\u05e9\u05dc\u05d5\u05dd means hello.",
            "We code spans!",
        ]


def test_participants_csv_links_attributes_and_keeps_extra_columns(
    engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "P1.txt", b"P1: hello there.")
    csv = _write(
        tmp_path / "people.csv",
        b'id,organization,organization_type,region,favourite_tool\nP1,"Lab, Inc",Startup,Europe,R\n',
    )
    with session_scope(engine) as session:
        report = import_transcripts(session, [path], participants_csv=csv)
        assert report.participants == 1
    with session_scope(engine) as session:
        participant = session.scalars(select(Participant)).one()
        assert participant.attributes["organization"] == "Lab, Inc"
        assert participant.attributes["favourite_tool"] == "R"
        frame = transcripts_frame(session)
        assert frame.loc[0, "participant_id"] == "P1" and frame.loc[0, "region"] == "Europe"
        assert participants_frame(session).loc[0, "organization_type"] == "Startup"


def test_reimporting_an_unchanged_file_is_a_no_op(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "P1.txt", b"P1: same words.")
    with session_scope(engine) as session:
        import_transcripts(session, [path])
    with session_scope(engine) as session:
        report = import_transcripts(session, [path])
    assert report.unchanged == ["P1"] and not report.added and not report.updated


def test_a_changed_file_replaces_text_only_while_nothing_is_coded(
    study: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "P1.txt", b"P1: new words entirely.")
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 5, "access", "ana")
    with pytest.raises(InputError, match="has 1 codings"), session_scope(study) as session:
        import_transcripts(session, [path])
    fresh = _write(tmp_path / "P2.txt", b"P2: first words.")
    with session_scope(study) as session:
        import_transcripts(session, [fresh])
    _write(fresh, b"P2: second words.")
    with session_scope(study) as session:
        assert import_transcripts(session, [fresh]).updated == ["P2"]
        doc = session.scalars(select(Transcript).where(Transcript.name == "P2")).one()
        assert doc.text == "P2: second words."


def test_a_very_long_turn_is_segmented_in_chunks_without_losing_offsets(
    engine: Engine, tmp_path: Path
) -> None:
    sentence = "Wir haben viel über Daten gesprochen und über Rechenzeit. "
    text = "P1: " + sentence * 5000
    path = _write(tmp_path / "P1.txt", text.encode())
    with session_scope(engine) as session:
        import_transcripts(session, [path])
    with session_scope(engine) as session:
        doc = session.scalars(select(Transcript)).one()
        segments = session.scalars(select(Segment).order_by(Segment.index)).all()
        assert len(segments) == 5000
        assert all(doc.text[s.start : s.end] == sentence.strip() for s in segments)

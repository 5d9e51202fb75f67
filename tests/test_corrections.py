# SPDX-License-Identifier: MIT
"""Corrections keep codings: offsets move through a character diff, deleted text is flagged, all audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.errors import ValidationError
from qualcarto.store import AuditEvent, Coding, session_scope
from qualcarto.transcripts import get_transcript
from qualcarto.transcripts.corrections import OffsetMap, correct_transcript
from qualcarto.transcripts.flags import flagged_codings
from qualcarto.users import add_user

WORDS = st.lists(
    st.sampled_from(["Zoë", "we", "the", "GPU", "🙂", "asked", "\n\n", "de"]), max_size=12
)


@given(WORDS, WORDS, WORDS, WORDS, WORDS)
def test_text_added_around_a_span_leaves_the_span_on_its_words(
    before: list[str], inside: list[str], after: list[str], front: list[str], back: list[str]
) -> None:
    head, body, tail = " ".join(before) + " ", " ".join(inside) or "x", " " + " ".join(after)
    old = head + body + tail
    new = " ".join(front) + old + " ".join(back)
    start, end = OffsetMap(old, new).span(len(head), len(head) + len(body))
    assert new[start:end] == body


@given(WORDS, WORDS, WORDS)
def test_a_change_after_a_span_leaves_its_offsets_alone(
    before: list[str], inside: list[str], after: list[str]
) -> None:
    head, body, tail = " ".join(before) + " ", " ".join(inside) or "x", " " + " ".join(after)
    mapping = OffsetMap(head + body + tail, head + body + tail.upper() + " and more")
    assert mapping.span(len(head), len(head) + len(body)) == (len(head), len(head) + len(body))


@given(st.text(max_size=40), st.text(max_size=40), st.data())
def test_every_span_maps_inside_the_new_text(old: str, new: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(old)))
    end = data.draw(st.integers(start, len(old)))
    new_start, new_end = OffsetMap(old, new).span(start, end)
    assert 0 <= new_start <= new_end <= len(new)


def test_insertions_at_the_edges_stay_outside_and_replacements_inside_join() -> None:
    old = "we asked the centre for time"
    mapping = OffsetMap(old, "so we asked the center for GPU time")
    start, end = old.index("the centre"), old.index("the centre") + len("the centre")
    assert "so we asked the center for GPU time"[slice(*mapping.span(start, end))] == "the center"


@pytest.fixture
def coded(session_engine: tuple[Engine, str]) -> tuple[Engine, str, dict[str, int]]:
    engine, _url = session_engine
    with session_scope(engine) as session:
        add_user(session, "lena", "lead", "lena-password")
        text = get_transcript(session, "P1").text
        ids = {}
        for words, code in (
            ("about the cluster", "access"),
            ("It took months", "money"),
            ("everything down", "docs"),
        ):
            start = text.index(words)
            ids[words] = add_coding(session, "P1", start, start + len(words), code, "ana").id
    return engine, _url, ids


@pytest.fixture
def session_engine(study: Engine, db_url: str) -> tuple[Engine, str]:
    return study, db_url


def test_a_correction_moves_codings_flags_deleted_ones_and_audits_each(
    coded: tuple[Engine, str, dict[str, int]],
) -> None:
    engine, _url, ids = coded
    with session_scope(engine) as session:
        old = get_transcript(session, "P1").text
        new = old.replace("Welcome", "Welcome back").replace(" It took months 😅!", "")
        new = new.replace("everything down", "everything down carefully")
        report = correct_transcript(session, "P1", new, "lena")
    assert sorted(report.moved) == sorted([ids["about the cluster"], ids["everything down"]])
    assert report.flagged == [ids["It took months"]]
    with session_scope(engine) as session:
        text = get_transcript(session, "P1").text
        codings = {c.id: c for c in session.scalars(select(Coding))}
        for words in ("about the cluster", "everything down"):
            moved = codings[ids[words]]
            assert text[moved.start : moved.end] == moved.text == words
            assert moved.row_version == 2
        gone = codings[ids["It took months"]]
        assert gone.start == gone.end
        flags = flagged_codings(session, "P1")
        assert list(flags["coding_id"]) == [gone.id] and "It took months" in flags["flag"][0]
        actions = [
            (e.action, e.entity_id)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("coding.%")))
            if e.action in ("coding.move", "coding.flag")
        ]
    assert sorted(actions) == sorted(
        [
            ("coding.move", str(ids["about the cluster"])),
            ("coding.move", str(ids["everything down"])),
            ("coding.flag", str(ids["It took months"])),
        ]
    )


def test_only_a_lead_corrects(coded: tuple[Engine, str, dict[str, int]]) -> None:
    engine, _url, _ids = coded
    with session_scope(engine) as session, pytest.raises(ValidationError, match="only a lead"):
        correct_transcript(session, "P1", "P1: new words", "ana")


def test_transcript_edit_on_the_command_line(
    coded: tuple[Engine, str, dict[str, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine, url, ids = coded
    with session_scope(engine) as session:
        old = get_transcript(session, "P1").text
    fixed = tmp_path / "P1-fixed.txt"
    fixed.write_text("Note: checked against the recording.\n\n" + old, encoding="utf-8")
    assert (
        main(["--db", url, "transcript", "edit", "P1", "--from", str(fixed), "--as", "lena"]) == 0
    )
    assert "3 codings moved, 0 flagged" in capsys.readouterr().out
    with session_scope(engine) as session:
        text = get_transcript(session, "P1").text
        coding = session.get(Coding, ids["about the cluster"])
        assert coding is not None and text[coding.start : coding.end] == "about the cluster"


def test_a_timed_transcript_keeps_its_times_through_a_correction(
    coded: tuple[Engine, str, dict[str, int]],
) -> None:
    from qualcarto.config import resolve_media_dir
    from qualcarto.media.playback import transcript_recording

    engine, url, _ids = coded
    recording = Path(__file__).resolve().parents[1] / "transcripts" / "recordings" / "R1.ogg"
    assert main(["--db", url, "import", str(recording)]) == 0
    folder = resolve_media_dir(url)
    with session_scope(engine) as session:
        text = get_transcript(session, "R1").text
        start = text.index("tokenizer")
        add_coding(session, "R1", start, start + len("tokenizer"), "docs", "ana")
        before = transcript_recording(session, "R1", folder)
        assert before is not None
        seconds = before.seconds_of(start, start + len("tokenizer"))
        fixed = text.replace("How did you", "So, how did you").replace("labelled", "labeled")
        correct_transcript(session, "R1", fixed, "lena")
    with session_scope(engine) as session:
        after = transcript_recording(session, "R1", folder)
        coding = session.scalars(select(Coding).where(Coding.text == "tokenizer")).one()
        assert after is not None
        assert after.seconds_of(coding.start, coding.end) == seconds
        assert [t.seconds for t in after.turns] == [t.seconds for t in before.turns]


def test_naming_a_speaker_of_a_timed_turn_keeps_its_times(
    coded: tuple[Engine, str, dict[str, int]], tmp_path: Path
) -> None:
    from media_files import write_wav
    from qualcarto.store import Turn

    engine, url, _ids = coded
    write_wav(tmp_path / "P4.wav", 3.0)
    (tmp_path / "P4.vtt").write_text(
        "WEBVTT\n\n00:00:00.200 --> 00:00:01.000\nhello there\n\n"
        "00:00:02.200 --> 00:00:02.900\nfine thanks\n",
        encoding="utf-8",
    )
    assert main(["--db", url, "import", str(tmp_path / "P4.wav")]) == 0
    with session_scope(engine) as session:
        text = get_transcript(session, "P4").text
        correct_transcript(session, "P4", "Mia: " + text, "lena")
        turns = list(
            session.scalars(
                select(Turn).join(Turn.transcript).where(Turn.transcript.has(name="P4"))
            )
        )
        assert [(t.speaker, t.media_start) for t in turns] == [("Mia", 0.2)]

# SPDX-License-Identifier: MIT
"""The speaker step on a timed transcript: name speakers, merge and split turns; text and codings untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from media_files import write_wav
from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.errors import ValidationError
from qualcarto.store import AuditEvent, Coding, Segment, session_scope
from qualcarto.transcripts import get_transcript
from qualcarto.transcripts.speakers import (
    merge_with_next,
    name_speakers,
    split_at_sentence,
    turns_frame,
)
from qualcarto.users import add_user

CAPTIONS = """WEBVTT

00:00:00.200 --> 00:00:01.000
How did you start?

00:00:02.500 --> 00:00:03.400
With the docs. Then the code.

00:00:05.000 --> 00:00:05.800
Thanks.
"""


@pytest.fixture
def timed(study: Engine, db_url: str, tmp_path: Path) -> Engine:
    write_wav(tmp_path / "P3.wav", 6.0)
    (tmp_path / "P3.vtt").write_text(CAPTIONS, encoding="utf-8")
    assert main(["--db", db_url, "import", str(tmp_path / "P3.wav")]) == 0
    with session_scope(study) as session:
        add_user(session, "lena", "lead", "lena-password")
        text = get_transcript(session, "P3").text
        start = text.index("the docs")
        add_coding(session, "P3", start, start + len("the docs"), "docs", "ana")
    return study


def test_naming_merging_and_splitting_turns_keeps_text_times_and_codings(timed: Engine) -> None:
    with session_scope(timed) as session:
        text = get_transcript(session, "P3").text
        before = [(c.start, c.end, c.text) for c in session.scalars(select(Coding))]
        frame = turns_frame(session, "P3")
        assert list(frame["turn"]) == [0] and list(frame["speaker"]) == [""]  # one unnamed turn
        sentences = list(session.scalars(select(Segment).order_by(Segment.index)))
        then = next(s.index for s in sentences if text[s.start :].startswith("Then"))
        thanks = next(s.index for s in sentences if text[s.start :].startswith("Thanks"))
        split_at_sentence(session, "P3", then, "lena")
        split_at_sentence(session, "P3", thanks, "lena")
        assert name_speakers(session, "P3", {0: "Ines", 1: "Ana", 2: "Ines"}, "lena") == 3
    with session_scope(timed) as session:
        frame = turns_frame(session, "P3")
        assert list(frame["speaker"]) == ["Ines", "Ana", "Ines"]
        assert list(frame["media_start"]) == [0.2, 2.5, 5.0]
        assert list(frame["words"].str[:4]) == ["How ", "Then", "Than"]
        merge_with_next(session, "P3", 0, "lena")
    with session_scope(timed) as session:
        frame = turns_frame(session, "P3")
        assert list(frame["turn"]) == [0, 1] and list(frame["speaker"]) == ["Ines", "Ines"]
        assert list(frame["media_end"]) == [3.4, 5.8]
        assert get_transcript(session, "P3").text == text
        assert [(c.start, c.end, c.text) for c in session.scalars(select(Coding))] == before
        actions = [
            e.action for e in session.scalars(select(AuditEvent)) if e.action.startswith("turn.")
        ]
    assert sorted(actions) == sorted(["turn.split"] * 2 + ["turn.speaker"] * 3 + ["turn.merge"])


def test_only_a_lead_changes_turns(timed: Engine) -> None:
    with session_scope(timed) as session, pytest.raises(ValidationError, match="only a lead"):
        name_speakers(session, "P3", {0: "Ines"}, "ana")

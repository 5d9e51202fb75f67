# SPDX-License-Identifier: MIT
"""Assignments, the blind setting, progress, search and snapping: the services the pages use."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import ODD_TRANSCRIPT
from qualcarto.assignments import (
    assign,
    assigned_transcripts,
    mark_done,
    openable_transcripts,
    progress_frame,
    unassign,
)
from qualcarto.coding import add_coding
from qualcarto.errors import ValidationError
from qualcarto.search import already_coded, codes_on_hits, hit_spans, lemmas_available, search
from qualcarto.selection import get_memo, in_context, set_memo, snap, snap_to_words
from qualcarto.store import AuditEvent
from qualcarto.study_settings import is_blind, set_blind
from qualcarto.transcripts import get_transcript, import_transcripts
from qualcarto.users import add_user

TEXT = unicodedata.normalize("NFC", ODD_TRANSCRIPT.replace("\r\n", "\n"))


@pytest.fixture
def lead(session: Session) -> str:
    add_user(session, "lena", "lead", "lena-password")
    return "lena"


def test_a_study_is_blind_until_the_lead_opens_it(session: Session, lead: str) -> None:
    assert is_blind(session)
    with pytest.raises(ValidationError, match="only a lead"):
        set_blind(session, False, "ana")
    set_blind(session, False, lead)
    assert not is_blind(session)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "setting.set")).one()
    assert (event.actor, event.payload) == (lead, {"before": None, "after": False})


def test_assigning_is_idempotent_and_only_for_leads(session: Session, lead: str) -> None:
    assign(session, "P1", "ana", lead)
    assign(session, "P1", "ana", lead)
    assert assigned_transcripts(session, "ana") == ["P1"]
    with pytest.raises(ValidationError, match="only a lead"):
        assign(session, "P1", "ben", "ana")
    unassign(session, "P1", "ana", lead)
    assert assigned_transcripts(session, "ana") == []


def test_a_coder_opens_what_the_lead_assigned_for_the_task_and_nothing_before(
    session: Session, lead: str, tmp_path: Path
) -> None:
    second = tmp_path / "P2-Zoë.txt"
    second.write_text("Interviewer: Und dann?\nP2: Dann haben wir geöffnet.\n", encoding="utf-8")
    import_transcripts(session, [second])
    everything = ["P1", "P2-Zoë"]
    assert openable_transcripts(session, lead) == everything
    assert openable_transcripts(session, lead, "review") == everything
    assert openable_transcripts(session, "ana") == []  # fails closed: nothing assigned yet
    assign(session, "P2-Zoë", "ana", lead)
    assert openable_transcripts(session, "ana") == ["P2-Zoë"]
    assert openable_transcripts(session, "ana", "review") == []  # coding is not reviewing
    assign(session, "P1", "ana", lead, task="review")
    assert openable_transcripts(session, "ana", "review") == ["P1"]
    with pytest.raises(ValidationError, match="task 'read'"):
        openable_transcripts(session, "ana", "read")


def test_progress_counts_codings_covered_text_and_done(session: Session, lead: str) -> None:
    assign(session, "P1", "ana", lead)
    assign(session, "P1", "ben", lead)
    add_coding(session, "P1", 0, 20, "access", "ana")
    add_coding(session, "P1", 10, 30, "docs", "ana")  # overlaps: 30 characters covered, not 40
    mark_done(session, "P1", "ana")
    progress = progress_frame(session).set_index("user")
    assert progress.loc["ana", "codings"] == 2
    assert progress.loc["ana", "coverage"] == round(30 / len(TEXT), 3)
    assert (bool(progress.loc["ana", "done"]), bool(progress.loc["ben", "done"])) == (True, False)


def test_search_is_case_insensitive_and_gives_str_offsets(session: Session) -> None:
    hits = search(session, "THEN WE")
    assert hits[["transcript", "start", "end", "match"]].values.tolist() == [
        ["P1", TEXT.index("Then we"), TEXT.index("Then we") + 7, "Then we"]
    ]
    assert hits["left"].iloc[0].endswith("It took months \U0001f605! ")


@pytest.mark.skipif(not lemmas_available(), reason="spacy-lookups-data is not installed")
def test_lemma_search_finds_other_word_forms(session: Session) -> None:
    assert search(session, "asks").empty
    hits = search(session, "ask", lemma=True)
    assert hits["match"].tolist() == ["asked"]


def test_an_empty_search_is_refused(session: Session) -> None:
    with pytest.raises(ValidationError, match="type a word"):
        search(session, "   ")


@pytest.mark.parametrize(
    ("inside", "whole"),
    [("ook mon", "took months"), (" Zo", "Zoë"), ("elcom", "Welcome")],
)
def test_word_snapping_widens_to_whole_words(inside: str, whole: str) -> None:
    start = TEXT.index(inside)
    got = snap_to_words(TEXT, start, start + len(inside))
    assert TEXT[got[0] : got[1]] == whole


def test_sentence_snapping_uses_the_stored_sentences(session: Session) -> None:
    doc = get_transcript(session, "P1")
    start = TEXT.index("took")
    got = snap(session, doc, start, start + 4, "sentence")
    assert TEXT[got[0] : got[1]].startswith("It took months")
    assert snap(session, doc, start, start + 4, "exact") == (start, start + 4)


def test_a_transcript_memo_belongs_to_its_author(session: Session) -> None:
    doc = get_transcript(session, "P1")
    set_memo(session, doc, "ana", "Ask about the cluster again.")
    assert (get_memo(session, doc, "ana"), get_memo(session, doc, "ben")) == (
        "Ask about the cluster again.",
        "",
    )


def test_search_hits_show_their_codes_and_code_all_by_sentence_once(session: Session) -> None:
    hits = search(session, "e")  # several hits in one sentence
    sentences = hit_spans(session, hits, "sentence")
    assert len(sentences) < len(hits) == len(hit_spans(session, hits, "match"))
    first = sentences[0]
    add_coding(session, *first, "docs", "ana")
    marks = codes_on_hits(session, hits, "ana")
    assert all(m == ["docs"] for m, s in zip(marks, hits["start"], strict=True) if s < first[2])
    assert codes_on_hits(session, hits, "ben") == [[] for _ in range(len(hits))]
    assert already_coded(session, sentences, "docs", "ana") == [first]
    assert already_coded(session, sentences, "access", "ana") == []


@pytest.mark.parametrize(
    ("start", "end", "width", "expected"),
    [
        (14, 18, 8, ("…three ", "four", " five…")),
        (0, 3, 100, ("", "one", " two three four five six seven eight nine ten Eleven")),
        (49, 55, 5, ("…ten ", "Eleven", "")),
    ],
)
def test_an_excerpt_in_context_is_cut_at_whole_words_on_one_line(
    start: int, end: int, width: int, expected: tuple[str, str, str]
) -> None:
    text = "one two three four five six seven eight nine ten\nEleven"
    assert in_context(text, start, end, width) == expected

# SPDX-License-Identifier: MIT
"""The rule-based suggester: patterns from the codebook, lemma matching, scores, passages."""

from __future__ import annotations

import pytest

from qualcarto.codebook.model import Codebook, CodeDef
from qualcarto.suggest.model import Unit, merge_units, participant_units
from qualcarto.suggest.rules import SOURCE_WEIGHTS, RuleSuggester, build_terms, lemma_of
from qualcarto.transcripts.segment import sentences
from qualcarto.transcripts.turns import find_turns

SECRECY = CodeDef(
    "secrecy",
    "Guarded training secrets",
    definition="Labs keep their training methods confidential.",
    keywords=("training recipe", "guarded secret"),
)
COMPUTE = CodeDef(
    "compute",
    "Borrowed compute",
    definition="Partners lend hardware for training.",
    keywords=("GPU hours",),
)
BOOK = Codebook(codes=(SECRECY, COMPUTE))


def units_of(text: str) -> list[Unit]:
    """Sentences inside speaker turns, as the importer stores them."""
    turns = find_turns(text)
    return [Unit(t, s, e, turns[t].speaker) for t, s, e in sentences(text, turns)]


def test_the_english_lookup_lemmatizer_works_offline() -> None:
    assert [lemma_of(w) for w in ("secrets", "guarded", "recipes", "were")] == [
        "secret",
        "guard",
        "recipe",
        "be",
    ]


def test_keywords_become_whole_phrase_terms_keyed_by_lemma() -> None:
    terms = {(t.code_id, t.key): t for t in build_terms(BOOK.codes)}
    assert terms[("secrecy", "guard secret")].source == "keyword"
    assert terms[("secrecy", "train recipe")].source == "keyword"
    assert terms[("compute", "gpu hour")].source == "keyword"


def test_name_and_definition_words_are_terms_without_stop_words() -> None:
    keys = {t.key for t in build_terms(BOOK.codes) if t.code_id == "secrecy"}
    assert {"confidential", "method", "lab"} <= keys
    assert not keys & {"their", "the", "for"}  # stop words never become terms


def test_a_word_shared_by_every_code_weighs_less_than_one_unique_to_a_code() -> None:
    terms = {(t.code_id, t.key): t for t in build_terms(BOOK.codes)}
    shared = terms[("compute", "train")]  # in both codes
    unique = terms[("compute", "hardware")]  # only in compute's definition
    assert shared.source == unique.source == "definition"
    assert shared.weight < unique.weight == SOURCE_WEIGHTS["definition"]


@pytest.mark.parametrize(
    "sentence",
    ["Our training recipes are guarded secrets.", "THE TRAINING RECIPE IS A GUARDED SECRET."],
)
def test_inflected_and_capitalised_keywords_match(sentence: str) -> None:
    text = f"P1: {sentence}"
    scored = RuleSuggester(BOOK).score_units(text, units_of(text))
    evidence = {e.source for e in scored[0]["secrecy"][1] if e.source == "keyword"}
    assert evidence == {"keyword"}
    assert scored[0]["secrecy"][0] >= 2 * SOURCE_WEIGHTS["keyword"]


def test_evidence_offsets_point_at_the_matched_words_after_non_ascii_text() -> None:
    text = "P1: Zoë 👋 said תל אביב. We got GPU hours from the centre.\n"
    found = RuleSuggester(BOOK, threshold=0.5).suggest("I1", text, units_of(text))
    compute = [s for s in found if s.code_id == "compute"]
    assert compute
    for item in compute[0].evidence:
        assert text[item.start : item.end] == item.term
    assert "GPU hours" in {e.term for e in compute[0].evidence}


def test_a_score_is_the_sum_of_distinct_terms_so_a_repeat_adds_nothing() -> None:
    once = "P1: We got GPU hours."
    twice = "P1: We got GPU hours and more GPU hours."
    suggester = RuleSuggester(BOOK)
    score_once = suggester.score_units(once, units_of(once))[0]["compute"][0]
    score_twice = suggester.score_units(twice, units_of(twice))[0]["compute"][0]
    assert score_once == score_twice


def test_interviewer_questions_are_never_suggested() -> None:
    text = "Interviewer: Are training recipes guarded secrets?\n\nP1: I would rather not say.\n"
    units = participant_units(units_of(text))
    assert [u.speaker for u in units] == ["P1"]
    assert RuleSuggester(BOOK).suggest("I1", text, units) == []


def test_neighbouring_sentences_of_one_turn_merge_into_one_passage_but_turns_do_not() -> None:
    text = (
        "P1: Our training recipes are guarded secrets. Nobody shares a training recipe.\n\n"
        "P2: Same here, the training recipe stays a guarded secret.\n"
    )
    found = RuleSuggester(BOOK).suggest("I1", text, units_of(text))
    spans = [text[s.start : s.end] for s in found if s.code_id == "secrecy"]
    assert spans == [
        "Our training recipes are guarded secrets. Nobody shares a training recipe.",
        "Same here, the training recipe stays a guarded secret.",
    ]


def test_threshold_and_top_k_limit_what_is_suggested() -> None:
    text = "P1: The training recipe is secret, and the GPU hours are rationed."
    units = units_of(text)
    both = RuleSuggester(BOOK, threshold=0.1, top_k=2).suggest("I1", text, units)
    best = RuleSuggester(BOOK, threshold=0.1, top_k=1).suggest("I1", text, units)
    none = RuleSuggester(BOOK, threshold=100).suggest("I1", text, units)
    assert {s.code_id for s in both} == {"secrecy", "compute"}
    assert len(best) == 1 and best[0].score == max(s.score for s in both)
    assert none == []


def test_only_leaf_codes_are_suggested() -> None:
    parent = CodeDef("themes", "Themes", keywords=("training recipe",))
    child = CodeDef("secrecy", "Secrets", parent="themes", keywords=("training recipe",))
    text = "P1: The training recipe."
    suggester = RuleSuggester(Codebook(codes=(parent, child)), threshold=0.5)
    found = suggester.suggest("I1", text, units_of(text))
    assert [s.code_id for s in found] == ["secrecy"]


def test_merge_keeps_the_best_score_and_all_evidence() -> None:
    units = [Unit(0, 0, 5), Unit(0, 6, 10), Unit(1, 11, 15)]
    picks = [{"a": (1.0, ())}, {"a": (2.0, ())}, {"a": (3.0, ())}]
    merged = merge_units("I1", units, picks, "rules")
    assert [(s.start, s.end, s.score) for s in merged] == [(0, 10, 2.0), (11, 15, 3.0)]

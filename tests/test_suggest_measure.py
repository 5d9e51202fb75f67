# SPDX-License-Identifier: MIT
"""Learning keywords from coded passages, and scoring suggestions against a person."""

from __future__ import annotations

import pytest

from qualcarto.codebook.model import Codebook, CodeDef
from qualcarto.suggest.evaluate import ALL_CODES, evaluate
from qualcarto.suggest.learn import learn_codebook
from qualcarto.suggest.model import Suggestion, Unit

BOOK = Codebook(
    codes=(
        CodeDef("compute", "Borrowed compute", example="old example", keywords=("old",)),
        CodeDef("secrecy", "Secrets", keywords=("kept",)),
        CodeDef("docs", "Documentation", keywords=("wiki",)),
    )
)


def test_learned_keywords_are_the_words_that_set_a_codes_passages_apart() -> None:
    passages = {
        "compute": ["The supercomputer gave us GPU hours.", "More GPU hours from the centre."],
        "secrecy": ["Our recipes stay secret at the centre.", "The recipe is secret."],
    }
    learned = learn_codebook(BOOK, passages).by_id()
    assert {"gpu", "hour", "gpu hour"} <= set(learned["compute"].keywords)
    assert "secret" in learned["secrecy"].keywords
    assert "centre" not in learned["compute"].keywords  # used by both codes' passages
    assert learned["compute"].example.splitlines() == passages["compute"]


def test_codes_without_passages_keep_nothing_from_the_codebook_file() -> None:
    learned = learn_codebook(BOOK, {"compute": ["GPU hours."]}).by_id()
    assert (learned["docs"].example, learned["docs"].keywords) == ("", ())
    assert learned["docs"].name == "Documentation"


UNITS = {"I1": [Unit(0, 0, 10), Unit(0, 11, 20), Unit(1, 21, 30), Unit(1, 31, 40)]}


def test_precision_recall_f1_and_kappa_per_code_and_pooled() -> None:
    reference = [("I1", "compute", 0, 20), ("I1", "secrecy", 31, 40)]
    suggested = [
        Suggestion("I1", "compute", 11, 30, 2.0, "rules"),
        Suggestion("I1", "secrecy", 31, 40, 2.0, "rules"),
    ]
    frame = evaluate(UNITS, reference, suggested, ["compute", "secrecy"]).set_index("code_id")
    compute = frame.loc["compute"]
    assert (compute.reference, compute.suggested, compute.both) == (2, 2, 1)
    assert compute.precision == compute.recall == compute.f1 == 0.5
    assert compute.kappa == pytest.approx(0.0)  # 2 of 4 agree, as chance predicts
    assert frame.loc["secrecy"].kappa == pytest.approx(1.0)
    pooled = frame.loc[ALL_CODES]
    assert (pooled.units, pooled.both, pooled.f1) == (8, 2, pytest.approx(2 / 3))


def test_a_span_covering_less_than_half_a_sentence_does_not_label_it() -> None:
    frame = evaluate(UNITS, [("I1", "compute", 0, 4)], [], ["compute"]).set_index("code_id")
    assert frame.loc["compute"].reference == 0
    assert frame.loc["compute"].precision is None and frame.loc["compute"].kappa is None

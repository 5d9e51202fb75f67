# SPDX-License-Identifier: MIT
"""Learn examples and keywords for the codebook from passages people already coded.

A lead who has coded part of a study can let the suggester learn from it: each code's
coded passages become its examples, and the words that set those passages apart from
the passages of other codes become its keywords. The benchmark uses the same function
to draw examples and keywords from one half of the transcripts only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import pairwise

from qualcarto.codebook.model import Codebook
from qualcarto.suggest.rules import analyse, is_content

DEFAULT_KEYWORDS = 10


def passage_terms(text: str) -> set[str]:
    """Content lemmas of a passage, and pairs of them that stand next to each other."""
    lemmas = [(t.lemma_ if is_content(t) else None) for t in analyse(text)]
    pairs = {f"{a} {b}" for a, b in pairwise(lemmas) if a and b}
    return {lemma for lemma in lemmas if lemma} | pairs


def learn_codebook(
    codebook: Codebook,
    passages: Mapping[str, Sequence[str]],
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> Codebook:
    """The codebook with each code's example and keywords replaced by learned ones.

    ``passages`` maps a code id to the texts coded with it. A term's value for a code is
    the number of the code's passages containing it times ``ln(N / n)``, for ``N`` codes
    with passages of which ``n`` use the term; the best ``keywords`` terms used in at least
    two passages (or the one passage a code has) are kept. Codes without passages lose
    their example and keywords, so nothing is carried over from the codebook file.
    """
    counts = {
        code: Counter(t for p in texts for t in passage_terms(p))
        for code, texts in passages.items()
        if texts
    }
    spread = Counter(term for counter in counts.values() for term in counter)
    n = len(counts)
    codes = []
    for code in codebook.codes:
        counter = counts.get(code.id)
        if counter is None:
            codes.append(replace(code, example="", keywords=()))
            continue
        floor = min(2, len(passages[code.id]))
        ranked = sorted(
            (
                (c * math.log(n / spread[t]), t)
                for t, c in counter.items()
                if c >= floor and spread[t] < n
            ),
            key=lambda item: (-item[0], item[1]),
        )
        chosen = tuple(term for value, term in ranked[:keywords] if value > 0)
        codes.append(replace(code, example="\n".join(passages[code.id]), keywords=chosen))
    return codebook.with_codes(codes)

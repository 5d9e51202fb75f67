# SPDX-License-Identifier: MIT
"""The rule-based suggester: spaCy phrase patterns built from the codebook's own words.

Each leaf code contributes terms from its ``keywords`` (whole phrases), and the content
words of its name, include criteria, example and definition. Terms are compared by
lemma using the English lookup table of ``spacy-lookups-data`` on a blank pipeline, so
"guarded secrets" matches the keyword "guard secret" with no model download. A term
weighs what its source is worth times how specific it is to the code (a word that
describes many codes says little about any one of them); a sentence's score for a code
is the sum of the distinct terms it contains.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.lookups import Table
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from qualcarto.codebook.model import Codebook, CodeDef
from qualcarto.suggest.model import Evidence, Suggestion, Unit, merge_units, top_codes

# What a term is worth by where the codebook states it: a keyword is the lead's own
# signal for a code; a definition word is often generic.
SOURCE_WEIGHTS = {"keyword": 1.0, "name": 0.6, "include": 0.45, "example": 0.45, "definition": 0.3}
DEFAULT_THRESHOLD = 1.5
DEFAULT_TOP_K = 1
# Share of a neighbouring sentence's score (same turn) added to a sentence's own: people
# code passages, and a theme's words spread over the sentences around its centre.
DEFAULT_CONTEXT = 0.5
# Words of codebook prose that describe the coding task rather than the theme.
CODEBOOK_PROSE = frozenset(
    {"speaker", "say", "mention", "describe", "talk", "example", "code", "interviewee", "e.g."}
)


@lru_cache(maxsize=1)
def tokenizer() -> Language:
    """A blank English pipeline: spaCy's rule-based tokenizer, nothing to download."""
    nlp = spacy.blank("en")
    nlp.max_length = 5_000_000
    return nlp


@lru_cache(maxsize=1)
def lemma_table() -> Table | None:
    """English lookup lemmas from ``spacy-lookups-data``; None if it is not installed."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except (ImportError, ValueError, KeyError):
        return None


@lru_cache(maxsize=200_000)
def lemma_of(lower: str) -> str:
    """The lookup lemma of a lower-cased word (the word itself where the table has none)."""
    table = lemma_table()
    if table is None:
        return lower
    found = table.get(lower)
    return found if isinstance(found, str) else lower


def analyse(text: str) -> Doc:
    """Tokenize ``text`` and set each token's lemma from the lower-cased form.

    The lookup table is keyed by lower-case words, so lemmatizing the lower-cased form
    makes "Secrets" and "secrets" the same term.
    """
    doc = tokenizer().make_doc(text)
    for token in doc:
        token.lemma_ = lemma_of(token.lower_)
    return doc


def is_content(token: Token) -> bool:
    """A content word: alphabetic, 3+ letters, not a stop word nor codebook prose."""
    return (
        token.is_alpha
        and len(token.lemma_) >= 3
        and token.lower_ not in STOP_WORDS
        and token.lemma_ not in STOP_WORDS
        and token.lemma_ not in CODEBOOK_PROSE
    )


def content_lemmas(text: str) -> list[str]:
    """The lemmas of a text's content words, in order."""
    return [token.lemma_ for token in analyse(text) if is_content(token)]


@dataclass(frozen=True)
class Term:
    """One pattern of one code: its lemma key, where it came from, and its weight."""

    key: str
    code_id: str
    source: str
    weight: float


def code_terms(code: CodeDef) -> dict[str, str]:
    """Each term of a code (lemma key) with the strongest source it comes from."""
    found: dict[str, str] = {}

    def add(key: str, source: str) -> None:
        if key and SOURCE_WEIGHTS[source] > SOURCE_WEIGHTS.get(found.get(key, ""), 0.0):
            found[key] = source

    for phrase in code.keywords:
        add(" ".join(t.lemma_ for t in analyse(phrase) if not t.is_space), "keyword")
    for source, text in (
        ("name", code.name),
        ("include", code.include),
        ("example", code.example),
        ("definition", code.definition),
    ):
        for lemma in content_lemmas(text):
            add(lemma, source)
    return found


def build_terms(codes: Sequence[CodeDef]) -> list[Term]:
    """Weighted terms for the given codes; rarer terms across codes weigh more.

    Specificity is ``ln(1 + N/df) / ln(1 + N)`` for a term found in ``df`` of ``N``
    codes: 1 for a term unique to one code, falling towards 0 for one that all share.
    """
    per_code = {code.id: code_terms(code) for code in codes}
    df: dict[str, int] = defaultdict(int)
    for terms in per_code.values():
        for key in terms:
            df[key] += 1
    n = max(len(per_code), 1)
    scale = math.log(1 + n)
    out = []
    for code_id, terms in per_code.items():
        for key, source in sorted(terms.items()):
            specificity = math.log(1 + n / df[key]) / scale if n > 1 else 1.0
            out.append(Term(key, code_id, source, round(SOURCE_WEIGHTS[source] * specificity, 4)))
    return out


class RuleSuggester:
    """Suggest codes for the sentences of a transcript from codebook-derived phrase patterns."""

    method = "rules"

    def __init__(
        self,
        codebook: Codebook,
        *,
        threshold: float | None = None,
        top_k: int = DEFAULT_TOP_K,
        context: float = DEFAULT_CONTEXT,
        codes: Sequence[str] | None = None,
    ) -> None:
        leaves = codebook.leaves()
        if codes is not None:
            wanted = set(codes)
            leaves = [code for code in leaves if code.id in wanted]
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.top_k = top_k
        self.context = context
        self.terms = build_terms(leaves)
        self._by_key: dict[str, list[Term]] = defaultdict(list)
        for term in self.terms:
            self._by_key[term.key].append(term)
        self._matcher = PhraseMatcher(tokenizer().vocab, attr="LEMMA")
        for key in sorted(self._by_key):
            self._matcher.add(key, [analyse(key)])

    def score_units(
        self, text: str, units: Sequence[Unit]
    ) -> list[dict[str, tuple[float, tuple[Evidence, ...]]]]:
        """For each unit, every code with at least one matched term: (score, evidence)."""
        doc = analyse(text)
        starts = [unit.start for unit in units]
        found: list[dict[str, dict[str, Evidence]]] = [defaultdict(dict) for _ in units]
        strings = tokenizer().vocab.strings
        for match_id, first, last in self._matcher(doc):
            span = doc[first:last]
            i = bisect_right(starts, span.start_char) - 1
            if i < 0 or span.end_char > units[i].end:
                continue
            key = strings[match_id]
            for term in self._by_key[key]:
                if key not in found[i][term.code_id]:
                    found[i][term.code_id][key] = Evidence(
                        span.text, term.source, span.start_char, span.end_char, term.weight
                    )
        scored = []
        for per_code in found:
            scored.append(
                {
                    code_id: (
                        round(sum(e.weight for e in evidence.values()), 4),
                        tuple(sorted(evidence.values(), key=lambda e: e.start)),
                    )
                    for code_id, evidence in per_code.items()
                }
            )
        return scored

    def suggest(self, transcript: str, text: str, units: Sequence[Unit]) -> list[Suggestion]:
        """Suggestions for one transcript: the best codes per sentence, merged into passages.

        A sentence's score for a code is its own plus ``context`` times that of each
        neighbouring sentence in the same turn; the evidence shown is the matched terms
        of all three.
        """
        scored = self.score_units(text, units)
        picks = []
        for i, unit in enumerate(units):
            totals = {code: score for code, (score, _) in scored[i].items()}
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(units) and units[j].turn == unit.turn]
            for j in near:
                for code, (score, _) in scored[j].items():
                    totals[code] = totals.get(code, 0.0) + self.context * score
            chosen: dict[str, tuple[float, tuple[Evidence, ...]]] = {}
            for code, score in top_codes(totals, self.threshold, self.top_k):
                evidence = [e for k in sorted([i, *near]) for e in scored[k].get(code, (0, ()))[1]]
                chosen[code] = (round(score, 4), tuple(evidence))
            picks.append(chosen)
        return merge_units(transcript, units, picks, self.method)

# SPDX-License-Identifier: MIT
"""Suggestions as plain values: a span, a code, a score and the evidence behind it.

Pure: no database and no NLP. The suggesters score *units* (sentences inside speaker
turns, as the importer stores them) and :func:`merge_units` joins neighbouring units of
one turn that point to the same code, so a suggestion reads like a passage a person
would code rather than a string of single sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Speakers whose words are questions, not data. Matched case-insensitively against a turn's
# label, either whole or as its first word ("Interviewer 2").
INTERVIEWER_LABELS = frozenset({"interviewer", "moderator", "facilitator", "q", "question"})


@dataclass(frozen=True)
class Unit:
    """A sentence ``text[start:end]`` inside turn ``turn``; ``speaker`` is that turn's label."""

    turn: int
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Why a code was suggested: the matched words, where, and what they weigh.

    ``source`` says which part of the code produced the term (``keyword``, ``name``,
    ``include``, ``example``, ``definition``) or, for the semantic method, which text of
    the code the passage resembles.
    """

    term: str
    source: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """A suggested coding of ``text[start:end]`` with ``code_id``, and its evidence."""

    transcript: str
    code_id: str
    start: int
    end: int
    score: float
    method: str
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str, int, int]:
        """What identifies a suggestion across runs: transcript, code and span."""
        return (self.transcript, self.code_id, self.start, self.end)

    def evidence_terms(self) -> list[str]:
        """The distinct matched terms in lower case, strongest first (ties by name: stable)."""
        best: dict[str, float] = {}
        for item in self.evidence:
            term = item.term.lower()
            best[term] = max(best.get(term, 0.0), item.weight)
        return sorted(best, key=lambda term: (-best[term], term))

    def describe(self) -> str:
        """One line a coder can read: method, score and evidence."""
        terms = ", ".join(self.evidence_terms()[:8]) or "no single term"
        return f"suggested by {self.method} (score {self.score:.2f}): {terms}"


def is_interviewer(speaker: str | None) -> bool:
    """True for turns whose label names the interviewer rather than a participant."""
    if not speaker:
        return False
    label = speaker.strip().lower()
    return label in INTERVIEWER_LABELS or label.split()[0] in INTERVIEWER_LABELS


def participant_units(units: Iterable[Unit]) -> list[Unit]:
    """The units spoken by participants: interviewer questions are never suggested."""
    return [unit for unit in units if not is_interviewer(unit.speaker)]


def merge_units(
    transcript: str,
    units: Sequence[Unit],
    picks: Sequence[dict[str, tuple[float, tuple[Evidence, ...]]]],
    method: str,
) -> list[Suggestion]:
    """Join consecutive units of the same turn picked for the same code into one suggestion.

    ``picks[i]`` maps a code to (score, evidence) for ``units[i]``. A merged suggestion
    keeps the best unit score and all evidence. Output is sorted by start, then code.
    """
    open_runs: dict[str, list[int]] = {}
    runs: list[tuple[str, list[int]]] = []
    for i, unit in enumerate(units):
        for code_id in sorted(picks[i]):
            run = open_runs.get(code_id)
            if run is not None and run[-1] == i - 1 and units[run[-1]].turn == unit.turn:
                run.append(i)
            else:
                run = [i]
                open_runs[code_id] = run
                runs.append((code_id, run))
    suggestions = []
    for code_id, run in runs:
        scores = [picks[i][code_id][0] for i in run]
        evidence = tuple(
            sorted({item for i in run for item in picks[i][code_id][1]}, key=_evidence_order)
        )
        suggestions.append(
            Suggestion(
                transcript,
                code_id,
                units[run[0]].start,
                units[run[-1]].end,
                round(max(scores), 4),
                method,
                evidence,
            )
        )
    return sorted(suggestions, key=lambda s: (s.start, s.end, s.code_id))


def _evidence_order(item: Evidence) -> tuple[int, int, str]:
    return (item.start, item.end, item.term)


def top_codes(scores: dict[str, float], threshold: float, top_k: int) -> list[tuple[str, float]]:
    """The at most ``top_k`` codes scoring ``threshold`` or more, best first, ties by id."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(code, score) for code, score in ranked if score >= threshold][:top_k]

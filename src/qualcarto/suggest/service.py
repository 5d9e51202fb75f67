# SPDX-License-Identifier: MIT
"""Suggestions on stored transcripts, and what a coder does with them.

``suggest_for_transcript`` reads a transcript's sentences from the store and asks a
suggester for codes. ``accept_suggestion`` turns one into the coder's own coding (through
:func:`qualcarto.coding.add_coding`, so every coding rule applies) and records the evidence
in the audit log; ``reject_suggestion`` records the refusal, so the same suggestion is not
offered to that coder again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import get_version, version_codebook
from qualcarto.coding import add_coding, codings_frame
from qualcarto.errors import ValidationError
from qualcarto.store import AuditEvent, Coding, Segment, Transcript, Turn, record
from qualcarto.suggest.model import Suggestion, Unit, participant_units
from qualcarto.transcripts.lookup import get_transcript

METHODS = ("rules", "semantic")
ACCEPT = "suggestion.accept"
REJECT = "suggestion.reject"


class Suggester(Protocol):
    """What both methods offer: a name and suggestions for one transcript's units."""

    method: str

    def suggest(self, transcript: str, text: str, units: Sequence[Unit]) -> list[Suggestion]: ...


def make_suggester(
    session: Session, method: str = "rules", threshold: float | None = None
) -> Suggester:
    """A suggester for the newest codebook version; ``semantic`` needs the optional extra."""
    book = version_codebook(get_version(session))
    if method == "rules":
        from qualcarto.suggest.rules import RuleSuggester

        return RuleSuggester(book, threshold=threshold)
    if method == "semantic":
        from qualcarto.suggest.semantic import SemanticSuggester

        return SemanticSuggester(book, threshold=threshold)
    raise ValidationError(f"method '{method}' is not one of {METHODS}")


def transcript_units(session: Session, transcript: Transcript) -> list[Unit]:
    """The stored sentences of a transcript, each with its turn's speaker."""
    speakers = dict(
        session.execute(
            select(Turn.index, Turn.speaker).where(Turn.transcript_id == transcript.id)
        ).all()
    )
    rows = session.execute(
        select(Segment.turn_index, Segment.start, Segment.end)
        .where(Segment.transcript_id == transcript.id)
        .order_by(Segment.start)
    ).all()
    return [Unit(turn, start, end, speakers.get(turn)) for turn, start, end in rows]


def suggest_for_transcript(
    session: Session, transcript: str | int, suggester: Suggester | None = None
) -> list[Suggestion]:
    """Suggestions for one stored transcript (participants' words only), sorted by start."""
    doc = get_transcript(session, transcript)
    suggester = suggester or make_suggester(session)
    units = participant_units(transcript_units(session, doc))
    return suggester.suggest(doc.name, doc.text, units)


def _payload(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "transcript": suggestion.transcript,
        "code": suggestion.code_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "score": suggestion.score,
        "method": suggestion.method,
        "evidence": [asdict(item) for item in suggestion.evidence],
    }


def add_suggested_coding(
    session: Session, suggestion: Suggestion, coder: str, *, origin: str, memo: str = ""
) -> Coding:
    """Code the suggestion's span with its code as ``coder``, through every coding rule."""
    return add_coding(
        session,
        suggestion.transcript,
        suggestion.start,
        suggestion.end,
        suggestion.code_id,
        coder,
        memo,
        origin=origin,
    )


def accept_suggestion(session: Session, suggestion: Suggestion, coder: str) -> Coding:
    """Make the suggestion ``coder``'s own coding; the audit log keeps where it came from."""
    coding = add_suggested_coding(session, suggestion, coder, origin="suggestion")
    record(session, coder, ACCEPT, "coding", coding.id, **_payload(suggestion))
    return coding


def reject_suggestion(session: Session, suggestion: Suggestion, coder: str) -> None:
    """Record that ``coder`` turned the suggestion down, with its evidence."""
    doc = get_transcript(session, suggestion.transcript)
    record(session, coder, REJECT, "transcript", doc.id, **_payload(suggestion))


def decided_keys(session: Session, transcript: str, coder: str) -> set[tuple[str, str, int, int]]:
    """Keys of the suggestions ``coder`` already accepted or rejected in a transcript."""
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == coder, AuditEvent.action.in_([ACCEPT, REJECT]))
    )
    return {
        (p["transcript"], p["code"], int(p["start"]), int(p["end"]))
        for p in (event.payload for event in events)
        if p.get("transcript") == transcript
    }


def pending_suggestions(
    session: Session, transcript: str | int, coder: str, suggester: Suggester | None = None
) -> list[Suggestion]:
    """Suggestions ``coder`` has not decided on and has not already coded that way.

    A suggestion counts as already coded when the coder applied the same code to a span
    overlapping it.
    """
    doc = get_transcript(session, transcript)
    decided = decided_keys(session, doc.name, coder)
    own = codings_frame(session, [coder], [doc.name])
    spans: dict[str, list[tuple[int, int]]] = {}
    for code_id, start, end in zip(own["code_id"], own["start"], own["end"], strict=True):
        spans.setdefault(code_id, []).append((int(start), int(end)))
    return [
        s
        for s in suggest_for_transcript(session, doc.name, suggester)
        if s.key not in decided
        and not any(a < s.end and s.start < b for a, b in spans.get(s.code_id, []))
    ]

# SPDX-License-Identifier: MIT
"""Correct a transcript's text and keep its codings: offsets move through a character diff.

The stored text changes only through here. ``difflib.SequenceMatcher`` compares the old
and new text character by character; a coding's start moves with the character it
starts on, its end with the character it ends on. Text inserted at a span's edge stays
outside it, text replaced inside or at its edge joins it. A coding whose every character
was deleted is kept, empty at the place its text was, and flagged for review; nothing is
dropped. Each moved or flagged coding gets its own audit entry.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualcarto.errors import ConflictError, ValidationError
from qualcarto.media.timing import time_range
from qualcarto.store import Coding, CodingFlag, MediaFile, Segment, Transcript, Turn, record
from qualcarto.store.models import utcnow
from qualcarto.transcripts.decode import normalize_text
from qualcarto.transcripts.importer import store_structure
from qualcarto.transcripts.segment import sentences
from qualcarto.transcripts.turns import SPEAKER_LABEL, TurnSpan
from qualcarto.users import require_lead
from qualcarto.wording import counted

Opcode = tuple[str, int, int, int, int]


class OffsetMap:
    """Where each offset of the old text lands in the new one (pure; no I/O)."""

    def __init__(self, old: str, new: str) -> None:
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        # only blocks that cover old characters; an insertion has none
        self._blocks: list[Opcode] = [op for op in matcher.get_opcodes() if op[2] > op[1]]
        self._starts = [op[1] for op in self._blocks]
        self.old_length, self.new_length = len(old), len(new)

    def _block(self, index: int) -> Opcode:
        return self._blocks[bisect.bisect_right(self._starts, index) - 1]

    def start(self, offset: int) -> int:
        """The new offset of a span starting at ``offset`` (text inserted before it stays out)."""
        if offset >= self.old_length:
            return self.new_length
        tag, i1, _i2, j1, _j2 = self._block(offset)
        return j1 + (offset - i1) if tag == "equal" else j1

    def end(self, offset: int) -> int:
        """The new offset of a span ending at ``offset`` (text inserted after it stays out)."""
        if offset <= 0:
            return 0
        tag, i1, _i2, j1, j2 = self._block(offset - 1)
        return j1 + (offset - i1) if tag == "equal" else j2

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The new ``(start, end)``; equal offsets mean the span's text is gone."""
        new_start, new_end = self.start(start), self.end(end)
        return (new_start, new_end) if new_end > new_start else (new_start, new_start)


@dataclass
class CorrectionReport:
    """What a correction did to the codings of one transcript."""

    transcript: str
    moved: list[int] = field(default_factory=list)
    flagged: list[int] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.transcript}: corrected; {counted(len(self.moved), 'coding')} moved, "
            f"{len(self.flagged)} flagged for review (text deleted), {self.unchanged} unchanged"
        )


def correct_transcript(
    session: Session,
    name: str,
    new_text: str,
    actor: str,
    *,
    expected_checksum: str | None = None,
    audit_text: bool = True,
) -> CorrectionReport:
    """Replace the text of transcript ``name`` (a lead's correction) and move its codings.

    ``expected_checksum`` (the checksum the editor started from) refuses a correction made
    on a text somebody else corrected meanwhile. ``audit_text=False`` keeps the words
    out of the audit entries (offsets only), for pseudonymisation.
    """
    require_lead(session, actor, "may correct a transcript")
    transcript = session.scalars(select(Transcript).where(Transcript.name == name)).first()
    if transcript is None:
        raise ValidationError(f"no transcript called '{name}'")
    if expected_checksum is not None and expected_checksum != transcript.checksum:
        raise ConflictError(f"{name}: corrected by someone else meanwhile; reload and redo")
    new_text = normalize_text(new_text, name)
    report = CorrectionReport(name)
    old_text = transcript.text
    if new_text == old_text:
        return report
    mapping = OffsetMap(old_text, new_text)
    _move_codings(session, transcript, mapping, new_text, actor, report, audit_text)
    old_checksum = transcript.checksum
    transcript.text = new_text
    transcript.length = len(new_text)
    transcript.checksum = hashlib.sha256(new_text.encode("utf-8")).hexdigest()
    _restructure(session, transcript, mapping, new_text)
    record(
        session,
        actor,
        "transcript.correct",
        "transcript",
        transcript.id,
        name=name,
        old_checksum=old_checksum,
        checksum=transcript.checksum,
        length=len(new_text),
        moved=len(report.moved),
        flagged=len(report.flagged),
    )
    try:
        session.flush()
    except IntegrityError as exc:
        raise ValidationError(
            f"{name}: after this correction two codings of one coder and code would cover "
            "the same span; change less at once"
        ) from exc
    return report


def _move_codings(
    session: Session,
    transcript: Transcript,
    mapping: OffsetMap,
    new_text: str,
    actor: str,
    report: CorrectionReport,
    audit_text: bool,
) -> None:
    codings = session.scalars(
        select(Coding).where(Coding.transcript_id == transcript.id).order_by(Coding.id)
    )
    for coding in codings:
        start, end = mapping.span(coding.start, coding.end)
        text = new_text[start:end]
        if (start, end, text) == (coding.start, coding.end, coding.text):
            report.unchanged += 1
            continue
        before: dict[str, int | str] = {
            "start": coding.start,
            "end": coding.end,
            "text": coding.text,
        }
        coding.start, coding.end = start, end
        coding.row_version += 1
        coding.updated_at = utcnow()
        if end == start:
            reason = "its text was deleted by a correction" + (
                f": {coding.text[:200]}" if audit_text else ""
            )
            flag = session.scalars(select(CodingFlag).where(CodingFlag.coding_id == coding.id))
            existing = flag.first()
            if existing is None:
                session.add(CodingFlag(coding_id=coding.id, reason=reason))
            else:
                existing.reason = reason
            report.flagged.append(coding.id)
            action = "coding.flag"
        else:
            coding.text = text
            report.moved.append(coding.id)
            action = "coding.move"
        after: dict[str, int | str] = {"start": start, "end": end, "text": new_text[start:end]}
        if not audit_text:
            before.pop("text")
            after.pop("text")
        record(
            session,
            actor,
            action,
            "coding",
            coding.id,
            transcript=transcript.name,
            before=before,
            after=after,
        )


def _restructure(
    session: Session, transcript: Transcript, mapping: OffsetMap, new_text: str
) -> None:
    """Turns and sentences of the new text; a timed transcript keeps its turns and times,
    and a turn that now starts with ``Name:`` gets that speaker (the speaker step)."""
    media = session.scalars(
        select(MediaFile).where(MediaFile.transcript_id == transcript.id)
    ).first()
    if media is None or not media.timings:
        session.execute(delete(Turn).where(Turn.transcript_id == transcript.id))
        session.execute(delete(Segment).where(Segment.transcript_id == transcript.id))
        session.flush()
        store_structure(session, transcript.id, new_text)
        return
    media.timings = move_timings(media.timings, mapping)
    turns = list(
        session.scalars(
            select(Turn).where(Turn.transcript_id == transcript.id).order_by(Turn.index)
        )
    )
    spans = []
    for turn in turns:
        unlabelled = turn.body_start == turn.start
        # text inserted where a turn begins joins that turn (the previous one has ended)
        turn.start = mapping.end(turn.start)
        turn.body_start = (
            turn.start if unlabelled else max(mapping.start(turn.body_start), turn.start)
        )
        turn.end = max(mapping.end(turn.end), turn.body_start)
        label = SPEAKER_LABEL.match(new_text, turn.start, turn.end)
        if label:  # a speaker named by the correction ("Ana: ..." at the turn's start)
            turn.speaker, turn.body_start = label["speaker"].strip(), label.end()
        spans.append(TurnSpan(turn.speaker, turn.start, turn.body_start, turn.end))
    session.execute(delete(Segment).where(Segment.transcript_id == transcript.id))
    for i, (turn_index, start, end) in enumerate(sentences(new_text, spans)):
        seconds = time_range(media.timings, start, end)
        session.add(
            Segment(
                transcript_id=transcript.id,
                index=i,
                turn_index=turn_index,
                start=start,
                end=end,
                media_start=seconds[0] if seconds else None,
                media_end=seconds[1] if seconds else None,
            )
        )


def move_timings(timings: Sequence[Sequence[float]], mapping: OffsetMap) -> list[list[float]]:
    """Word timings of the new text: each timed piece moves with its text; deleted ones go."""
    moved: list[list[float]] = []
    for start, end, t0, t1 in timings:
        new_start, new_end = mapping.span(int(start), int(end))
        if new_end > new_start:
            moved.append([new_start, new_end, t0, t1])
    return moved

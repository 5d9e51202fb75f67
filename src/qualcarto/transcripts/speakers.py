# SPDX-License-Identifier: MIT
"""The speaker step: name the speakers of turns, merge two turns, split one at a sentence.

Turns found at pauses (local transcription) have no speaker. These changes touch only the
turn rows, never the text, so codings are unaffected; a lead makes them, each audited.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qualcarto.errors import ValidationError
from qualcarto.store import Segment, Transcript, Turn, record
from qualcarto.users import require_lead


def _transcript(session: Session, name: str, actor: str) -> Transcript:
    require_lead(session, actor, "may change turns")
    transcript = session.scalars(select(Transcript).where(Transcript.name == name)).first()
    if transcript is None:
        raise ValidationError(f"no transcript called '{name}'")
    return transcript


def turns_frame(session: Session, name: str) -> pd.DataFrame:
    """The turns of a transcript: ``turn``, ``speaker``, ``media_start``, ``media_end``, ``words``."""
    transcript = session.scalars(select(Transcript).where(Transcript.name == name)).one()
    rows = [
        (
            t.index,
            t.speaker or "",
            t.media_start,
            t.media_end,
            " ".join(transcript.text[t.body_start : t.end].split())[:120],
        )
        for t in transcript.turns
    ]
    return pd.DataFrame(rows, columns=["turn", "speaker", "media_start", "media_end", "words"])


def name_speakers(session: Session, name: str, speakers: dict[int, str], actor: str) -> int:
    """Set the speaker of turns by index (an empty name clears it); returns how many changed."""
    transcript = _transcript(session, name, actor)
    changed = 0
    for turn in transcript.turns:
        if turn.index not in speakers:
            continue
        speaker = " ".join(speakers[turn.index].split())[:200] or None
        if speaker != turn.speaker:
            record(
                session,
                actor,
                "turn.speaker",
                "transcript",
                transcript.id,
                turn=turn.index,
                before=turn.speaker,
                after=speaker,
            )
            turn.speaker = speaker
            changed += 1
    return changed


def merge_with_next(session: Session, name: str, index: int, actor: str) -> None:
    """Join turn ``index`` and the turn after it into one (the first one's speaker stays)."""
    transcript = _transcript(session, name, actor)
    turns = list(transcript.turns)
    if not 0 <= index < len(turns) - 1:
        raise ValidationError(f"{name}: no turn {index} followed by another")
    first, second = turns[index], turns[index + 1]
    first.end = second.end
    first.media_end = second.media_end if second.media_end is not None else first.media_end
    session.delete(second)
    session.flush()
    _shift(session, transcript.id, after=index + 1, by=-1)
    record(session, actor, "turn.merge", "transcript", transcript.id, turn=index)


def split_at_sentence(session: Session, name: str, segment_index: int, actor: str) -> None:
    """Start a new turn (same speaker) at sentence ``segment_index``, which must not open its turn."""
    transcript = _transcript(session, name, actor)
    segments = {s.index: s for s in transcript.segments}
    segment = segments.get(segment_index)
    if segment is None:
        raise ValidationError(f"{name}: no sentence {segment_index}")
    turn = next(t for t in transcript.turns if t.index == segment.turn_index)
    previous = segments.get(segment_index - 1)
    if previous is None or previous.turn_index != turn.index:
        raise ValidationError(f"{name}: sentence {segment_index} already starts a turn")
    new = Turn(
        transcript_id=transcript.id,
        index=turn.index + 1,
        speaker=turn.speaker,
        start=segment.start,
        body_start=segment.start,
        end=turn.end,
        media_start=segment.media_start,
        media_end=turn.media_end,
    )
    turn.end, turn.media_end = previous.end, previous.media_end
    _shift(session, transcript.id, after=turn.index + 1, by=1)
    session.execute(
        update(Segment)
        .where(Segment.transcript_id == transcript.id, Segment.index >= segment_index)
        .where(Segment.turn_index == turn.index)
        .values(turn_index=turn.index + 1)
    )
    session.add(new)
    record(session, actor, "turn.split", "transcript", transcript.id, sentence=segment_index)


def _shift(session: Session, transcript_id: int, *, after: int, by: int) -> None:
    """Renumber turns (and their sentences) from index ``after`` on by ``by``."""
    session.execute(
        update(Turn)
        .where(Turn.transcript_id == transcript_id, Turn.index >= after)
        .values(index=Turn.index + by)
    )
    session.execute(
        update(Segment)
        .where(Segment.transcript_id == transcript_id, Segment.turn_index >= after)
        .values(turn_index=Segment.turn_index + by)
    )
    session.expire_all()


def sentences_list(session: Session, name: str) -> list[tuple[int, int, str]]:
    """``(sentence, turn, words)`` of a transcript, for choosing where to split a turn."""
    transcript = session.scalars(select(Transcript).where(Transcript.name == name)).one()
    return [
        (s.index, s.turn_index, " ".join(transcript.text[s.start : s.end].split())[:80])
        for s in transcript.segments
    ]

# SPDX-License-Identifier: MIT
"""Transcripts in REFI-QDA: one ``TextSource`` each, its selections and codings, its memos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

import pandas as pd
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.codebook import Codebook
from qualcarto.exchange.data import StudyData
from qualcarto.exchange.refi_common import PROJECT_NS, stable_guid, xml_datetime
from qualcarto.exchange.refi_notes import MemoNotes, NoteRow
from qualcarto.exchange.refi_write import sub_element
from qualcarto.store import Memo, User


@dataclass
class RefiExportReport:
    """What an export wrote, and what other tools may read differently."""

    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    notes: int = 0
    warnings: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)


# start, end, coder, code id, created, memo, origin, excerpt
CodingRow = tuple[int, int, str, str, datetime, str, str, str]


def add_selections(
    source: etree._Element,
    codings: list[CodingRow],
    transcript: str,
    user_guids: dict[str, str],
    guids: dict[str, str],
    codebook: Codebook,
    notes: list[NoteRow],
    notebook: MemoNotes,
    origins: dict[str, str],
    position: Callable[[int], int],
) -> int:
    """One selection per distinct span, holding one ``Coding`` per coder and code."""
    count = 0
    names = codebook.by_id()
    spans: dict[tuple[int, int], list[CodingRow]] = {}
    for row in codings:
        spans.setdefault((row[0], row[1]), []).append(row)
    for (start, end), group in sorted(spans.items()):
        group.sort(key=lambda r: (r[2], guids[r[3]]))
        first = min(group, key=lambda r: (r[2], r[3]))
        selection = sub_element(
            source,
            PROJECT_NS,
            "PlainTextSelection",
            guid=stable_guid("selection", transcript, str(start), str(end)),
            name=first[7],
            startPosition=str(position(start)),
            endPosition=str(position(end)),
            creatingUser=user_guids.get(first[2]),
            creationDateTime=xml_datetime(min(r[4] for r in group)),
        )
        seen: dict[str, int] = {}
        for _s, _e, coder, code_id, created, memo, origin, _text in group:
            key = stable_guid("coding", transcript, str(start), str(end), coder, guids[code_id])
            seen[key] = seen.get(key, 0) + 1
            guid = key if seen[key] == 1 else stable_guid(key, str(seen[key]))
            coding = sub_element(
                selection,
                PROJECT_NS,
                "Coding",
                guid=guid,
                creatingUser=user_guids.get(coder),
                creationDateTime=xml_datetime(created),
            )
            sub_element(coding, PROJECT_NS, "CodeRef", targetGUID=guids[code_id])
            if memo:
                note = stable_guid("note", guid)
                sub_element(coding, PROJECT_NS, "NoteRef", targetGUID=note)
                notes.append((note, f"Memo: {names[code_id].name}", coder, None, memo))
            for note in notebook.refer_from_coding((transcript, start, end, coder, code_id)):
                sub_element(coding, PROJECT_NS, "NoteRef", targetGUID=note)
            if origin != "manual":
                origins[guid] = origin
            count += 1
    return count


def coding_rows(data: StudyData) -> dict[str, list[CodingRow]]:
    """The layer's codings as plain tuples per transcript, in one pass over the frame."""
    frame = data.codings
    by_transcript: dict[str, list[CodingRow]] = {}
    if frame.empty:
        return by_transcript
    created = [pd.Timestamp(t).to_pydatetime() for t in frame["created_at"]]
    memos = [m if isinstance(m, str) else "" for m in frame["memo"]]
    columns = zip(
        frame["transcript"],
        frame["start"].astype(int),
        frame["end"].astype(int),
        frame["coder"].astype(str),
        frame["code_id"].astype(str),
        created,
        memos,
        frame["origin"].astype(str),
        frame["text"].astype(str),
        strict=True,
    )
    for name, start, end, coder, code, moment, memo, origin, text in columns:
        by_transcript.setdefault(name, []).append(
            (int(start), int(end), coder, code, moment, memo, origin, text)
        )
    return by_transcript


def utf16_positions(text: str) -> Callable[[int], int]:
    """Code point index -> UTF-16 code unit index in ``text`` (for NVivo and QualCoder)."""
    if all(ord(c) <= 0xFFFF for c in text):
        return int
    bounds = [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]
    return bounds.__getitem__


def transcript_memos(session: Session, authors: set[str]) -> dict[int, list[tuple[str, str]]]:
    """Transcript memos of the exported ``authors``, as (author, text) per transcript id."""
    found: dict[int, list[tuple[str, str]]] = {}
    rows = session.execute(
        select(Memo.transcript_id, User.name, Memo.text)
        .join(User, User.id == Memo.author_id)
        .where(Memo.subject == "transcript")
        .order_by(User.name)
    )
    for transcript_id, author, text in rows:
        if author in authors and text and transcript_id is not None:
            found.setdefault(transcript_id, []).append((author, text))
    return found

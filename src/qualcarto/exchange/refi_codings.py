# SPDX-License-Identifier: MIT
"""A REFI-QDA source's selections as codings, and its notes and description as memos.

Codings are collected as ``NewCoding`` rows for batch inserts (``add_codings``); memos
are collected as ``MemoToWrite`` for the import's last step (``write_memos``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.coding import NewCoding
from qualcarto.exchange.positions import Reading, SourceText
from qualcarto.exchange.refi_read import RefiProject, RefiSelection, RefiSource
from qualcarto.exchange.refi_report import MemoToWrite, RefiImportReport, who
from qualcarto.store import Coding, Transcript, User


def source_codings(
    session: Session,
    source: RefiSource,
    transcript: Transcript,
    spans: dict[str, list[tuple[int, int]]],
    users: dict[str, str],
    code_ids: dict[str, str],
    notes: dict[str, tuple[str, str, str]],
    report: RefiImportReport,
    used_notes: set[str],
    origins: dict[str, str] | None,
    memos: list[MemoToWrite],
) -> list[NewCoding]:
    query = (
        select(User.name, Coding.code_id, Coding.start, Coding.end)
        .join(User, User.id == Coding.coder_id)
        .where(Coding.transcript_id == transcript.id)
    )
    done: set[tuple[str, str, int, int]] = {(u, c, a, b) for u, c, a, b in session.execute(query)}
    made: list[NewCoding] = []
    pairs = spans.get(source.guid, [])
    work: list[tuple[RefiSelection | None, tuple[int, int]]] = [
        (sel, pairs[i]) for i, sel in enumerate(source.selections)
    ]
    work.append((None, (0, transcript.length)))
    skipped = {"empty": 0, "code": 0, "duplicate": 0}
    made_here: set[tuple[str, str, int, int]] = set()
    for selection, (start, end) in work:
        codings = selection.codings if selection is not None else source.whole_codings
        comment = selection.description.strip() if selection is not None else ""
        if selection is not None and not codings and (comment or selection.notes):
            # A comment on a passage no code marks: the coder's transcript memo keeps it.
            parts = [comment] + [notes[r][2] for r in selection.notes if r in notes]
            used_notes.update(selection.notes)
            quote = transcript.text[start:end]
            body = f"“{quote}” ({start}–{end}): " + "\n\n".join(p for p in parts if p)
            memos.append(
                MemoToWrite(
                    who(users, selection.user),
                    body,
                    "transcript",
                    target={"transcript_id": transcript.id},
                )
            )
            continue
        for coding in codings:
            code_id = code_ids.get(coding.code)
            coder = who(users, coding.user)
            if code_id is None:
                skipped["code"] += 1
                continue
            if start >= end:
                skipped["empty"] += 1
                continue
            # The project may code one span twice with one code (two selections); our
            # store keeps one coding, which the first of them becomes.
            key = (coder, code_id, start, end)
            if key in done:
                skipped["duplicate"] += key in made_here
                continue
            refs = coding.notes + (selection.notes if selection else [])
            used_notes.update(refs)
            memo = [comment] if comment else []
            memo += [notes[r][2] for r in refs if r in notes]
            created = coding.created or (selection.created if selection else None)
            origin = origins.get(coding.guid, "manual") if origins is not None else "import"
            made.append(
                NewCoding(
                    transcript.id, start, end, code_id, coder, "\n\n".join(memo), created, origin
                )
            )
            done.add(key)
            made_here.add(key)
    for what, message in (
        ("code", "coding(s) refer to a code not in the file; left out"),
        ("empty", "empty selection(s) left out"),
        ("duplicate", "exact duplicate coding(s) (same coder, span and code) kept once"),
    ):
        if skipped[what]:
            report.warnings.append(f"{transcript.name}: {skipped[what]} {message}")
    return made


def source_memos(
    source: RefiSource,
    transcript: Transcript,
    text: SourceText,
    reading: Reading,
    users: dict[str, str],
    project: RefiProject,
    notes: dict[str, tuple[str, str, str]],
    used_notes: set[str],
    memos: list[MemoToWrite],
) -> None:
    """The source's description and its notes (with any anchored passage quoted) as memos."""
    target = {"transcript_id": transcript.id}
    if source.description:
        description = f"Description: {source.description}"
        memos.append(MemoToWrite(who(users, source.user), description, "transcript", target=target))
    for ref in source.notes:
        if ref not in notes:
            continue
        used_notes.add(ref)
        author, _title, body = notes[ref]
        quotes = ""
        for start, end in project.notes[ref].anchors:  # QualCoder's annotations
            if 0 <= start <= end <= text.length(reading):
                a, b = text.convert(reading, [start, end])
                quotes += f"“{transcript.text[a:b]}” ({a}–{b}): "
        memos.append(MemoToWrite(who(users, author), quotes + body, "transcript", target=target))

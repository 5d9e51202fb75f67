# SPDX-License-Identifier: MIT
"""Code, coding and study memos as REFI-QDA ``Note``s, each with the place that refers to it.

A code memo is referenced from its ``Code``, a coding memo from its ``Coding`` and a study
(``project``) memo from the project; a memo whose code or coding is not in the export is
referenced from the project instead, so none is dropped. Text, ``[[...]]`` links included,
is written as stored. Transcript memos stay with their source (``refi_export_sources``)
and participant memos with their case (``refi_export_cases``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from qualcarto.exchange.refi_common import stable_guid
from qualcarto.store import Coding, Memo, Transcript, User

# (guid, name, author, creation time, text), as the export's Notes are written
NoteRow = tuple[str, str, str, str | None, str]
# (transcript, start, end, coder, code id): the coding a memo is about
CodingKey = tuple[str, int, int, str, str]


@dataclass
class MemoNotes:
    """The notes, and which code, coding or the project refers to each."""

    notes: list[NoteRow] = field(default_factory=list)
    on_codes: dict[str, list[str]] = field(default_factory=dict)
    on_codings: dict[CodingKey, list[str]] = field(default_factory=dict)
    on_project: list[str] = field(default_factory=list)

    def refer_from_coding(self, key: CodingKey) -> list[str]:
        """The notes on one exported coding (each handed out once)."""
        return self.on_codings.pop(key, [])

    def unplaced_to_project(self) -> None:
        """Memos on codings the export left out: referenced from the project."""
        for key in sorted(self.on_codings):
            self.on_project += self.on_codings.pop(key)


def memo_notes(session: Session, authors: set[str], code_guids: dict[str, str]) -> MemoNotes:
    """Every code, coding and study memo by an exported author, in a stable order."""
    coder = aliased(User)
    rows = session.execute(
        select(
            Memo.subject,
            Memo.code_id,
            Memo.title,
            User.name,
            Memo.text,
            Transcript.name,
            Coding.start,
            Coding.end,
            coder.name,
            Coding.code_id,
        )
        .join(User, User.id == Memo.author_id)
        .outerjoin(Coding, Coding.id == Memo.coding_id)
        .outerjoin(Transcript, Transcript.id == Coding.transcript_id)
        .outerjoin(coder, coder.id == Coding.coder_id)
        .where(Memo.subject.in_(["code", "coding", "project"]))
        .order_by(
            Memo.subject,
            Memo.code_id,
            Transcript.name,
            Coding.start,
            Coding.end,
            coder.name,
            Coding.code_id,
            Memo.title,
            User.name,
            Memo.id,
        )
    )
    found = MemoNotes()
    seen: dict[str, int] = {}
    for subject, code_id, title, author, text, doc, start, end, by, coded in rows:
        if author not in authors or not text:
            continue
        if subject == "coding":
            where = [doc, str(start), str(end), by, coded]
            name = title or f"Memo on coding {coded} in {doc} {start}-{end}"
        else:
            where = [code_id or ""]
            name = title or (f"Memo on code {code_id}" if subject == "code" else "Memo")
        key = stable_guid("memo", subject, *where, title, author)
        seen[key] = seen.get(key, 0) + 1
        guid = key if seen[key] == 1 else stable_guid(key, str(seen[key]))
        found.notes.append((guid, name, author, None, text))
        if subject == "code" and code_id in code_guids:
            found.on_codes.setdefault(code_id, []).append(guid)
        elif subject == "coding":
            found.on_codings.setdefault((doc, start, end, by, coded), []).append(guid)
        else:
            found.on_project.append(guid)
    return found

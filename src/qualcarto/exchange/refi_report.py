# SPDX-License-Identifier: MIT
"""What a REFI-QDA import did, converted and could not take; the memos its steps collect."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.memos import Subject, add_memo_text
from qualcarto.store import User

FALLBACK_USER = "imported"


@dataclass
class RefiImportReport:
    """What an import did, what it converted, and what it could not take (per kind)."""

    source: str
    codebook_version: int | None = None
    codes: int = 0
    users: list[str] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    codings: int = 0
    memos: int = 0
    participants: int = 0
    attributes: int = 0
    groups: int = 0
    reading: str = ""
    controls_removed: int = 0
    skipped: list[str] = field(default_factory=list)
    unsupported: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    batches: int = 0  # transactions it was written in (1: the caller's)
    longest_batch: float = 0.0  # seconds the longest of them held the write lock

    def lines(self) -> list[str]:
        lines = [
            f"{self.source}: {self.codes} codes (codebook version {self.codebook_version}), "
            f"{len(self.users)} new users, {len(self.transcripts)} transcripts, "
            f"{self.codings} codings, {self.memos} memos, {self.participants} participants "
            f"({self.attributes} typed attributes), {self.groups} transcript groups"
        ]
        if self.reading:
            lines.append(f"positions: {self.reading}")
        if self.controls_removed:
            lines.append(
                f"control characters removed: {self.controls_removed} (coding offsets adjusted)"
            )
        if self.batches > 1:
            lines.append(
                f"written in {self.batches} batches (the longest held the store "
                f"{self.longest_batch:.2f} s)"
            )
        lines += [f"skipped: {s}" for s in self.skipped]
        if self.unsupported:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.unsupported.items()))
            lines.append(f"not imported (qualcarto cannot hold them): {kinds}")
        return lines + [f"warning: {w}" for w in self.warnings]


def who(users: dict[str, str], guid: str) -> str:
    return users.get(guid) or FALLBACK_USER


@dataclass
class MemoToWrite:
    """A memo an import will write once its transcripts, codes and participants exist."""

    author: str
    text: str
    subject: Subject
    title: str = ""
    target: dict[str, Any] = field(default_factory=dict)


def write_memos(
    session: Session, memos: list[MemoToWrite], report: RefiImportReport, actor: str
) -> None:
    """Each memo as its author's (through ``add_memo_text``, which appends), counted."""
    authors = {
        user.name: user
        for user in session.scalars(select(User).where(User.name.in_({m.author for m in memos})))
    }
    for memo in memos:
        written = add_memo_text(
            session,
            authors[memo.author],
            memo.text,
            memo.subject,
            title=memo.title,
            actor=actor,
            **memo.target,
        )
        report.memos += written is not None

# SPDX-License-Identifier: MIT
"""What a REFI-QDA import did, converted and could not take; memo writing shared by its steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.memos import add_memo_text
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
        lines += [f"skipped: {s}" for s in self.skipped]
        if self.unsupported:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.unsupported.items()))
            lines.append(f"not imported (qualcarto cannot hold them): {kinds}")
        return lines + [f"warning: {w}" for w in self.warnings]


def who(users: dict[str, str], guid: str) -> str:
    return users.get(guid) or FALLBACK_USER


def write_memo(
    session: Session,
    author: str,
    text: str,
    subject: Any,
    report: RefiImportReport,
    actor: str,
    **target: Any,
) -> None:
    """``text`` as ``author``'s memo on the subject (through ``add_memo_text``), counted."""
    user = session.scalars(select(User).where(User.name == author)).one()
    if add_memo_text(session, user, text, subject, actor=actor, **target) is not None:
        report.memos += 1

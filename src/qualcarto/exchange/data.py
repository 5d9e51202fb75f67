# SPDX-License-Identifier: MIT
"""What an export reads from the store: one coding layer against one codebook version.

Every file format here starts from ``study_data``, so the workbook, the csv and the
graphs of one command describe exactly the same codings.

Memos travel with every export: ``memos`` holds the study's memos (only the chosen
coders' own when coders are chosen, as a blind coder exporting their layer), and
``codings_with_memos`` folds the notebook memos written about a coding into that coding's
``memo`` column, after the coder's own note.

The **consensus layer** is the codings of the user called ``consensus`` (kind
``reference``), which reconciliation creates; ``consensus=True`` selects it and fails
clearly while it does not exist. ``group`` narrows any layer to the transcripts of one
transcript group; ``StudyData.groups`` says which groups each transcript is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto import __version__
from qualcarto.codebook import Codebook, codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.media.playback import with_media_times
from qualcarto.memos import MEMO_COLUMNS, memos_frame
from qualcarto.store import Memo, Turn, User, current_project
from qualcarto.transcripts import transcripts_frame
from qualcarto.transcripts.groups import MEMBERSHIP_COLUMNS, group_transcripts, memberships_frame
from qualcarto.users import check_coders

CONSENSUS = "consensus"


@dataclass(frozen=True)
class StudyData:
    """The frames an export writes, and the facts its ``About`` sheet states."""

    project: str
    codebook_version: int
    codebook: Codebook
    codes: pd.DataFrame
    codings: pd.DataFrame
    transcripts: pd.DataFrame
    coders: list[str]
    layer: str
    left_out: int = 0
    # transcript id -> start offsets of its speaker turns (for the turn co-occurrence scope)
    turn_starts: dict[int, list[int]] = field(default_factory=dict)
    memos: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MEMO_COLUMNS))
    # coding id -> its notebook memos as "[memo N, author] text" paragraphs
    coding_memos: dict[int, str] = field(default_factory=dict)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # transcript_id, group: one row per transcript (of this export) in a transcript group
    groups: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MEMBERSHIP_COLUMNS))
    group: str | None = None  # the one transcript group this export is narrowed to

    @property
    def facets(self) -> list[str]:
        return list(self.codebook.facets)

    def about(self) -> list[tuple[str, str]]:
        """Label/value lines describing what the export holds and how it was made."""
        return [
            ("study", self.project),
            ("codebook version", str(self.codebook_version)),
            ("codebook", self.codebook.title),
            ("layer", self.layer),
            ("coders", ", ".join(self.coders) or "(none)"),
            ("transcript group", self.group or "(all transcripts)"),
            ("transcripts", str(len(self.transcripts))),
            ("codings", str(len(self.codings))),
            ("codings left out (code not in this version)", str(self.left_out)),
            ("generated at", self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("tool", f"qualcarto {__version__}"),
        ]


def study_data(
    session: Session,
    coders: Sequence[str] | None = None,
    *,
    consensus: bool = False,
    version: int | None = None,
    group: str | None = None,
) -> StudyData:
    """Gather one layer's codings (some coders, the consensus, or everyone) and a codebook.

    Codings whose code is not in the chosen version are dropped and counted in
    ``left_out``, so every table describes one codebook. ``group``: only the transcripts
    of that transcript group (and their codings).
    """
    if consensus and coders:
        raise ValidationError("choose either coders or the consensus layer, not both")
    if consensus:
        found = session.scalars(select(User).where(User.name == CONSENSUS)).first()
        if found is None:
            raise NotFoundError(
                f"no consensus layer yet: the coder '{CONSENSUS}' is created by reconciliation"
            )
        coders = [CONSENSUS]
    if coders:
        check_coders(session, coders)
    stored = get_version(session, version)
    codebook = version_codebook(stored)
    codes = codebook_frame(codebook)
    transcripts = transcripts_frame(session)
    members = memberships_frame(session)
    if group is not None:
        kept = set(group_transcripts(session, group))
        transcripts = transcripts[transcripts["transcript"].isin(kept)].reset_index(drop=True)
    codings = codings_frame(session, coders=list(coders) if coders else None)
    if group is not None:
        codings = codings[codings["transcript_id"].isin(transcripts["transcript_id"])]
        members = members[members["transcript_id"].isin(transcripts["transcript_id"])]
    inside = codings["code_id"].isin(codes["code_id"])
    codings = with_media_times(session, codings[inside].reset_index(drop=True))
    layer = CONSENSUS if consensus else (", ".join(coders) if coders else "all coders")
    turn_starts: dict[int, list[int]] = {}
    for transcript_id, start in session.execute(
        select(Turn.transcript_id, Turn.start).order_by(Turn.transcript_id, Turn.start)
    ):
        turn_starts.setdefault(transcript_id, []).append(start)
    memos = memos_frame(session)
    if coders and not consensus:
        memos = memos[memos["author"].isin(list(coders))].reset_index(drop=True)
    return StudyData(
        project=current_project(session).name,
        codebook_version=stored.number,
        codebook=codebook,
        codes=codes,
        codings=codings,
        transcripts=transcripts,
        coders=sorted(set(codings["coder"])) if not coders else list(coders),
        layer=layer,
        left_out=int((~inside).sum()),
        turn_starts=turn_starts,
        memos=memos,
        coding_memos=_coding_memos(session, set(memos["memo_id"])),
        groups=members.reset_index(drop=True),
        group=group,
    )


def _coding_memos(session: Session, shown: set[int]) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for memo_id, coding_id, author, text in session.execute(
        select(Memo.id, Memo.coding_id, User.name, Memo.text)
        .join(User, User.id == Memo.author_id)
        .where(Memo.subject == "coding", Memo.coding_id.is_not(None))
        .order_by(Memo.id)
    ):
        if memo_id in shown and text and coding_id is not None:
            found.setdefault(coding_id, []).append(f"[memo {memo_id}, {author}] {text}")
    return {coding_id: "\n\n".join(parts) for coding_id, parts in found.items()}


def codings_with_memos(data: StudyData) -> pd.DataFrame:
    """The codings with each one's notebook memos after the coder's own ``memo``."""
    if not data.coding_memos:
        return data.codings
    extra = data.codings["coding_id"].map(data.coding_memos).fillna("")
    own = data.codings["memo"].fillna("")
    joined = ["\n\n".join(part for part in (a, b) if part) for a, b in zip(own, extra, strict=True)]
    return data.codings.assign(memo=joined)

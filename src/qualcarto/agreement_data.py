# SPDX-License-Identifier: MIT
"""Gather what the agreement report needs from a store.

``qualcarto.agreement`` is a pure core that never sees a database; this service is the
seam between the two. :func:`agreement_data` reads the chosen coders' codings, the
transcript lengths and the codebook (for code names and facets, and to say under which
version(s) the codings were made). The tables are shaped by
``qualcarto.agreement.code_table`` and its siblings, with a ``ReportOptions``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.agreement import AgreementData, by_units, plain_errors, qa_pairs
from qualcarto.codebook import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, NothingToMeasureError, ValidationError
from qualcarto.store import Transcript, Turn, current_project
from qualcarto.transcripts.groups import group_transcripts
from qualcarto.users import check_coders


def agreement_data(
    session: Session,
    coders: Sequence[str],
    *,
    codebook_version: int | None = None,
    transcripts: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    group: str | None = None,
) -> AgreementData:
    """Read what the agreement of ``coders`` needs: their codings and the transcripts.

    ``codebook_version``: only codings made under that version (default: all, and the
    report names every version present). ``transcripts``: names of the transcripts to
    measure (default: every transcript of the study, coded or not; an uncoded
    transcript counts as agreement on "not coded" at the char and document units).
    ``codes``: only these codes (as MAXQDA, the segment kappa's K is then their number).
    ``group``: only the transcripts of that transcript group (with ``transcripts``, only
    those named that are in it).
    Unknown names, fewer than two coders, and a coder without codings in the selection
    are ``QualcartoError``\\ s with one line saying which.
    """
    chosen = tuple(coders)
    if len(chosen) < 2 or len(set(chosen)) != len(chosen):
        raise ValidationError(f"name at least two different coders, got {list(chosen)}")
    kinds = check_coders(session, chosen)
    if codebook_version is not None:
        get_version(session, codebook_version)  # a NotFoundError names the missing version
    project = current_project(session)
    stored = session.execute(
        select(Transcript.id, Transcript.name, Transcript.length).where(
            Transcript.project_id == project.id
        )
    ).all()
    if transcripts:
        known = {name for _, name, _ in stored}
        missing = [name for name in transcripts if name not in known]
        if missing:
            raise NotFoundError(f"no transcript called {', '.join(map(repr, missing))}")
        stored = [row for row in stored if row[1] in set(transcripts)]
    if group is not None:
        members = set(group_transcripts(session, group))
        stored = [row for row in stored if row[1] in members]
        if not stored:
            raise NothingToMeasureError(f"no transcripts to measure in group '{group}'")
        transcripts = [row[1] for row in stored]
    if not stored:
        raise NothingToMeasureError("the study has no transcripts to measure")
    frame = codings_frame(session, list(chosen), list(transcripts) if transcripts else None)
    if codebook_version is not None:
        frame = frame[frame["codebook_version"] == codebook_version]
    if codes:
        frame = frame[frame["code_id"].isin(list(codes))]
    where = _selection(codebook_version, None if group else transcripts, codes, group)
    idle = [name for name in chosen if not (frame["coder"] == name).any()]
    if idle:
        raise NothingToMeasureError(f"no codings by {', '.join(map(repr, idle))}{where}")
    book = version_codebook(get_version(session))
    return AgreementData(
        coders=chosen,
        coder_kinds={name: str(kinds[name]) for name in chosen},
        codings=frame.reset_index(drop=True),
        lengths={int(t): int(length) for t, _, length in stored},
        transcript_names={int(t): str(name) for t, name, _ in stored},
        codes=codebook_frame(book),
        facets=tuple(book.facets),
        codebook_versions=tuple(sorted(int(v) for v in frame["codebook_version"].unique())),
        version_filter=codebook_version,
        group=group,
    )


def _selection(
    version: int | None,
    transcripts: Sequence[str] | None,
    codes: Sequence[str] | None,
    group: str | None = None,
) -> str:
    parts = []
    if group is not None:
        parts.append(f"in transcript group '{group}'")
    if version is not None:
        parts.append(f"under codebook version {version}")
    if transcripts:
        parts.append(f"in transcript(s) {', '.join(transcripts)}")
    if codes:
        parts.append(f"with code(s) {', '.join(codes)}")
    return (" " + " ".join(parts)) if parts else ""


INTERVIEW_UNITS = {"turn": "speaker turn", "qa": "question-answer pair"}


def interview_unit_data(session: Session, data: AgreementData, kind: str) -> AgreementData:
    """``data`` with its transcripts cut into speaker turns (``"turn"``) or question-answer
    pairs (``"qa"``), to be measured at the document unit (Campbell et al. 2013).

    The interviewer is the first named speaker of each transcript (a heading without a
    speaker before it opens a unit of its own); a pair is an
    interviewer turn with the turns up to the next one. A transcript without turns is
    one unit.
    """
    if kind not in INTERVIEW_UNITS:
        raise ValidationError(f"unit must be one of {', '.join(INTERVIEW_UNITS)}, got {kind!r}")
    ids = [cast(int, t) for t in data.lengths]
    turns: dict[int, list[tuple[int, int, str | None]]] = {t: [] for t in ids}
    for tid, start, end, speaker in session.execute(
        select(Turn.transcript_id, Turn.start, Turn.end, Turn.speaker)
        .where(Turn.transcript_id.in_(ids))
        .order_by(Turn.transcript_id, Turn.start)
    ):
        turns[int(tid)].append((int(start), int(end), speaker))
    units: dict[Hashable, list[tuple[int, int]]] = {}
    for tid, rows in turns.items():
        if not rows:
            units[tid] = [(0, int(data.lengths[tid]))]
        elif kind == "turn":
            units[tid] = [(s, e) for s, e, _ in rows]
        else:
            asker = next((who for _, _, who in rows if who), None)
            units[tid] = qa_pairs([(s, e, who == asker) for s, e, who in rows])
    with plain_errors():
        codings, lengths = by_units(data.codings, units)
    names = {
        unit: f"{data.transcript_names[unit[0]]}#{unit[1] + 1}"  # type: ignore[index]
        for unit in lengths
    }
    return replace(
        data,
        codings=codings,
        lengths=lengths,
        transcript_names=names,
        unit_name=INTERVIEW_UNITS[kind],
        unit_parents={unit: data.transcript_names[unit[0]] for unit in lengths},  # type: ignore[index]
    )


UNITS = ("segment", "char", "document", *INTERVIEW_UNITS)


def unit_data(session: Session, data: AgreementData, unit: str) -> tuple[AgreementData, str]:
    """``data`` ready to be measured at ``unit``, and the unit of ``qualcarto.agreement``
    that measures it: ``"turn"`` and ``"qa"`` cut the transcripts into units
    (:func:`interview_unit_data`) measured at the document unit; the others are as given.
    """
    if unit in INTERVIEW_UNITS:
        return interview_unit_data(session, data, unit), "document"
    return data, unit


__all__ = ["INTERVIEW_UNITS", "UNITS", "agreement_data", "interview_unit_data", "unit_data"]

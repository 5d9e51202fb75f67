# SPDX-License-Identifier: MIT
"""Reconciliation: pair two coders' codings, list where they disagree, record the consensus.

Codings of the same code are paired by largest overlap. A pair with identical offsets
is an agreement; an overlapping pair with other offsets differs in its boundaries; an
unpaired coding is a code on one side only. The lead settles each unit (take A, take B,
both, edit, neither); the result is written as codings of the ``consensus`` layer (a
reference user), and each decision is a row plus an audit event naming the lead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.coding import add_coding, codings_frame
from qualcarto.duplicates import find_duplicate
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import Coding, ReconciliationDecision, User, record
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import get_user, require_lead

CONSENSUS = "consensus"
DECISIONS = ("take_a", "take_b", "both", "edit", "neither")
UNIT_COLUMNS = [
    "kind", "code_id", "a_id", "a_start", "a_end", "a_text",
    "b_id", "b_start", "b_end", "b_text", "decision",
]  # fmt: skip


def consensus_user(session: Session) -> User:
    """The reference user that owns consensus codings, created on first use."""
    found = session.scalars(select(User).where(User.name == CONSENSUS)).first()
    if found is None:
        found = User(
            name=CONSENSUS,
            role="coder",
            kind="reference",
            description="Consensus reached in reconciliation",
        )
        session.add(found)
        session.flush()
        record(session, "system", "user.add", "user", found.id, name=CONSENSUS, kind="reference")
    return found


def _pairs(a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[Any, Any]]:
    """Greedy pairing by overlap within each code; unpaired rows come back with None."""
    pairs: list[tuple[Any, Any]] = []
    for code in sorted(set(a["code_id"]) | set(b["code_id"])):
        left = [r for _, r in a[a["code_id"] == code].iterrows()]
        right = [r for _, r in b[b["code_id"] == code].iterrows()]
        candidates = sorted(
            (
                (min(x["end"], y["end"]) - max(x["start"], y["start"]), i, j)
                for i, x in enumerate(left)
                for j, y in enumerate(right)
                if min(x["end"], y["end"]) > max(x["start"], y["start"])
            ),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        used_l: set[int] = set()
        used_r: set[int] = set()
        for _, i, j in candidates:
            if i not in used_l and j not in used_r:
                used_l.add(i)
                used_r.add(j)
                pairs.append((left[i], right[j]))
        pairs += [(x, None) for i, x in enumerate(left) if i not in used_l]
        pairs += [(None, y) for j, y in enumerate(right) if j not in used_r]
    return pairs


def _decisions(
    session: Session, transcript_id: int
) -> dict[tuple[Any, Any], ReconciliationDecision]:
    query = (
        select(ReconciliationDecision)
        .where(ReconciliationDecision.transcript_id == transcript_id)
        .order_by(ReconciliationDecision.id)
    )
    return {(d.coding_a_id, d.coding_b_id): d for d in session.scalars(query)}


def units_frame(session: Session, transcript: str, coder_a: str, coder_b: str) -> pd.DataFrame:
    """Every unit of comparison between two coders on a transcript, with any decision taken.

    ``kind`` is ``agree``, ``boundaries``, ``only_a`` or ``only_b``; rows are in text order.
    Ids and offsets are nullable integers (``<NA>`` on the side without a coding).
    """
    doc = get_transcript(session, transcript)
    a = codings_frame(session, [coder_a], [doc.name])
    b = codings_frame(session, [coder_b], [doc.name])
    decided = _decisions(session, doc.id)
    rows = []
    for x, y in _pairs(a, b):
        if x is not None and y is not None:
            kind = "agree" if (x["start"], x["end"]) == (y["start"], y["end"]) else "boundaries"
        else:
            kind = "only_a" if y is None else "only_b"
        key = (
            None if x is None else int(x["coding_id"]),
            None if y is None else int(y["coding_id"]),
        )
        decision = decided.get(key)
        rows.append(
            {
                "kind": kind,
                "code_id": (x if x is not None else y)["code_id"],
                **_side("a", x),
                **_side("b", y),
                "decision": None if decision is None else decision.decision,
            }
        )
    integers = {c: "Int64" for c in ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end")}
    frame = pd.DataFrame(rows, columns=UNIT_COLUMNS).astype(integers)
    order = frame[["a_start", "b_start"]].min(axis=1)
    return frame.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def _side(label: str, row: Any) -> dict[str, Any]:
    if row is None:
        return {
            f"{label}_id": None,
            f"{label}_start": None,
            f"{label}_end": None,
            f"{label}_text": "",
        }
    return {
        f"{label}_id": int(row["coding_id"]),
        f"{label}_start": int(row["start"]),
        f"{label}_end": int(row["end"]),
        f"{label}_text": row["text"],
    }


def decide(
    session: Session,
    transcript: str,
    coding_a_id: int | None,
    coding_b_id: int | None,
    decision: str,
    actor: str,
    *,
    span: tuple[int, int] | None = None,
    comment: str = "",
) -> ReconciliationDecision:
    """Settle one unit as the lead; deciding a unit again replaces its consensus codings."""
    if decision not in DECISIONS:
        raise ValidationError(f"decision '{decision}' is not one of {DECISIONS}")
    require_lead(session, actor, "reconciles")
    doc = get_transcript(session, transcript)
    a, b = _coding(session, coding_a_id, doc.id), _coding(session, coding_b_id, doc.id)
    if a is None and b is None:
        raise ValidationError("a unit needs at least one coding")
    if decision == "edit" and span is None:
        raise ValidationError("an edited consensus needs its start and end")
    consensus = consensus_user(session)
    decided = _decisions(session, doc.id)
    previous = decided.get((coding_a_id, coding_b_id))
    if previous is not None:
        # A consensus coding another unit's decision also stands on stays.
        shared = {i for d in decided.values() if d is not previous for i in d.consensus_ids}
        for old in set(previous.consensus_ids) - shared:
            found = session.get(Coding, old)
            if found is not None:
                session.delete(found)
        session.flush()
    code = (a or b).code_id  # type: ignore[union-attr]
    spans: list[tuple[int, int]] = []
    if decision == "take_a" and a is not None:
        spans = [(a.start, a.end)]
    elif decision == "take_b" and b is not None:
        spans = [(b.start, b.end)]
    elif decision == "both":
        spans = sorted({(c.start, c.end) for c in (a, b) if c is not None})
    elif decision == "edit" and span is not None:
        spans = [span]
    elif decision in ("take_a", "take_b"):
        raise ValidationError(f"'{decision}': that side has no coding in this unit")
    # Two units may settle on the same consensus span: they share one coding, not two.
    made = [
        find_duplicate(session, doc.id, consensus.id, s, e, code)
        or add_coding(session, doc.id, s, e, code, CONSENSUS, origin="consensus")
        for s, e in spans
    ]
    row = ReconciliationDecision(
        transcript_id=doc.id,
        decided_by_id=get_user(session, actor).id,
        coder_a=a.coder.name if a is not None else "",
        coder_b=b.coder.name if b is not None else "",
        coding_a_id=coding_a_id,
        coding_b_id=coding_b_id,
        decision=decision,
        consensus_ids=[c.id for c in made],
        comment=comment,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "reconcile.decide",
        "transcript",
        doc.id,
        transcript=doc.name,
        coding_a=coding_a_id,
        coding_b=coding_b_id,
        decision=decision,
        code=code,
        consensus=[(c.start, c.end) for c in made],
        comment=comment,
    )
    return row


def accept_agreements(
    session: Session, transcript: str, coder_a: str, coder_b: str, actor: str
) -> int:
    """Copy every undecided exact agreement into the consensus; returns how many."""
    units = units_frame(session, transcript, coder_a, coder_b)
    todo = units[(units["kind"] == "agree") & units["decision"].isna()]
    for _, unit in todo.iterrows():
        decide(session, transcript, int(unit["a_id"]), int(unit["b_id"]), "take_a", actor)
    return len(todo)


def _coding(session: Session, coding_id: int | None, transcript_id: int) -> Coding | None:
    if coding_id is None:
        return None
    found = session.get(Coding, coding_id)
    if found is None or found.transcript_id != transcript_id:
        raise NotFoundError(f"coding {coding_id} is not in this transcript")
    return found

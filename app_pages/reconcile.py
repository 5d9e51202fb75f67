# SPDX-License-Identifier: MIT
"""Reconciliation: two coders side by side, disagreements first, the lead records consensus."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import codebook, keep_choices, md, reading, require_lead, store
from app_pages.reconcile_editor import EDITING, boundary_editor
from qualcarto.assignments import assigned_users
from qualcarto.coding import codings_frame
from qualcarto.errors import QualcartoError
from qualcarto.reconcile import CONSENSUS, accept_agreements, decide, units_frame
from qualcarto.transcripts import get_transcript, transcripts_frame
from qualcarto.users import coder_kinds, default_coders

lead = require_lead()
keep_choices("rec_transcript")
st.title("Reconcile")
KIND = {
    "agree": "agreement",
    "boundaries": "same code, other boundaries",
    "only_a": "only A",
    "only_b": "only B",
}
with reading() as session:
    names = list(transcripts_frame(session)["transcript"])
    book = codebook(session)
    kinds = coder_kinds(session)
    cols = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    name = cols[0].selectbox("Transcript", names, key="rec_transcript")
    doc = get_transcript(session, name)
    length = doc.length
    coders = sorted(set(codings_frame(session, transcripts=[name])["coder"]) - {CONSENSUS})
    assigned = assigned_users(session, doc.id, "code")
    # Machine layers such as 'auto' are compared only when the lead asks for them.
    machines = cols[3].toggle(
        "Machine layers",
        key="rec_machines",
        help="Also offer machine coders such as 'auto' as A or B.",
    )
    people = default_coders(kinds, coders)
    offered = people + [
        c for c in coders if c not in people and (machines or kinds.get(c) != "machine")
    ]
    default = [c for c in assigned if c in offered] + [c for c in offered if c not in assigned]
    if len(default) < 2:
        everyone = codings_frame(session, [c for c, k in kinds.items() if k == "human"])
        per = everyone[everyone["coder"] != CONSENSUS].groupby("transcript")["coder"].nunique()
        ready = [t for t in names if per.get(t, 0) >= 2]
        st.info(
            "Reconciliation needs two coders' codings of this transcript. "
            + (f"Two people have coded {md(', '.join(ready))}." if ready else "")
        )
        st.stop()
    a = cols[1].selectbox("Coder A", default, index=0, key="rec_a")
    b = cols[2].selectbox("Coder B", [c for c in default if c != a], index=0, key="rec_b")
    units = units_frame(session, name, a, b)


def _decide(a_id: int | None, b_id: int | None, decision: str, key: str) -> None:
    span = None
    if decision == "edit":
        editing = st.session_state.get(EDITING)
        if not editing or editing[0] != key:
            return
        span = (int(editing[3]), int(editing[4]))
        st.session_state.pop(EDITING, None)
    try:
        with store() as session:
            decide(session, name, a_id, b_id, decision, lead.name, span=span)
    except QualcartoError as exc:
        st.session_state["rec_flash"] = str(exc)


def _adjust(key: str, a_id: int | None, b_id: int | None, start: int, end: int) -> None:
    st.session_state[EDITING] = (key, a_id, b_id, start, end)


def _id(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _agreements() -> None:
    with store() as session:
        count = accept_agreements(session, name, a, b, lead.name)
    st.session_state["rec_flash"] = f"{count} agreements copied to the consensus."


counts = units["kind"].value_counts()
st.caption(
    " · ".join(f"{KIND[k]}: {counts.get(k, 0)}" for k in KIND)
    + f" · decided: {units['decision'].notna().sum()} of {len(units)}"
)
if flash := st.session_state.pop("rec_flash", None):
    st.info(md(flash))
st.button("Copy all exact agreements to the consensus", key="rec_agree", on_click=_agreements)
show = st.segmented_control(
    "Show", ["undecided disagreements", "all"], key="rec_show", default="undecided disagreements"
)
if show != "all":
    units = units[(units["kind"] != "agree") & units["decision"].isna()]
by_id = book.by_id()
for u in units.head(100).itertuples():
    a_id, b_id = _id(u.a_id), _id(u.b_id)
    key = f"rec_{a_id}_{b_id}"
    code = by_id[u.code_id].name if u.code_id in by_id else u.code_id
    with st.container(border=True):
        decided = f" · decided: **{u.decision}**" if isinstance(u.decision, str) else ""
        st.markdown(f"**{md(code)}** · :orange[{KIND[u.kind]}]{decided}")
        left, right = st.columns(2)
        for col, who, cid, start, end, text in (
            (left, a, a_id, u.a_start, u.a_end, u.a_text),
            (right, b, b_id, u.b_start, u.b_end, u.b_text),
        ):
            col.caption(
                f"{md(who)}: " + (f"{int(start)}–{int(end)}" if cid is not None else "not coded")
            )
            if cid is not None:
                col.text(text)
        c = st.columns([1, 1, 1, 1, 2, 2, 1], vertical_alignment="bottom")
        for col, decision, label in zip(
            c[:4],
            ("take_a", "take_b", "both", "neither"),
            ("Take A", "Take B", "Both", "Neither"),
            strict=True,
        ):
            col.button(
                label,
                key=f"{key}_{decision}",
                on_click=_decide,
                args=(a_id, b_id, decision, key),
                disabled=(decision == "take_a" and a_id is None)
                or (decision == "take_b" and b_id is None),
            )
        starts = [int(x) for x in (u.a_start, u.b_start) if _id(x) is not None]
        ends = [int(x) for x in (u.a_end, u.b_end) if _id(x) is not None]
        c[4].button(
            "Edit boundaries",
            key=f"{key}_adjust",
            on_click=_adjust,
            args=(key, a_id, b_id, min(starts), max(ends)),
        )
        editing = st.session_state.get(EDITING)
        if editing and editing[0] == key:
            boundary_editor(doc, key, (a_id, b_id), (editing[3], editing[4]), _decide)

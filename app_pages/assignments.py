# SPDX-License-Identifier: MIT
"""The lead's page: who codes and reviews which transcript, blind or open, and progress."""

from __future__ import annotations

import streamlit as st

from app_pages.common import md, reading, require_lead, store
from qualcarto.assignments import assign, assigned_users, progress_frame, unassign
from qualcarto.calibration import calibration_status
from qualcarto.study_settings import is_blind, set_blind
from qualcarto.transcripts import transcripts_frame
from qualcarto.users import list_users

lead = require_lead()
st.title("Assignments")
with reading() as session:
    blind = is_blind(session)
    transcripts = transcripts_frame(session)
    people = [u.name for u in list_users(session) if u.kind == "human"]
    current = {
        (int(t), task): assigned_users(session, int(t), task)
        for t in transcripts["transcript_id"]
        for task in ("code", "review")
    }
    progress = progress_frame(session)
    calibrated = calibration_status(session)

open_study = st.toggle(
    "Open the study: coders see each other's codings",
    not blind,
    key="assign_open",
    help="Blind double coding keeps each coder to their own codings until you open the study.",
)
if open_study == blind:
    with store() as session:
        set_blind(session, not open_study, lead.name)
    st.rerun()

st.subheader("Who codes what", anchor=False)
with st.form("assignments"):
    choices = {}
    for t in transcripts.itertuples():
        cols = st.columns([1, 3, 3])
        cols[0].markdown(f"**{md(t.transcript)}**")
        for col, task, label in ((cols[1], "code", "Coders"), (cols[2], "review", "Reviewers")):
            choices[(t.transcript, task)] = col.multiselect(  # named per row for screen readers
                f"{label} of {md(t.transcript)}",
                people,
                current[(int(t.transcript_id), task)],
                key=f"assign_{task}_{t.transcript}",
                label_visibility="collapsed",
                placeholder=label,
            )
    saved = st.form_submit_button("Save assignments", type="primary")
if saved:
    ids = dict(zip(transcripts["transcript"], transcripts["transcript_id"], strict=True))
    with store() as session:
        for (name, task), chosen in choices.items():
            before = set(current[(int(ids[name]), task)])
            for person in sorted(set(chosen) - before):
                assign(session, name, person, lead.name, task)
            for person in sorted(before - set(chosen)):
                unassign(session, name, person, lead.name, task)
    st.success("Assignments saved.")
    st.rerun()

st.subheader("Progress", anchor=False)
st.dataframe(
    progress,
    hide_index=True,
    column_config={"coverage": st.column_config.ProgressColumn("share coded", format="percent")},
)

st.subheader("Calibration", anchor=False)
if len(calibrated):
    st.dataframe(calibrated, hide_index=True, key="assign_calibration")
else:
    st.caption("No coder has been checked against a standard yet (Calibration page).")

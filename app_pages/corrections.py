# SPDX-License-Identifier: MIT
"""The lead's page: correct a transcript's text (ASR errors, names) without losing codings."""

from __future__ import annotations

import streamlit as st

from app_pages.common import md, pick_transcript, reading, require_lead, store
from qualcarto.errors import QualcartoError
from qualcarto.transcripts import get_transcript
from qualcarto.transcripts.corrections import correct_transcript
from qualcarto.transcripts.flags import flagged_codings

lead = require_lead()
st.title("Correct a transcript")
st.caption(
    "Codings move with the text. A coding whose whole text you delete stays, flagged for "
    "review below. To name a speaker, start a turn's paragraph with the name and a colon (Ana: …)."
)
name = pick_transcript("correct_transcript")
with reading() as session:
    doc = get_transcript(session, name)
    text, checksum = doc.text, doc.checksum
    flags = flagged_codings(session, name)
edited = st.text_area("Text", text, height=420, key=f"correct_text_{name}_{checksum[:12]}")
if st.button("Save correction", key="correct_save", disabled=edited == text, type="primary"):
    try:
        with store() as session:
            report = correct_transcript(
                session, name, edited, lead.name, expected_checksum=checksum
            )
    except QualcartoError as exc:
        st.error(md(str(exc)))
    else:
        st.session_state["correct_flash"] = report.summary()
        st.rerun()
if flash := st.session_state.pop("correct_flash", None):
    st.success(md(flash))
if not flags.empty:
    st.subheader("Flagged for review")
    st.dataframe(flags, hide_index=True, key="correct_flags")

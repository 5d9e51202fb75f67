# SPDX-License-Identifier: MIT
"""The lead's page: find names to pseudonymise, and replace them with a key file kept elsewhere."""

from __future__ import annotations

import streamlit as st

from app_pages.common import download, reading, require_lead, store
from qualcarto.errors import QualcartoError
from qualcarto.pseudonyms import name_candidates, parse_key, pseudonymise

lead = require_lead()
st.title("Pseudonyms")
st.caption(
    "The key (real name → pseudonym) stays in your csv file: it is read for one replacement "
    "and never stored. Codings move with the text. For a shareable copy that leaves this "
    "study as it is, use the command qualcarto pseudonymise with --map and --copy (docs/recordings.md)."
)
if flash := st.session_state.pop("pseudonyms_flash", None):
    (st.success if flash[0] else st.error)(flash[1])

if st.button("Find candidate names", key="pseudonyms_find"):
    with reading() as session:
        st.session_state["pseudonyms_candidates"] = name_candidates(session)
candidates = st.session_state.get("pseudonyms_candidates")
if candidates is not None:
    st.dataframe(candidates, hide_index=True, key="pseudonyms_table")
    template = candidates[["name"]].assign(pseudonym="").to_csv(index=False)
    download(
        "Download as a key file to fill in",
        template,
        file_name="names.csv",
        mime="text/csv",
        key="pseudonyms_template",
    )

st.subheader("Replace names in this study")
upload = st.file_uploader("Key file (csv: name,pseudonym)", type=["csv"], key="pseudonyms_key")
confirmed = st.checkbox(
    "I understand this changes every transcript of this study", key="pseudonyms_confirm"
)
if st.button("Replace", key="pseudonyms_apply", disabled=upload is None or not confirmed):
    assert upload is not None
    try:
        key = parse_key(upload.getvalue().decode("utf-8-sig"), upload.name)
        with store() as session:
            report = pseudonymise(session, key, lead.name)
    except (QualcartoError, UnicodeDecodeError) as exc:
        st.session_state["pseudonyms_flash"] = (False, str(exc))
    else:
        st.session_state["pseudonyms_flash"] = (True, report.summary())
    st.rerun()

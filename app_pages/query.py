# SPDX-License-Identifier: MIT
"""Query codings with the code-query language: hits with context, a crosstab, saved queries."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    download,
    group_filter,
    keep_choices,
    marked,
    md,
    reading,
    require_user,
    store,
)
from qualcarto.errors import QualcartoError
from qualcarto.exchange.csv_safe import spreadsheet_safe
from qualcarto.queries import answer_query, get_saved_query, save_query, saved_queries
from qualcarto.query import hit_crosstab
from qualcarto.transcripts.frames import transcripts_frame
from qualcarto.transcripts.groups import list_groups
from qualcarto.wording import counted

user = require_user()
keep_choices("query_saved", "query_text")
st.title("Query")
# Plain text: inline code in a caption is drawn at 3:1 contrast (axe, docs/accessibility.md).
st.caption(
    "Combine codes, e.g. a AND b, a NEAR/200 b, or stage:pre-training AND NOT x WITHIN turn "
    'WHERE organization_type = "Company". See docs/queries.md.'
)
with reading() as session:
    saved = saved_queries(session)
    attributes = [
        c
        for c in transcripts_frame(session).columns
        if c not in ("transcript_id", "transcript", "length")
    ]
    groups = list_groups(session)

choice = st.selectbox("Saved queries", ["", *saved["name"].unique()], key="query_saved")
if choice and st.session_state.get("query_loaded") != choice:
    with reading() as session:
        st.session_state["query_text"] = get_saved_query(session, choice)[0]
    st.session_state["query_loaded"] = choice
text = st.text_area("Query", key="query_text", height=80)
by = st.selectbox("Count hits by", attributes, key="query_by")
group = group_filter(groups, "query_group")

if text.strip():
    try:
        with reading() as session:
            hits = answer_query(session, text, viewer=user.name, group=group)
            table = hit_crosstab(hits, transcripts_frame(session), by) if by else None
    except QualcartoError as exc:
        st.error(md(str(exc)))
        st.stop()
    st.caption(counted(len(hits), "hit"))
    if table is not None and len(hits):
        st.dataframe(table, key="query_crosstab")
    for i, hit in enumerate(hits.head(200).itertuples()):
        with st.container(border=True, key=f"query_hit_{i}"):
            st.caption(
                md(
                    f"{hit.transcript} · {hit.participant_id} · {hit.coder} · "
                    f"{hit.start}–{hit.end} · {hit.codes}"
                )
            )
            st.text(marked(f"…{hit.left}", hit.text, f"{hit.right}…"))
    if len(hits) > 200:
        st.caption("Showing the first 200 hits; the CLI writes them all: qualcarto query.")
    download(
        "Download hits (csv)",
        spreadsheet_safe(hits).to_csv(index=False),
        "hits.csv",
        mime="text/csv",
        key="query_download",
    )
    with st.form("query_save_form"):
        name = st.text_input("Save as", key="query_save_name")
        if st.form_submit_button("Save query") and name.strip():
            try:
                with store() as session:
                    save_query(session, name, text, user.name)
                st.success(md(f"Saved '{name}'."))
            except QualcartoError as exc:
                st.error(md(str(exc)))

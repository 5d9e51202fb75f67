# SPDX-License-Identifier: MIT
"""The lead's page: transcript groups (a wave, a site, a REFI-QDA document set) to filter by."""

from __future__ import annotations

import streamlit as st

from app_pages.common import md, reading, require_lead, store
from qualcarto.errors import QualcartoError
from qualcarto.transcripts import transcripts_frame
from qualcarto.transcripts.groups import (
    delete_group,
    edit_group,
    groups_table,
    list_groups,
    set_members,
)

NEW = "New group…"
NEXT = "groups_next"  # (group to show, message) after a save or a delete, set before a rerun

lead = require_lead()
st.title("Transcript groups")
st.caption(
    "A group is a named set of transcripts. The Code, Query and Exports pages, "
    'queries (WHERE group = "wave 1") and qualcarto agreement --group filter by it.'
)
with reading() as session:
    table = groups_table(session)
    members = list_groups(session)
    names = list(transcripts_frame(session)["transcript"])

if table.empty:
    st.info("No transcript groups yet: make one below.")
else:
    st.dataframe(table, hide_index=True, key="groups_table")

if NEXT in st.session_state:
    st.session_state["groups_chosen"], message = st.session_state.pop(NEXT)
    st.success(md(message))
chosen = st.selectbox("Group", [NEW, *members], key="groups_chosen")
current = members.get(chosen, [])
described = table.set_index("group")["description"].to_dict() if len(table) else {}
with st.form(f"groups_form_{chosen}"):
    name = st.text_input("Name", "" if chosen == NEW else chosen, key=f"groups_name_{chosen}")
    description = st.text_input(
        "Description", described.get(chosen, ""), key=f"groups_description_{chosen}"
    )
    picked = st.multiselect("Transcripts", names, current, key=f"groups_members_{chosen}")
    saved = st.form_submit_button("Save group", type="primary")
if saved:
    try:
        with store() as session:
            if chosen != NEW and name.strip() != chosen:
                edit_group(session, chosen, new_name=name, actor=lead.name)
            set_members(session, name, picked, description=description, actor=lead.name)
    except QualcartoError as exc:
        st.error(md(str(exc)))
    else:
        kept = " ".join(name.split())
        st.session_state[NEXT] = (kept, f"Saved group '{kept}' with {len(picked)} transcript(s).")
        st.rerun()

if chosen != NEW and st.button("Delete this group", key="groups_delete"):
    with store() as session:
        delete_group(session, chosen, actor=lead.name)
    st.session_state[NEXT] = (NEW, f"Deleted group '{chosen}'; its transcripts stay.")
    st.rerun()

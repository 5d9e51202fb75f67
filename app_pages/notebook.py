# SPDX-License-Identifier: MIT
"""The research notebook: search and read memos, follow their links, edit your own, add new ones."""

from __future__ import annotations

import streamlit as st

from app_pages.common import codebook, md, reading, require_user, store
from app_pages.memo_view import backlinks_box, link_list, memo_card, memo_editor, memo_label
from qualcarto.assignments import openable_transcripts
from qualcarto.backlinks import backlinks
from qualcarto.errors import QualcartoError
from qualcarto.memos import SUBJECTS, memos_frame, search_memos, write_memo
from qualcarto.wording import counted

user = require_user()
st.title("Notebook")
st.caption(
    "Memos on transcripts, codes, codings, participants and the study. Link them in the "
    "text: [[I3:681-801]] (a passage), [[code:ID]], [[memo:N]], [[transcript:I3]], [[coding:N]]."
)
words = st.text_input("Search memos", key="notes_search").strip()
with reading() as session:
    shown = search_memos(session, words, user.name) if words else memos_frame(session, user.name)
    transcripts = openable_transcripts(session, user.name)  # what a new memo may be about
    codes = {c.id: c.name for c in codebook(session).codes if c.active}

read_tab, new_tab = st.tabs(["Read and edit", "New memo"])

with read_tab:
    kind = st.selectbox("Kind", ["all", *SUBJECTS], key="notes_kind")
    if kind != "all":
        shown = shown[shown["subject"] == kind].reset_index(drop=True)
    st.caption(counted(len(shown), "memo") + (" found" if words else ""))
    if not len(shown) and not words and kind == "all":
        st.info("No memos yet: write the first one in the New memo tab.")
    if len(shown):
        labels = {int(r.memo_id): memo_label(r) for r in shown.itertuples()}
        chosen = st.selectbox(
            "Memo", list(labels), format_func=lambda i: labels[i], key="notes_open"
        )
        row = next(r for r in shown.itertuples() if r.memo_id == chosen)
        memo_card(row)
        link_list(row.text, key=f"notes_link_{chosen}")
        with reading() as session:
            linking = backlinks(session, memo=int(chosen), viewer=user.name)
        backlinks_box(linking)
        if row.author == user.name:
            with st.expander("Edit this memo"):
                memo_editor(row, user.name, key="notes_edit")


def _add() -> None:
    state = st.session_state
    subject = state["new_subject"]
    about = state.get(f"new_about_{subject}")
    keyword = {"transcript": "transcript", "code": "code_id", "participant": "participant"}
    where = {keyword[subject]: about} if subject in keyword else {}
    if subject == "coding":
        where = {"coding_id": int(about or 0)}
    try:
        with store() as session:
            memo = write_memo(
                session,
                user.name,
                state["new_text"],
                subject=subject,
                title=state["new_title"],
                **where,
            )
            state["notes_flash"] = (True, f"memo {memo.id} saved")
        state["new_text"], state["new_title"] = "", ""
    except QualcartoError as exc:
        state["notes_flash"] = (False, str(exc))


with new_tab:
    subject = st.selectbox("About", SUBJECTS[::-1], key="new_subject")
    if subject == "transcript":
        st.selectbox("Transcript", transcripts, key="new_about_transcript")
    elif subject == "code":
        st.selectbox("Code", list(codes), format_func=lambda c: codes[c], key="new_about_code")
    elif subject == "coding":
        st.number_input("Coding number", min_value=1, step=1, key="new_about_coding")
    elif subject == "participant":
        st.text_input("Participant", key="new_about_participant")
    st.text_input("Title", key="new_title")
    st.text_area("Text", key="new_text", height=200)
    st.button("Add memo", key="new_add", type="primary", on_click=_add)
    if flash := st.session_state.pop("notes_flash", None):
        (st.success if flash[0] else st.error)(md(flash[1]))

# SPDX-License-Identifier: MIT
"""The lead's speaker step: name the speakers of turns, merge two turns, split one at a sentence."""

from __future__ import annotations

import streamlit as st

from app_pages.common import pick_transcript, reading, require_lead, store
from qualcarto.errors import QualcartoError
from qualcarto.transcripts.speakers import (
    merge_with_next,
    name_speakers,
    sentences_list,
    split_at_sentence,
    turns_frame,
)

lead = require_lead()
st.title("Speakers")
st.caption(
    "Transcribed turns are split where nobody speaks and carry no speaker: name them here "
    "before coding. Only the turns change; the text and every coding stay as they are."
)
name = pick_transcript("speakers_transcript")
with reading() as session:
    turns = turns_frame(session, name)
    sentences = sentences_list(session, name)


def _run(action: object, *args: object) -> None:
    try:
        with store() as session:
            action(session, name, *args, lead.name)  # type: ignore[operator]
    except QualcartoError as exc:
        st.session_state["speakers_flash"] = (False, str(exc))
    else:
        st.session_state["speakers_flash"] = (True, "saved")


if flash := st.session_state.pop("speakers_flash", None):
    (st.success if flash[0] else st.error)(flash[1])
edited = st.data_editor(
    turns,
    key=f"speakers_table_{name}",
    hide_index=True,
    disabled=["turn", "media_start", "media_end", "words"],
    column_config={"speaker": st.column_config.TextColumn("speaker", max_chars=200)},
)
changes = {
    int(t): str(s)
    for t, s, old in zip(edited["turn"], edited["speaker"], turns["speaker"], strict=True)
    if s != old
}
st.button(
    "Save speaker names",
    key="speakers_save",
    disabled=not changes,
    on_click=_run,
    args=(name_speakers, changes),
)
left, right = st.columns(2)
merge = left.selectbox(
    "Merge turn with the next one", list(turns["turn"])[:-1], key="speakers_merge"
)
left.button(
    "Merge",
    key="speakers_merge_go",
    disabled=merge is None,
    on_click=_run,
    args=(merge_with_next, merge),
)
splittable = [s for s in sentences if s[0] > 0 and sentences[s[0] - 1][1] == s[1]]
split = right.selectbox(
    "Start a new turn at sentence",
    splittable,
    format_func=lambda s: f"{s[0]} (turn {s[1]}): {s[2]}",
    key="speakers_split",
)
right.button(
    "Split",
    key="speakers_split_go",
    disabled=split is None,
    on_click=_run,
    args=(split_at_sentence, split[0] if split else 0),
)

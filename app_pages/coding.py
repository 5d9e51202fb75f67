# SPDX-License-Identifier: MIT
"""The coding page: read a transcript, select a span with the mouse, apply codes, edit, undo."""

from __future__ import annotations

import streamlit as st

from app_pages import coding_actions as act
from app_pages.code_picker import code_picker
from app_pages.coding_editor import coding_editor, transcript_memo
from app_pages.common import md, require_user, store
from app_pages.media_player import media_folder, media_player, time_note
from app_pages.span_selector import Mark, build_pieces, span_selector
from qualcarto.assignments import assigned_transcripts
from qualcarto.codebook import get_version, version_codebook
from qualcarto.coding import codings_frame, get_transcript, visible_coders
from qualcarto.media.playback import transcript_recording
from qualcarto.transcripts import transcripts_frame

user = require_user()
with store() as session:
    everything = transcripts_frame(session)
    mine = assigned_transcripts(session, user.name)
    book = version_codebook(get_version(session))
    others_visible = visible_coders(session, user.name) is None
if everything.empty:
    st.info("No transcripts yet: the lead imports them with `qualcarto import FOLDER`.")
    st.stop()
names = mine if mine and not user.is_lead else list(everything["transcript"])
info = everything.set_index("transcript")

linked = st.query_params.get("transcript")
if linked in names and "code_transcript" not in st.session_state:
    st.session_state["code_transcript"] = linked  # a link such as ?transcript=I8 opens it
top = st.columns([2, 3, 2], vertical_alignment="bottom")
name = top[0].selectbox("Transcript", names, key="code_transcript")
row = info.loc[name]
extras = {k: v for k, v in row.items() if k not in ("transcript_id", "length") and v}
top[1].caption(" · ".join(f"**{md(k)}**: {md(v)}" for k, v in extras.items()))
top[2].segmented_control(
    "Snap selection to", ["exact", "word", "sentence"], key="code_snap", default="exact"
)

with store() as session:
    doc = get_transcript(session, name)
    text, labels = doc.text, [(t.start, t.body_start) for t in doc.turns if t.speaker]
    shown = [user.name]
    if others_visible:
        coders = sorted(set(codings_frame(session, transcripts=[name])["coder"]) - {user.name})
        shown += st.sidebar.multiselect("Also show codings of", coders, key="code_others")
    codings = codings_frame(session, shown, [name], viewer=user.name)
    folder = media_folder()
    recording = transcript_recording(session, name, folder) if folder else None

by_id = book.by_id()
marks = [
    Mark(
        int(r.coding_id),
        int(r.start),
        int(r.end),
        by_id[r.code_id].color if r.code_id in by_id else None,
        (by_id[r.code_id].name if r.code_id in by_id else r.code_id)
        + ("" if r.coder == user.name else f" ({r.coder})")
        + time_note(recording, int(r.start), int(r.end)),
    )
    for r in codings.itertuples()
]
pending = st.session_state.get(act.PENDING)
pending = pending if pending and pending[0] == name else None

flash = st.session_state.pop(act.FLASH, None)
if flash:
    (st.success if flash[0] else st.error)(flash[1])

left, right = st.columns([3, 2], gap="medium")
with left:
    if recording:
        media_player(recording, text, key="code_player")
    span_selector(
        text,
        build_pieces(len(text), marks, labels, pending[1:] if pending else None),
        key=act.SELECTOR,
        on_selection=lambda: act.on_selection(name, user.name),
        on_click=act.on_click,
    )
    st.caption(
        f"{len(codings[codings['coder'] == user.name])} of your codings · {len(text):,} characters"
        " · drag to select, click a highlight to edit it"
    )
with right:
    if pending:
        excerpt = text[pending[1] : pending[2]]
        st.markdown(f"**Selected** {pending[1]}–{pending[2]}{time_note(recording, *pending[1:])}")
        st.text(excerpt if len(excerpt) < 400 else excerpt[:400] + " …")
    else:
        st.caption("Select a passage in the transcript to code it.")
    code_picker(book, user.name, pending is not None)
    undo = st.session_state.get(act.UNDO)
    st.button(
        f"Undo last {undo[0]}" if undo else "Undo",
        key="undo",
        on_click=act.undo,
        args=(user.name,),
        disabled=undo is None,
    )
    clicked = [i for i in st.session_state.get(act.CLICKED, []) if i in set(codings["coding_id"])]
    if clicked:
        coding_editor(codings[codings["coding_id"].isin(clicked)], book, user.name)
    transcript_memo(name, user.name)

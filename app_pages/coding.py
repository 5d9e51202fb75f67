# SPDX-License-Identifier: MIT
"""The coding page: read a transcript, select a span, apply codes by mouse or key, edit, undo."""

from __future__ import annotations

import streamlit as st

from app_pages import coding_actions as act
from app_pages.code_picker import code_picker, code_tree
from app_pages.coding_editor import coding_editor, transcript_memo
from app_pages.common import codebook, keep_choices, md, names_in_group, reading, require_user
from app_pages.media_player import media_folder, media_player, time_note
from app_pages.span_selector import Mark, View, build_marks, build_pieces, span_selector
from qualcarto.assignments import is_done, openable_transcripts
from qualcarto.coding import code_counts, codings_frame
from qualcarto.media.playback import transcript_recording
from qualcarto.selection import get_memo
from qualcarto.study_settings import visible_coders
from qualcarto.transcripts import get_transcript, transcripts_frame
from qualcarto.transcripts.groups import list_groups

user = require_user()
keep_choices("code_transcript")  # back on the Code page, on the transcript you left
with reading() as session:
    everything = transcripts_frame(session)
    names = openable_transcripts(session, user.name)
    others_visible = visible_coders(session, user.name) is None
    names = names_in_group(list_groups(session), names, "code_group")
    act.open_link(names)  # a link or a reload: ?t=I3&at=8124 opens I3 there
    name = st.session_state.get("code_transcript")
    name = name if name in names else (names[0] if names else None)
    if name is not None:
        book = codebook(session)
        doc = get_transcript(session, name)
        text, labels = doc.text, [(t.start, t.body_start) for t in doc.turns if t.speaker]
        if others_visible:  # one query for everyone's codings here, then keep those shown
            here = codings_frame(session, transcripts=[name])
            coders = sorted(set(here["coder"]) - {user.name})
            shown = [
                user.name,
                *(c for c in st.session_state.get("code_others", []) if c in coders),
            ]
            codings = here[here["coder"].isin(shown)].reset_index(drop=True)
        else:
            coders, codings = [], codings_frame(session, [user.name], [name], viewer=user.name)
        study_counts = code_counts(session, sorted(set(codings["coder"]) | {user.name}))
        memo, done = get_memo(session, doc, user.name), is_done(session, name, user.name)
        folder = media_folder()
        recording = transcript_recording(session, name, folder) if folder else None
if not names:
    st.info("No transcripts for you yet: the lead imports them and assigns them on Assignments.")
    st.stop()
info = everything.set_index("transcript")


top = st.columns([2, 3, 2], vertical_alignment="bottom")
top[0].selectbox("Transcript", names, key="code_transcript", on_change=act.on_switch)
if others_visible:
    st.sidebar.multiselect("Also show codings of", coders, key="code_others")
row = info.loc[name]
extras = {k: v for k, v in row.items() if k not in ("transcript_id", "length") and v}
top[1].caption(" · ".join(f"**{md(k)}**: {md(v)}" for k, v in extras.items()))
top[2].segmented_control(
    "Snap selection to", ["exact", "word", "sentence"], key="code_snap", default="exact"
)

by_id = book.by_id()
marks = [
    Mark(
        int(r.coding_id),
        int(r.start),
        int(r.end),
        by_id[r.code_id].color if r.code_id in by_id else None,
        ("" if r.coder == user.name else f"{r.coder}: ")  # the coder first: a stripe
        + (by_id[r.code_id].name if r.code_id in by_id else r.code_id)  # cuts its label
        + time_note(recording, int(r.start), int(r.end)),
    )
    for r in codings.itertuples()
]
pending = st.session_state.get(act.PENDING)
pending = pending if pending and pending[0] == name and pending[2] <= len(text) else None
ids = set(codings["coding_id"])
clicked = [i for i in st.session_state.get(act.CLICKED, []) if i in ids]
own = codings[codings["coding_id"].isin(clicked) & (codings["coder"] == user.name)]
active = (
    (int(own.iloc[0].coding_id), int(own.iloc[0].start), int(own.iloc[0].end)) if len(own) else None
)

flash_box = st.empty()  # always drawn, so the page's layout (and the pane) never shifts
if flash := st.session_state.pop(act.FLASH, None):
    (flash_box.success if flash[0] else flash_box.error)(md(flash[1]))

jump = st.session_state[act.JUMP]
left, right = st.columns([3, 2], gap="medium")
with left:
    if recording:
        media_player(recording, text, key="code_player")
    span_selector(
        text,
        build_pieces(len(text), marks, labels, pending[1:] if pending else None),
        key=act.SELECTOR,
        view=View(name, jump[1] if jump[0] == name else None, jump[2] if jump[0] == name else ""),
        marks=build_marks(marks),
        stripes=st.session_state.get("code_margin", True),
        active=active,
        address=True,
        callbacks={
            "selection": lambda: act.on_selection(name, user.name),
            "clicked": act.on_click,
            "boundary": lambda: act.on_boundary(user.name),
            "shortcut": lambda: act.on_key(name, user.name),
        },
    )
    st.caption(
        f"{len(codings[codings['coder'] == user.name])} of your codings · {len(text):,} characters"
        " · drag to select, click a highlight or stripe to edit it, press ? for keys"
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
        help="Ctrl+Z (⌘Z) in the transcript",
    )
    if clicked:
        coding_editor(codings[codings["coding_id"].isin(clicked)], book, user.name)
    code_tree(book, codings, study_counts)
    st.toggle("Coding stripes in the margin", True, key="code_margin")
    transcript_memo(name, user.name, memo, done)

# SPDX-License-Identifier: MIT
"""Edit the codings under a click (code, boundaries, memo, delete) and the transcript memo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import coding_actions as act
from app_pages.common import md, reading, store
from app_pages.memo_view import backlinks_box
from qualcarto.assignments import mark_done
from qualcarto.backlinks import backlinks
from qualcarto.codebook import Codebook
from qualcarto.coding import coding_snapshot
from qualcarto.errors import QualcartoError
from qualcarto.selection import set_memo
from qualcarto.transcripts import get_transcript


def coding_editor(codings: pd.DataFrame, book: Codebook, user: str) -> None:
    """One expander per clicked coding; only the coder's own codings can be changed."""
    by_id = book.by_id()
    leaves = [c.id for c in book.leaves()]
    with reading() as session:
        linking = {
            int(i): backlinks(session, coding=int(i), viewer=user) for i in codings["coding_id"]
        }
    for row in codings.itertuples():
        code = by_id.get(row.code_id)
        title = f"{code.name if code else row.code_id} · {row.start}–{row.end}"
        with st.expander(md(title), expanded=True):
            st.text(row.text if len(row.text) < 300 else row.text[:300] + " …")
            backlinks_box(linking[int(row.coding_id)], folded=False)
            if row.coder != user:
                st.caption(f"Coded by {md(row.coder)}; only they can change it.")
                continue
            cid = int(row.coding_id)
            if f"edit_version_{cid}" not in st.session_state:  # the version this tab shows
                with reading() as session:
                    version = coding_snapshot(session, cid)["row_version"]
                st.session_state[f"edit_version_{cid}"] = version
            options = leaves if row.code_id in leaves else [row.code_id, *leaves]
            st.selectbox(
                "Code",
                options,
                index=options.index(row.code_id),
                key=f"edit_code_{cid}",
                format_func=lambda c: by_id[c].name if c in by_id else c,
            )
            st.caption(
                "Move its boundaries: drag the blue handles in the transcript, Shift+click "
                "the text, or select the new span and use it."
            )
            st.text_area("Memo", row.memo, key=f"edit_memo_{cid}", height=80)
            cols = st.columns(3)
            cols[0].button("Save", key=f"save_{cid}", on_click=act.save_fields, args=(user, cid))
            cols[1].button(
                "Use selection as boundaries",
                key=f"span_{cid}",
                on_click=act.edit,
                args=(user, cid),
                kwargs={"span": True},
            )
            cols[2].button("Delete", key=f"delete_{cid}", on_click=act.delete, args=(user, cid))


def transcript_memo(name: str, user: str, memo: str, done: bool | None) -> None:
    """The coder's memo on the whole transcript, and 'I am done with it'.

    The memo as this tab first showed it is kept, and a save checks the store still holds
    it: a second tab's save is never silently overwritten by a stale one.
    """
    seen = st.session_state.setdefault(f"memo_seen_{name}", memo)
    with reading() as session:
        linking = backlinks(session, transcript=name, viewer=user)
    with st.expander("Memo on this transcript", expanded=bool(memo)):
        text = st.text_area("Memo", memo, key=f"memo_{name}", label_visibility="collapsed")
        if st.button("Save memo", key="save_memo"):
            try:
                with store() as session:
                    set_memo(session, get_transcript(session, name), user, text, expected=seen)
            except QualcartoError as exc:
                st.error(md(str(exc)))
            else:
                st.session_state[f"memo_seen_{name}"] = text
                st.toast("Memo saved.")
        backlinks_box(linking, "Memos linking into this transcript", folded=False)
    label = "I have finished coding this transcript"
    if done is not None and st.toggle(label, done, key=f"done_{name}") != done:
        with store() as session:
            mark_done(session, name, user, not done)
        st.rerun()

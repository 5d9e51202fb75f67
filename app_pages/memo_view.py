# SPDX-License-Identifier: MIT
"""Memos on screen: one memo as plain text, the backlinks under a thing, the memo editor.

A memo's text is shown with ``st.text``, never as Markdown: what a coder typed (``**``,
``<b>``, a link) is shown as typed. Editing keeps the ``row_version`` the editor opened
with, so a save from a stale tab is refused instead of overwriting a newer text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import CODE_JUMP, CODE_PAGE, md, store
from qualcarto.errors import QualcartoError
from qualcarto.memos import LinkRef, write_memo, written_links

CODEBOOK_PAGE = "app_pages/codebook.py"


def memo_label(row: Any) -> str:
    """'memo 12 · title or subject · author', as plain words (for lists and selectboxes)."""
    about = row.title or (
        f"on {row.subject} {row.about}" if row.subject != "project" else "study note"
    )
    return f"memo {row.memo_id} · {about} · {row.author}"


def memo_card(row: Any) -> None:
    """One memo: who wrote it about what and when, then its text exactly as written."""
    when = str(row.updated_at)[:16]
    st.caption(md(f"{memo_label(row)} · {when}"))
    st.text(row.text)


def backlinks_box(
    frame: pd.DataFrame, label: str = "Memos linking here", folded: bool = True
) -> None:
    """The memos that link to what is on screen; ``folded`` puts them in an expander
    (inside another expander, where Streamlit allows none, they are listed under a caption).
    """
    if not len(frame):
        return
    title = f"{label} ({len(frame)})"
    if folded:
        with st.expander(title):
            for row in frame.itertuples():
                memo_card(row)
        return
    st.markdown(f"**{title}**")
    for row in frame.itertuples():
        memo_card(row)


def _opens(link: LinkRef) -> tuple[str, dict[str, str]] | None:
    """The page (and its query) a link opens: a passage or transcript the Code page there,
    a code the Codebook page at that code; other links open nothing."""
    if link.transcript is not None:
        at = {"at": str(link.start)} if link.start is not None else {}
        to = {"to": str(link.end)} if link.start is not None and link.end is not None else {}
        return CODE_PAGE, {"t": link.transcript, **at, **to}
    if link.kind == "code":
        return CODEBOOK_PAGE, {"code": link.target}
    return None


def link_list(text: str, key: str) -> None:
    """A memo's links as text, each with an Open button where it leads to a page."""
    links = written_links(text)
    if not links:
        return
    st.caption("Links in this memo")
    for n, link in enumerate(links):
        cols = st.columns([3, 1], vertical_alignment="center")
        cols[0].text(f"[[{link.target if link.kind == 'span' else f'{link.kind}:{link.target}'}]]")
        opens = _opens(link)
        if opens is not None and cols[1].button("Open", key=f"{key}_{n}"):
            st.session_state.pop(CODE_JUMP, None)  # the Code page then reads the link
            st.switch_page(opens[0], query_params=opens[1])


def memo_editor(row: Any, user: str, key: str) -> None:
    """Edit one of ``user``'s memos; the save checks the version the editor opened with."""
    base_key, text_key = f"{key}_base", f"{key}_text"
    if st.session_state.get(base_key, (None,))[0] != row.memo_id:
        st.session_state[base_key] = (int(row.memo_id), int(row.row_version))
        st.session_state[text_key] = row.text
    st.text_area(
        "Text", key=text_key, height=220, help="Link with [[I3:681-801]], [[code:ID]], [[memo:N]]"
    )
    cols = st.columns(2)
    if cols[0].button("Save", key=f"{key}_save", type="primary"):
        try:
            with store() as session:
                memo = write_memo(
                    session,
                    user,
                    st.session_state[text_key],
                    memo_id=int(row.memo_id),
                    expected_version=st.session_state[base_key][1],
                )
                st.session_state[base_key] = (memo.id, memo.row_version)
            st.toast("Memo saved.")
            st.rerun()
        except QualcartoError as exc:  # a stale tab (ConflictError) or a broken link
            st.error(md(str(exc)))
    if cols[1].button("Reload", key=f"{key}_reload", help="Drop your changes, read it again"):
        st.session_state.pop(base_key, None)
        st.rerun()

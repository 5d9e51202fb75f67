# SPDX-License-Identifier: MIT
"""The codebook beside the transcript: recent codes one click away, search, definitions."""

from __future__ import annotations

import streamlit as st

from app_pages.coding_actions import RECENT, apply_codes
from app_pages.common import md
from qualcarto.codebook import Codebook


def _label(book: Codebook, code_id: str) -> str:
    path = book.path(code_id)
    return " › ".join(path[-2:]) if len(path) > 1 else path[0]


def _matches(book: Codebook, code_id: str, query: str) -> bool:
    code = book.by_id()[code_id]
    haystack = " ".join([code.id, *book.path(code_id), code.definition, *code.keywords])
    return query.lower() in haystack.lower()


def code_picker(book: Codebook, user: str, has_selection: bool) -> None:
    """Recent codes as buttons, a searchable list of codes, and the chosen codes' criteria."""
    by_id = book.by_id()
    recent = [c for c in st.session_state.get(RECENT, []) if c in by_id]
    if recent:
        st.caption("Recent codes: one click codes the selection")
        for code_id in recent:
            st.button(
                by_id[code_id].name,
                key=f"recent_{code_id}",
                on_click=apply_codes,
                args=(user, [code_id]),
                disabled=not has_selection,
                width="stretch",
            )
    query = st.text_input("Find a code", key="code_find", placeholder="name, definition, keyword")
    options = [c.id for c in book.leaves() if not query or _matches(book, c.id, query)]
    chosen = st.multiselect(
        "Codes to apply",
        options,
        key="code_choice",
        format_func=lambda c: _label(book, c),
        placeholder="Choose one or more codes",
    )
    st.button(
        "Apply to selection",
        key="apply_codes",
        type="primary",
        on_click=apply_codes,
        args=(user,),
        disabled=not (has_selection and chosen),
        width="stretch",
    )
    for code_id in chosen or options[:1]:
        code = by_id[code_id]
        with st.expander(md(code.name), expanded=bool(chosen)):
            st.markdown(f":material/palette: {md(code.color or '—')} · {md(code.id)}")
            for label, value in (
                ("Definition", code.definition),
                ("Include", code.include),
                ("Exclude", code.exclude),
                ("Example", code.example),
            ):
                if value:
                    st.caption(label)
                    st.text(value)

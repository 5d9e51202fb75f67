# SPDX-License-Identifier: MIT
"""The current codebook as a tree, with definitions, criteria and facets."""

from __future__ import annotations

import streamlit as st

from app_pages.common import store
from qualcarto.codebook import get_version, version_codebook

st.title("Codebook")
with store() as session:
    version = get_version(session)
    book = version_codebook(version)
    number, message = version.number, version.message

st.caption(f"{book.title} · version {number}: {message}")
query = st.text_input("Search codes", key="code_search").strip().lower()


def _matches(code_id: str) -> bool:
    code = book.by_id()[code_id]
    haystack = " ".join([code.id, code.name, code.definition, *code.keywords]).lower()
    return not query or query in haystack or any(_matches(c.id) for c in book.children(code_id))


def _show_leaf(code_id: str) -> None:
    code = book.by_id()[code_id]
    facets = ", ".join(f"{k}={v}" for k, v in code.facets.items())
    with st.expander(f"{code.name}  ·  {code.id}" + (f"  ·  {facets}" if facets else "")):
        st.text(code.definition)
        for label, value in (
            ("Include", code.include),
            ("Exclude", code.exclude),
            ("Example", code.example),
        ):
            if value:
                st.caption(label)
                st.text(value)


def _show(parent: str | None, depth: int) -> None:
    for code in book.children(parent):
        if not code.active or not _matches(code.id):
            continue
        if book.children(code.id):
            if depth == 0:
                st.subheader(code.name, anchor=False)
            else:
                st.markdown(f"**{code.name}**")
            if code.definition:
                st.caption(code.definition)
            _show(code.id, depth + 1)
        else:
            _show_leaf(code.id)


_show(None, 0)

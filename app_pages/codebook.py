# SPDX-License-Identifier: MIT
"""The codebook: the current version as a tree, its history, and the diff between versions."""

from __future__ import annotations

import streamlit as st

from app_pages.code_picker import swatch
from app_pages.common import codebook, download, md, reading, require_user
from app_pages.memo_view import backlinks_box
from qualcarto.backlinks import code_backlinks
from qualcarto.codebook import Codebook, CodeDef, diff_codebooks
from qualcarto.codebook_history import codebook_history
from qualcarto.exchange.codebook_doc import (
    DOCUMENT_FORMATS,
    MEDIA_TYPES,
    gather_codebook_document,
    render_codebook_document,
)

user = require_user()
st.title("Codebook")
with reading() as session:
    history = codebook_history(session)
    numbers = list(history["version"])
    book = codebook(session)
    linked = code_backlinks(session, user.name)
    current = numbers[-1]
opened = st.query_params.get("code")  # a memo's [[code:ID]] link opens the page at that code

SHOWN_LIMIT = 500  # codes drawn at once: past this a page only slows the browser
tree_tab, history_tab, document_tab = st.tabs(["Codes", "History and diff", "Document"])


def _shown(book: Codebook, query: str) -> list[tuple[CodeDef, int]]:
    """Active codes depth first that match ``query`` or hold a code that does (one pass)."""
    walk = book.walk(active=True)
    if not query:
        return walk
    keep: set[str] = set()
    for code, _ in reversed(walk):  # children come after their parent: see them first
        text = " ".join([code.id, code.name, code.definition, *code.keywords]).lower()
        if query in text or code.id in keep:
            keep.add(code.id)
            if code.parent is not None:
                keep.add(code.parent)
    return [(code, depth) for code, depth in walk if code.id in keep]


def _show(book: Codebook, codes: list[tuple[CodeDef, int]]) -> None:
    for code, depth in codes:
        facets = ", ".join(f"{k}={v}" for k, v in code.facets.items())
        if book.has_children(code.id):
            if depth == 0:
                st.subheader(md(code.name), anchor=False)
            else:
                st.markdown(f"**{md(code.name)}**")
            if code.definition:
                st.caption(md(code.definition))
            if code.id in linked:
                backlinks_box(linked[code.id])
            continue
        label = md(f"{code.name}  ·  {code.id}" + (f"  ·  {facets}" if facets else ""))
        with st.expander(label, expanded=code.id == opened):
            st.markdown(swatch(code.color, code.color or "no colour"), unsafe_allow_html=True)
            for label, value in (
                ("Definition", code.definition),
                ("Include", code.include),
                ("Exclude", code.exclude),
                ("Example", code.example),
            ):
                if value:
                    st.caption(label)
                    st.text(value)
            if code.id in linked:
                backlinks_box(linked[code.id], folded=False)


with tree_tab:
    st.caption(f"{md(book.title)} · version {current}")
    query = st.text_input("Search codes", key="code_search").strip().lower()
    if opened and not (opened in book.by_id() and book.by_id()[opened].active):
        st.caption(md(f"The linked code {opened} is not in version {current}."))
    shown = _shown(book, query)
    _show(book, shown[:SHOWN_LIMIT])
    if len(shown) > SHOWN_LIMIT:
        st.caption(f"The first {SHOWN_LIMIT:,} of {len(shown):,} codes: search to narrow them.")

with history_tab:
    st.dataframe(history, hide_index=True)
    if len(numbers) > 1:
        cols = st.columns(2)
        old = cols[0].selectbox("From version", numbers, index=len(numbers) - 2, key="diff_old")
        new = cols[1].selectbox("To version", numbers, index=len(numbers) - 1, key="diff_new")
        with reading() as session:
            diff = diff_codebooks(codebook(session, old), codebook(session, new))
        st.code("\n".join(diff.lines()) or "no changes", language=None)
    else:
        st.caption("Only one version so far: publish another to see a diff.")

with document_tab:
    st.caption(
        "The codebook as a document to read or share: hierarchy, definitions, counts, a "
        "typical excerpt per code and the change log (counts from the codings you may see)."
    )
    cols = st.columns(3, vertical_alignment="bottom")
    number = cols[0].selectbox("Version", numbers[::-1], key="doc_version")
    fmt = cols[1].selectbox("Format", DOCUMENT_FORMATS, key="doc_format")
    if cols[2].button("Prepare the document", key="doc_prepare"):
        with reading() as session:
            document = gather_codebook_document(session, number, viewer=user.name)
        st.session_state["doc_file"] = (number, fmt, render_codebook_document(document, fmt))
    ready = st.session_state.get("doc_file")
    if ready and ready[:2] == (number, fmt):
        download(
            f"Download codebook-v{number}.{fmt}",
            ready[2],
            file_name=f"codebook-v{number}.{fmt}",
            mime=MEDIA_TYPES[fmt],
            key="doc_download",
        )

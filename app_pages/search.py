# SPDX-License-Identifier: MIT
"""Search every transcript you may code: keyword in context, and code a hit in one click."""

from __future__ import annotations

import streamlit as st

from app_pages.common import md, require_user, store
from qualcarto.assignments import assigned_transcripts
from qualcarto.codebook import get_version, version_codebook
from qualcarto.coding import add_coding, get_transcript
from qualcarto.errors import QualcartoError
from qualcarto.search import lemmas_available, search
from qualcarto.selection import snap

user = require_user()
st.title("Search")
with store() as session:
    mine = assigned_transcripts(session, user.name)
    book = version_codebook(get_version(session))
scope = None if user.is_lead or not mine else mine

cols = st.columns([3, 1, 2], vertical_alignment="bottom")
query = cols[0].text_input("Word or phrase (case does not matter)", key="search_query")
can_lemma = lemmas_available()
lemma = cols[1].toggle("Match word forms", key="search_lemma", disabled=not can_lemma,
                       help="Lemma matching with spaCy's offline lookup tables: "
                       "'share' finds 'shared' and 'sharing'.")  # fmt: skip
leaves = {c.id: c.name for c in book.leaves()}
code = cols[2].selectbox("Code for hits", list(leaves), format_func=leaves.__getitem__,
                         key="search_code")  # fmt: skip
unit = st.segmented_control(
    "Code the", ["match", "sentence"], default="sentence", key="search_unit"
)
if not can_lemma:
    st.caption("Word-form matching is off: spacy-lookups-data is not installed.")


def _code_hit(transcript: str, start: int, end: int) -> None:
    code, unit = st.session_state["search_code"], st.session_state.get("search_unit")
    try:
        with store() as session:
            doc = get_transcript(session, transcript)
            if unit == "sentence":
                start, end = snap(session, doc, start, end, "sentence")
            add_coding(session, transcript, start, end, code, user.name)
        st.session_state["search_flash"] = f"Coded {transcript} {start}–{end} with {leaves[code]}."
    except QualcartoError as exc:
        st.session_state["search_flash"] = f"Error: {exc}"


if query.strip():
    with store() as session:
        hits = search(session, query, lemma=bool(lemma), transcripts=scope)
    if flash := st.session_state.pop("search_flash", None):
        (st.error if flash.startswith("Error") else st.success)(md(flash))
    st.caption(f"{len(hits)} hits")
    for i, hit in enumerate(hits.head(200).itertuples()):
        row = st.columns([1, 8, 2], vertical_alignment="center")
        row[0].caption(md(hit.transcript))
        row[1].text(f"…{hit.left}【{hit.match}】{hit.right}…")
        row[2].button("Code", key=f"hit_{i}", on_click=_code_hit,
                      args=(hit.transcript, hit.start, hit.end))  # fmt: skip
    if len(hits) > 200:
        st.caption("Showing the first 200 hits; narrow the search to see the rest.")

# SPDX-License-Identifier: MIT
"""Search every transcript you may code: keyword in context, then code one hit or all of them."""

from __future__ import annotations

import streamlit as st

from app_pages.common import codebook, marked, md, reading, require_user
from app_pages.search_actions import FLASH, PREVIEW, code_all, code_hit, search_settings
from qualcarto.assignments import openable_transcripts
from qualcarto.search import already_coded, codes_on_hits, hit_spans, lemmas_available, search

SHOWN = 200
PREVIEWED = 20

user = require_user()
st.title("Search")
can_lemma = lemmas_available()


with reading() as session:
    scope = openable_transcripts(session, user.name)
    if not scope:  # nothing assigned to this coder yet
        st.info("No transcripts to search yet: the lead assigns them on the Assignments page.")
        st.stop()
    book = codebook(session)
    leaves = {c.id: c.name for c in book.leaves()}
    cols = st.columns([3, 1, 2], vertical_alignment="bottom")
    query = cols[0].text_input("Word or phrase (case does not matter)", key="search_query")
    lemma = cols[1].toggle(
        "Match word forms",
        key="search_lemma",
        disabled=not can_lemma,
        help="Lemma matching with spaCy's offline lookup tables: "
        "'share' finds 'shared' and 'sharing'.",
    )
    code = cols[2].selectbox(
        "Code for hits",
        list(leaves),
        index=None,
        key="search_code",
        format_func=leaves.__getitem__,
        placeholder="Choose a code",
    )
    unit = (
        st.segmented_control(
            "Code the", ["match", "sentence"], default="sentence", key="search_unit"
        )
        or "sentence"
    )
    if not can_lemma:
        st.caption("Word-form matching is off: spacy-lookups-data is not installed.")
    if not query.strip():
        st.stop()
    hits = search(session, query, lemma=bool(lemma), transcripts=scope)
    marks = codes_on_hits(session, hits, user.name)
    preview = st.session_state.get(PREVIEW) == search_settings() and code is not None
    spans = hit_spans(session, hits, unit) if preview else []
    repeats = already_coded(session, spans, str(code), user.name) if preview else []

if flash := st.session_state.pop(FLASH, None):
    getattr(st, flash[0])(md(flash[1]))
coded = sum(1 for m in marks if m)
st.caption(f"{len(hits)} hits · {coded} already coded by you")
if code is None:
    st.caption("Choose a code to code a hit, or all of them.")
elif hits.empty:
    pass
elif not preview:
    if st.button(f"Code all {len(hits)} hits…", key="search_all"):
        st.session_state[PREVIEW] = search_settings()
        st.rerun()
else:
    with st.container(border=True):
        new = len(spans) - len(repeats)
        st.markdown(f"**Code {new} spans ({unit}s) with {md(leaves[code])}?**")
        if repeats:
            st.caption(
                f"{len(repeats)} of them you already coded with it: they are left as they are."
            )
        for transcript, start, end in spans[:PREVIEWED]:
            st.caption(
                f"{md(transcript)} {start}–{end}"
                + (" · already coded" if (transcript, start, end) in repeats else "")
            )
        if len(spans) > PREVIEWED:
            st.caption(f"… and {len(spans) - PREVIEWED} more.")
        left, right = st.columns(2)
        left.button(
            f"Code {new} spans",
            key="search_all_confirm",
            type="primary",
            on_click=code_all,
            args=(user.name, scope),
            disabled=new == 0,
        )
        if right.button("Cancel", key="search_all_cancel"):
            st.session_state.pop(PREVIEW, None)
            st.rerun()
for i, (hit, codes) in enumerate(zip(hits.head(SHOWN).itertuples(), marks, strict=False)):
    row = st.columns([1, 7, 2, 1], vertical_alignment="center")
    row[0].caption(md(hit.transcript))
    row[1].text(marked(f"…{hit.left}", hit.match, f"{hit.right}…"))
    if codes:
        row[2].caption("✓ " + md(", ".join(leaves.get(c, c) for c in codes)))
    row[3].button(
        "Code",
        key=f"hit_{i}",
        on_click=code_hit,
        disabled=code is None,
        args=(user.name, hit.transcript, hit.start, hit.end),
    )
if len(hits) > SHOWN:
    st.caption(f"Showing the first {SHOWN} hits; narrow the search to see the rest.")

# SPDX-License-Identifier: MIT
"""What the Search page's buttons do: code one hit, or every hit, as thin callbacks.

They run as Streamlit callbacks, before the page script, and read the search as the
page's widgets left it (``search_settings``); each leaves a one-line message (or error)
under ``FLASH`` for the page to show.
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import store
from qualcarto.coding import add_coding, code_spans
from qualcarto.errors import QualcartoError
from qualcarto.search import hit_spans, search
from qualcarto.selection import snap
from qualcarto.transcripts import get_transcript

FLASH = "search_flash"
PREVIEW = "search_preview"  # the settings the code-all preview was asked for


def search_settings() -> tuple[str, bool, str | None, str]:
    """The search on the page: (query, match word forms, code for hits, unit to code)."""
    state = st.session_state
    return (
        state.get("search_query", "").strip(),
        bool(state.get("search_lemma")),
        state.get("search_code"),
        state.get("search_unit") or "sentence",
    )


def code_hit(user: str, transcript: str, start: int, end: int) -> None:
    """Code one hit (snapped to the chosen unit) with the chosen code."""
    _, _, code, unit = search_settings()
    try:
        with store() as session:
            doc = get_transcript(session, transcript)
            start, end = snap(session, doc, start, end, unit)
            add_coding(session, transcript, start, end, str(code), user)
        st.session_state[FLASH] = ("success", f"Coded {transcript} {start}–{end}.")
    except QualcartoError as exc:
        st.session_state[FLASH] = ("error", str(exc))


def code_all(user: str, scope: list[str] | None) -> None:
    """Code every hit in ``scope`` at once; spans already coded with the code are left."""
    query, lemma, code, unit = search_settings()
    st.session_state.pop(PREVIEW, None)
    try:
        with store() as session:
            hits = search(session, query, lemma=lemma, transcripts=scope)
            done = code_spans(session, hit_spans(session, hits, unit), str(code), user)
    except QualcartoError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    skipped = (
        f"; {len(done.duplicates)} already coded, left as they were" if done.duplicates else ""
    )
    st.session_state[FLASH] = ("success", f"Coded {len(done.made)} spans{skipped}.")

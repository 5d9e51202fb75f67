# SPDX-License-Identifier: MIT
"""Code suggestions for a transcript, each in its context with its evidence: accept or reject."""

from __future__ import annotations

import streamlit as st

from app_pages.common import codebook, marked, md, reading, require_user, store
from qualcarto.assignments import openable_transcripts
from qualcarto.codebook import get_version
from qualcarto.config import resolve_db_url
from qualcarto.errors import QualcartoError
from qualcarto.selection import in_context
from qualcarto.suggest import (
    Suggestion,
    accept_suggestion,
    make_suggester,
    pending_suggestions,
    reject_suggestion,
)
from qualcarto.suggest.service import Suggester
from qualcarto.transcripts import get_transcript

# Suggestions drawn at once: each card is several elements, and a browser draws a few
# dozen of them in well under a second; "Show more" adds the next batch.
BATCH = 10


@st.cache_resource(show_spinner="Preparing the suggester…")
def suggester_for(url: str, version: int, method: str) -> Suggester:
    """One suggester per store, codebook version and method per server process."""
    with reading() as session:
        return make_suggester(session, method)


def _decide(suggestion: Suggestion, coder: str, accept: bool) -> None:
    try:
        with store() as session:
            if accept:
                accept_suggestion(session, suggestion, coder)
            else:
                reject_suggestion(session, suggestion, coder)
    except QualcartoError as exc:
        st.session_state["suggest_notice"] = ("error", str(exc))
        return
    verb = "Accepted: now your coding" if accept else "Rejected"
    st.session_state["suggest_notice"] = ("success", f"{verb} ({suggestion.code_id}).")


user = require_user()
st.title("Suggestions")
st.caption(
    "A second pair of eyes, not a coder to trust: each suggestion shows the words that "
    "triggered it. Accepting makes it your own coding; the audit log notes the suggestion."
)
with reading() as session:
    names = openable_transcripts(session, user.name, "code")
    if not names:
        st.info("No transcripts to code yet: the lead assigns them on the Assignments page.")
        st.stop()
    version = get_version(session)
    codes = codebook(session).by_id()
    cols = st.columns([2, 1])
    name = cols[0].selectbox("Transcript", names, key="suggest_transcript")
    method = cols[1].radio("Method", ["rules", "semantic"], key="suggest_method", horizontal=True)
    try:
        # Built once per codebook version and kept: a rerun only scores this transcript.
        suggester = suggester_for(resolve_db_url(), version.number, method)
        pending = pending_suggestions(session, name, user.name, suggester)
        text = get_transcript(session, name).text
    except QualcartoError as exc:
        st.error(md(str(exc)))
        st.stop()
notice = st.session_state.pop("suggest_notice", None)
if notice:
    getattr(st, notice[0])(md(notice[1]))
st.write(f"{len(pending)} open suggestions in {md(name)}.")
shown = st.session_state.get("suggest_shown", BATCH)
# Transcript and codebook text is shown with st.text, which never interprets markup.
for s in pending[:shown]:
    key = f"{s.code_id}_{s.start}_{s.end}"
    code = codes.get(s.code_id)
    before, span, after = in_context(text, s.start, s.end)
    with st.container(border=True):
        st.text(
            f"{code.name if code else s.code_id}  ({s.code_id}) · score {s.score:.2f} · "
            f"evidence: {', '.join(s.evidence_terms())}"
        )
        st.text(marked(before, span, after))
        left, right = st.columns(2)
        left.button(
            "Accept",
            key=f"accept_{key}",
            on_click=_decide,
            args=(s, user.name, True),
            type="primary",
        )
        right.button("Reject", key=f"reject_{key}", on_click=_decide, args=(s, user.name, False))
if len(pending) > shown:
    more = min(BATCH, len(pending) - shown)
    if st.button(f"Show {more} more of {len(pending) - shown}", key="suggest_more"):
        st.session_state["suggest_shown"] = shown + BATCH
        st.rerun()

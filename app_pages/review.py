# SPDX-License-Identifier: MIT
"""Review mode: accept, reject or comment on another coder's codings of a transcript."""

from __future__ import annotations

import streamlit as st

from app_pages.common import codebook, md, open_on_code_page, reading, require_user, store
from qualcarto.assignments import assigned_users, openable_transcripts
from qualcarto.coding import codings_frame
from qualcarto.errors import QualcartoError
from qualcarto.review import review_coding, review_queue
from qualcarto.transcripts import get_transcript

user = require_user()
st.title("Review")
with reading() as session:
    names = openable_transcripts(session, user.name, "review")
    if not names:
        st.info("No transcripts to review: the lead assigns reviews on the Assignments page.")
        st.stop()
    book = codebook(session)
    cols = st.columns(2)
    name = cols[0].selectbox("Transcript", names, key="review_transcript")
    doc = get_transcript(session, name)
    coders = assigned_users(session, doc.id, "code") or sorted(
        set(codings_frame(session, transcripts=[name])["coder"])
    )
    coders = [c for c in coders if c != user.name]
    if not coders:
        st.info("Nobody else has coded this transcript yet.")
        st.stop()
    coder = cols[1].selectbox("Codings of", coders, key="review_coder")
    queue = review_queue(session, name, coder, user.name)
by_id = book.by_id()
done = queue["decision"].notna().sum()
if queue.empty:
    st.info(f"Nothing to review: {md(coder)} has no codings of {md(name)} yet.")
else:
    st.progress(done / len(queue), f"{done} of {len(queue)} reviewed")


def _decide(coding_id: int, decision: str) -> None:
    comment = st.session_state.get(f"review_note_{coding_id}", "")
    try:
        with store() as session:
            review_coding(session, coding_id, user.name, decision, comment)
    except QualcartoError as exc:
        st.session_state["review_flash"] = str(exc)


if flash := st.session_state.pop("review_flash", None):
    st.error(md(flash))
for row in queue.itertuples():
    cid = int(row.coding_id)
    code = by_id[row.code_id].name if row.code_id in by_id else row.code_id
    status = f" · {row.decision} by {md(row.reviewer)}" if isinstance(row.decision, str) else ""
    with st.container(border=True):
        st.markdown(f"**{md(code)}** · {row.start}–{row.end}{status}")
        st.text(row.text)
        if isinstance(row.memo, str) and row.memo:
            st.caption(f"Coder's memo: {md(row.memo)}")
        if isinstance(row.comment, str) and row.comment:
            st.caption(f"Review comment: {md(row.comment)}")
        # The Code page opens transcript ``t`` scrolled to offset ``at``.
        if st.button("Open in transcript", key=f"review_open_{cid}", icon=":material/open_in_new:"):
            open_on_code_page(name, int(row.start))
        c = st.columns([4, 1, 1, 1], vertical_alignment="bottom")
        c[0].text_input("Comment", key=f"review_note_{cid}", placeholder="why (needed to reject)")
        for col, decision in zip(c[1:], ("accept", "reject", "comment"), strict=True):
            col.button(
                decision.capitalize(),
                key=f"review_{decision}_{cid}",
                on_click=_decide,
                args=(cid, decision),
            )

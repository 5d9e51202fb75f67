# SPDX-License-Identifier: MIT
"""Read a transcript with its codings highlighted in their code colours."""

from __future__ import annotations

import html

import streamlit as st

from app_pages.common import store
from qualcarto.codebook import codes_frame
from qualcarto.coding import codings_frame, get_transcript
from qualcarto.highlight import highlight_pieces
from qualcarto.transcripts import transcripts_frame

st.title("Transcripts")
with store() as session:
    transcripts = transcripts_frame(session)
    if transcripts.empty:
        st.info("No transcripts yet: `qualcarto import FOLDER`.")
        st.stop()
    codes = codes_frame(session).set_index("code_id")
    coders = sorted(codings_frame(session)["coder"].unique())
    name = st.selectbox("Transcript", transcripts["transcript"], key="transcript")
    coder = st.selectbox("Codings of", coders, key="coder") if coders else None
    doc = get_transcript(session, name)
    text = doc.text
    codings = codings_frame(session, [coder] if coder else [], [name]) if coder else None

row = transcripts.set_index("transcript").loc[name]
attributes = {k: v for k, v in row.items() if k not in ("transcript_id", "length") and v}
st.caption(" · ".join(f"{k}: {v}" for k, v in attributes.items()))


def _style(coding_ids: tuple[int, ...], by_id: dict[int, str]) -> str:
    colors = [codes.at[by_id[c], "color"] or "#999999" for c in coding_ids]
    if len(colors) == 1:
        return f"background:{colors[0]}33;border-bottom:2px solid {colors[0]}"
    stripes = ",".join(f"{c}55" for c in colors)
    return f"background:linear-gradient({stripes});border-bottom:3px double {colors[0]}"


parts: list[str] = []
if codings is not None and not codings.empty:
    by_id = dict(zip(codings["coding_id"], codings["code_id"], strict=True))
    spans = zip(codings["coding_id"], codings["start"], codings["end"], strict=True)
    for piece in highlight_pieces(len(text), spans):
        chunk = html.escape(text[piece.start : piece.end])
        if not piece.coding_ids:
            parts.append(chunk)
            continue
        names = "; ".join(html.escape(codes.at[by_id[c], "name"]) for c in piece.coding_ids)
        parts.append(
            f'<mark title="{names}" style="{_style(piece.coding_ids, by_id)}">{chunk}</mark>'
        )
else:
    parts.append(html.escape(text))
st.html(
    '<div class="qc-transcript" style="white-space:pre-wrap;line-height:1.6;'
    f'font-family:Georgia,serif">{"".join(parts)}</div>'
)
if codings is not None and not codings.empty:
    st.subheader(f"Codings by {coder}")
    table = codings.assign(code=codings["code_id"].map(codes["name"]))
    st.dataframe(table[["code", "start", "end", "text", "memo"]], hide_index=True)

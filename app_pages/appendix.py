# SPDX-License-Identifier: MIT
"""The lead's methods appendix: build it from the study, read the draft paragraph, download it.

The same calls as ``qualcarto report``: ``appendix_data`` gathers, ``write_appendix``
writes HTML, csv tables, the figure and (on request) the PDF; the page zips the folder.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from app_pages.common import download, md, reading, require_lead, store
from qualcarto.appendix_data import AppendixOptions, appendix_data
from qualcarto.errors import QualcartoError
from qualcarto.exchange.appendix_files import write_appendix
from qualcarto.reports.appendix import methods_paragraph
from qualcarto.rounds import add_round, mark_reconciled, rounds_frame
from qualcarto.status import store_status
from qualcarto.transcripts import transcripts_frame
from qualcarto.users import coder_kinds, default_coders

lead = require_lead()
st.title("Methods appendix")
st.caption(
    "Study, codebook change log, coding process, agreement with intervals, "
    "disagreement anatomy, saturation and the cartography, as HTML and PDF "
    "(docs/appendix.md)."
)
with reading() as session:
    counts = store_status(session)["codings"]
    kinds = coder_kinds(session)
    recorded = rounds_frame(session)
    transcripts = transcripts_frame(session)["transcript"].tolist()
names = list(counts)
if not names:
    st.info("The appendix needs codings.")
    st.stop()
cols = st.columns(2)
coders = cols[0].multiselect(
    "Coders (when no round is recorded)", names, default_coders(kinds, names), key="apx_coders"
)
widest = [n for n in names if kinds.get(n) != "machine"] or names
layer = cols[1].selectbox("Layer for saturation and cartography", widest, key="apx_layer")
with st.expander(f"Coding rounds ({len(recorded)} recorded; the appendix measures each)"):
    if len(recorded):
        st.dataframe(recorded, hide_index=True, key="apx_rounds")
    form = st.columns([2, 2, 3])
    round_name = form[0].text_input("Round name", key="apx_round_name")
    round_coders = form[1].multiselect("Coders", names, key="apx_round_coders")
    round_transcripts = form[2].multiselect("Transcripts", transcripts, key="apx_round_tr")
    if st.button("Record the round", key="apx_round_add"):
        try:
            with store() as session:
                made = add_round(session, lead.name, round_name, round_coders, round_transcripts)
                st.success(f"Recorded round {made.number}.")
        except QualcartoError as exc:
            st.error(md(str(exc)))
    open_rounds = recorded.loc[recorded["reconciled_at"].isna(), "round"].tolist()
    if open_rounds:
        done = st.selectbox("Round reconciled", open_rounds, key="apx_round_done")
        if st.button("Mark reconciled", key="apx_round_mark"):
            with store() as session:
                mark_reconciled(session, lead.name, int(done))
            st.success(f"Round {done} marked reconciled.")
knobs = st.columns(3)
bootstrap = knobs[0].number_input("Bootstrap resamples", 0, 5000, 1000, 100, key="apx_boot")
orders = knobs[1].number_input("Random interview orders", 1, 10000, 1000, 100, key="apx_orders")
pdf = knobs[2].checkbox("Also print the PDF", value=True, key="apx_pdf")

if st.button("Build the appendix", type="primary", key="apx_build"):
    options = AppendixOptions(tuple(coders), (layer,), int(bootstrap), orders=int(orders))
    try:
        with reading() as session:
            appendix, cartography = appendix_data(session, options)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            appendix, written = write_appendix(appendix, cartography, out, pdf=pdf)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, path.relative_to(out))
            st.session_state["apx_files"] = {
                "zip": buffer.getvalue(),
                "pdf": (out / "appendix.pdf").read_bytes() if pdf else None,
                "paragraph": methods_paragraph(appendix),
            }
    except QualcartoError as exc:
        st.error(md(str(exc)))
        st.stop()

built = st.session_state.get("apx_files")
if built:
    st.subheader("Methods paragraph (draft)", anchor=False)
    st.text(built["paragraph"])
    download("Download the appendix (zip: HTML, PDF, tables, figures)", built["zip"],
             "appendix.zip", "application/zip", key="apx_zip")  # fmt: skip
    if built["pdf"]:
        download("Download the PDF", built["pdf"], "appendix.pdf", "application/pdf",
                 key="apx_pdf_file")  # fmt: skip

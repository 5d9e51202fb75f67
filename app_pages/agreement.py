# SPDX-License-Identifier: MIT
"""The lead's agreement report: per code, per transcript, per coder pair, and disagreements.

Every figure comes from ``qualcarto.agreement`` through ``qualcarto.agreement_data``,
the same calls as ``qualcarto agreement`` on the command line. Excerpts are shown as
plain text, never rendered as markup.
"""

from __future__ import annotations

from io import BytesIO

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import download, md, reading, require_lead
from qualcarto.agreement import (
    DEFAULT_FLAG_BELOW,
    FLAG_COLUMN,
    ReportOptions,
    about_rows,
    agreement_tables,
    describe,
    flag_measures,
    flag_note,
)
from qualcarto.agreement_data import agreement_data
from qualcarto.errors import QualcartoError
from qualcarto.exchange.agreement_xlsx import write_agreement_workbook
from qualcarto.exchange.bundle import FORMATS
from qualcarto.status import store_status
from qualcarto.users import coder_kinds, default_coders

MAX_DISAGREEMENTS = 50
FLAGGED_ROW = "background-color: #fce4d6"
UNDEFINED = (
    "Empty cells: the coefficient is undefined for these data (chance agreement is 1 or "
    "expected disagreement is 0, or nothing to compare). Formulas and sources: docs/agreement.md."
)

require_lead()
st.title("Agreement")
with reading() as session:
    status = store_status(session)
    kinds = coder_kinds(session)
counts = status["codings"]
if len(counts) < 2:
    st.info("Agreement needs codings by at least two coders.")
    st.stop()
# People by default; a machine layer such as 'auto' only when the lead adds it.
default = default_coders(kinds, list(counts))
cols = st.columns([3, 1, 1])
coders = cols[0].multiselect("Coders", list(counts), default, key="agr_coders",
                             format_func=lambda c: f"{c} ({kinds.get(c)}, {counts[c]} codings)")  # fmt: skip
unit = cols[1].selectbox("Unit", ["segment", "char", "document"], key="agr_unit")
versions = ["all", *range(1, int(status["codebook_version"] or 0) + 1)]
version = cols[2].selectbox("Codings made under version", versions, key="agr_version")
knobs = st.columns(5)
overlap = knobs[0].slider("Segment overlap (share of the longer span)", 0.05, 1.0, 0.9, 0.05,
                         key="agr_overlap", disabled=unit != "segment")  # fmt: skip
bootstrap = knobs[1].number_input("Bootstrap resamples (0: no intervals)", 0, 5000, 0, 100,
                                 key="agr_bootstrap")  # fmt: skip
seed = knobs[2].number_input("Seed", 0, 2**31 - 1, 0, key="agr_seed")
flag_below = knobs[3].number_input("Flag codes below", -1.0, 1.0, DEFAULT_FLAG_BELOW, 0.05,
                                   key="agr_flag_below")  # fmt: skip
measure = knobs[4].selectbox("Flag on", flag_measures(unit, max(len(coders), 2)), key="agr_flag_on",
                             format_func=lambda m: m.replace("_", " "))  # fmt: skip

try:
    with reading() as session:
        data = agreement_data(session, coders, codebook_version=None if version == "all"
                              else int(version))  # fmt: skip
    options = ReportOptions(unit, overlap, int(bootstrap), int(seed), float(flag_below), measure)
    tables = agreement_tables(data, options)
except QualcartoError as exc:
    st.error(md(str(exc)))
    st.stop()

per_code, unmatched = tables.per_code, tables.disagreements
for line in [*describe(data, options), flag_note(measure, float(flag_below))]:
    st.caption(md(line))
if len(coders) == 2:
    st.caption(f"a = {md(coders[0])}, b = {md(coders[1])}")
numbers = {c: st.column_config.NumberColumn(format="%.3f")
           for c in per_code.select_dtypes("float").columns}  # fmt: skip

st.subheader("Per code", anchor=False)
shaded = per_code.style.apply(
    lambda row: [FLAGGED_ROW if row[FLAG_COLUMN] else ""] * len(row), axis=1
)
st.dataframe(shaded, hide_index=True, column_config=numbers, key="agr_per_code")


def workbook() -> bytes:
    """The whole report as xlsx, built only when the lead asks for it."""
    buffer = BytesIO()
    write_agreement_workbook(buffer, data, tables, about_rows(data, options))
    return buffer.getvalue()


download("Download the report (xlsx)", workbook, "agreement.xlsx", FORMATS["xlsx"], key="agr_xlsx")
chart_data = per_code[per_code["code_id"] != "(all)"].dropna(subset=[measure])
bars = alt.Chart(chart_data).encode(
    y=alt.Y("code_id:N", sort="-x", title=None),
    tooltip=["code_id", "name", alt.Tooltip(f"{measure}:Q", format=".3f")],
)
chart = bars.mark_bar().encode(
    x=alt.X(f"{measure}:Q", title=measure.replace("_", " ")),
    color=alt.Color(f"{FLAG_COLUMN}:N", title=f"below {flag_below:g}"),
)
if f"{measure}_ci_low" in chart_data:
    chart += bars.mark_rule(color="black").encode(x=f"{measure}_ci_low:Q",
                                                  x2=f"{measure}_ci_high:Q")  # fmt: skip
st.altair_chart(chart.properties(height=max(120, 14 * len(chart_data))), key="agr_chart")

st.subheader("Per transcript", anchor=False)
st.dataframe(tables.per_transcript, hide_index=True, column_config=numbers)
if tables.pairs is not None:
    st.subheader("Per coder pair", anchor=False)
    st.dataframe(tables.pairs, hide_index=True, column_config=numbers)
st.caption(UNDEFINED)

st.subheader(f"Disagreements ({len(unmatched)} segments without a match)", anchor=False)
names = ["all", *sorted(set(unmatched["transcript"]))]
where = st.selectbox("Transcript", names, key="agr_dis_transcript")
shown = unmatched if where == "all" else unmatched[unmatched["transcript"] == where]
coded = data.codings.groupby("transcript")["coder"].agg(set).to_dict()
for i, row in enumerate(shown.head(MAX_DISAGREEMENTS).to_dict("records")):
    with st.container(border=True):
        st.caption(f"{md(row['transcript'])} · {md(row['code_id'])} · {md(row['name'])}")
        st.caption(f"{md(row['coder'])} \\[{row['start']}, {row['end']})")
        st.text(str(row["text"]))  # plain text: transcript markup is never rendered
        if pd.isna(row["other_start"]):
            st.caption(f"{md(row['other_coder'])}: coded none of it with this code")
        else:
            st.caption(f"{md(row['other_coder'])} \\[{row['other_start']}, {row['other_end']}) · "
                       f"{row['other_overlap']:.0%} of the longer span")  # fmt: skip
            st.text(str(row["other_text"]))
        both = {row["coder"], row["other_coder"]} <= coded.get(row["transcript"], set())
        if both and st.button(f"Reconcile {md(row['transcript'])}", key=f"agr_reconcile_{i}"):
            # The Reconcile page reads its choices from these widget keys.
            st.session_state["rec_transcript"] = row["transcript"]
            st.session_state["rec_a"] = row["coder"]
            st.switch_page("app_pages/reconcile.py")
if len(shown) > MAX_DISAGREEMENTS:
    st.caption(f"Showing the first {MAX_DISAGREEMENTS} of {len(shown)}; "
               "`qualcarto agreement --disagreements` lists all.")  # fmt: skip

# SPDX-License-Identifier: MIT
"""The lead's agreement report: per code, per transcript, per coder pair, and disagreements.

Every figure comes from ``qualcarto.agreement`` through ``qualcarto.agreement_data``,
the same calls as ``qualcarto agreement`` on the command line. Excerpts are shown as
plain text, never rendered as markup.
"""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import streamlit as st

from app_pages.agreement_views import code_chart, disagreement_card, report_options
from app_pages.common import download, group_filter, keep_choices, md, reading, require_lead
from qualcarto.agreement import (
    FLAG_COLOR,
    FLAG_COLUMN,
    about_rows,
    agreement_tables,
    describe,
    flag_note,
    transcript_table,
)
from qualcarto.agreement_data import INTERVIEW_UNITS, UNITS, agreement_data, unit_data
from qualcarto.errors import NothingToMeasureError, QualcartoError
from qualcarto.exchange.agreement_xlsx import write_agreement_workbook
from qualcarto.exchange.bundle import FORMATS
from qualcarto.status import store_status
from qualcarto.transcripts.groups import list_groups
from qualcarto.users import coder_kinds, default_coders

MAX_DISAGREEMENTS = 50
FLAGGED_ROW = f"background-color: {FLAG_COLOR}"
UNDEFINED = (
    "Empty cells: the coefficient is undefined for these data (chance agreement is 1 or "
    "expected disagreement is 0, or nothing to compare). Formulas and sources: docs/agreement.md."
)

require_lead()
keep_choices("agr_unit")
st.title("Agreement")
with reading() as session:
    status = store_status(session)
    kinds = coder_kinds(session)
    groups = list_groups(session)
counts = status["codings"]
if len(counts) < 2:
    st.info("Agreement needs codings by at least two coders.")
    st.stop()
# People by default; a machine layer such as 'auto' only when the lead adds it.
default = default_coders(kinds, list(counts))
cols = st.columns([3, 1, 1])
coders = cols[0].multiselect(
    "Coders",
    list(counts),
    default,
    key="agr_coders",
    format_func=lambda c: f"{c} ({kinds.get(c)}, {counts[c]} codings)",
)
unit = cols[1].selectbox(
    "Unit", UNITS, key="agr_unit", format_func=lambda u: INTERVIEW_UNITS.get(u, u)
)
versions = ["all", *range(1, int(status["codebook_version"] or 0) + 1)]
version = cols[2].selectbox("Codings made under version", versions, key="agr_version")
group = group_filter(groups, "agr_group")
options = report_options(unit, len(coders))
measure = str(options.flag_on)

try:
    with reading() as session:
        data = agreement_data(
            session,
            coders,
            codebook_version=None if version == "all" else int(version),
            group=group,
        )
        measured, core = unit_data(session, data, unit)
    options = replace(options, unit=core)
    tables = agreement_tables(measured, options, data)
except NothingToMeasureError as exc:  # an empty choice, not a failure
    st.info(f"Nothing to measure: {md(exc)}.")
    st.stop()
except QualcartoError as exc:
    st.error(md(str(exc)))
    st.stop()

per_code, unmatched = tables.per_code, tables.disagreements
for line in [*describe(measured, options), flag_note(measure, options.flag_below)]:
    st.caption(md(line))
if len(coders) == 2:
    st.caption(f"a = {md(coders[0])}, b = {md(coders[1])}")
numbers = {
    c: st.column_config.NumberColumn(format="%.3f") for c in per_code.select_dtypes("float").columns
}

st.subheader("Per code", anchor=False)
shaded = per_code.style.apply(
    lambda row: [FLAGGED_ROW if row[FLAG_COLUMN] else ""] * len(row), axis=1
)
st.dataframe(shaded, hide_index=True, column_config=numbers, key="agr_per_code")


def workbook() -> bytes:
    """The whole report as xlsx, built only when the lead asks for it."""
    buffer = BytesIO()
    write_agreement_workbook(buffer, measured, tables, about_rows(measured, options))
    return buffer.getvalue()


download("Download the report (xlsx)", workbook, "agreement.xlsx", FORMATS["xlsx"], key="agr_xlsx")
st.altair_chart(code_chart(per_code, measure, options.flag_below), key="agr_chart")

st.subheader("Per transcript", anchor=False)
cut = INTERVIEW_UNITS.get(unit)  # speaker turns or question-answer pairs
if cut:  # each transcript's units pooled, then every unit on demand
    st.caption(f"Each transcript's {cut}s pooled: the {cut} is the unit measured.")
    pooled = transcript_table(measured, options, pool_units=True)
    st.dataframe(pooled, hide_index=True, column_config=numbers, key="agr_pooled")
    with st.expander(f"Per {cut} ({len(tables.per_transcript):,} rows)"):
        per_unit = tables.per_transcript.rename(columns={"transcript": cut})
        st.dataframe(per_unit, hide_index=True, column_config=numbers)
else:
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
    disagreement_card(row, i, coded)
if len(shown) > MAX_DISAGREEMENTS:
    st.caption(
        f"Showing the first {MAX_DISAGREEMENTS} of {len(shown)}; "
        "`qualcarto agreement --disagreements` lists all."
    )

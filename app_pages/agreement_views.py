# SPDX-License-Identifier: MIT
"""The Agreement page's parts: its measuring knobs, the per-code chart, a disagreement's card."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import md
from qualcarto.agreement import DEFAULT_FLAG_BELOW, FLAG_COLUMN, ReportOptions, flag_measures
from qualcarto.agreement_data import INTERVIEW_UNITS


def code_chart(
    per_code: pd.DataFrame, measure: str, flag_below: float
) -> alt.LayerChart | alt.Chart:
    """One bar per code for ``measure``, coloured when flagged, with its interval if any."""
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
        chart += bars.mark_rule(color="black").encode(
            x=f"{measure}_ci_low:Q", x2=f"{measure}_ci_high:Q"
        )
    return chart.properties(height=max(120, 14 * len(chart_data)))


def disagreement_card(row: dict[str, Any], i: int, coded: dict[str, set[str]]) -> None:
    """A segment one coder coded and the other did not match, as plain text; a button
    opens the Reconcile page on its transcript when both coders coded there."""
    with st.container(border=True):
        st.caption(f"{md(row['transcript'])} · {md(row['code_id'])} · {md(row['name'])}")
        st.caption(f"{md(row['coder'])} \\[{row['start']}, {row['end']})")
        st.text(str(row["text"]))  # plain text: transcript markup is never rendered
        if pd.isna(row["other_start"]):
            st.caption(f"{md(row['other_coder'])}: coded none of it with this code")
        else:
            st.caption(
                f"{md(row['other_coder'])} \\[{row['other_start']}, {row['other_end']}) · "
                f"{row['other_overlap']:.0%} of the longer span"
            )
            st.text(str(row["other_text"]))
        both = {row["coder"], row["other_coder"]} <= coded.get(row["transcript"], set())
        if both and st.button(f"Reconcile {md(row['transcript'])}", key=f"agr_reconcile_{i}"):
            # The Reconcile page reads its choices from these widget keys.
            st.session_state["rec_transcript"] = row["transcript"]
            st.session_state["rec_a"] = row["coder"]
            st.switch_page("app_pages/reconcile.py")


def report_options(unit: str, coders: int) -> ReportOptions:
    """The knobs under the coder and unit pickers, read as one ``ReportOptions``.

    Speaker turns and question-answer pairs are measured at the document unit, so their
    flag measures are the document unit's.
    """
    knobs = st.columns(5)
    overlap = knobs[0].slider(
        "Segment overlap (share of the longer span)",
        0.05,
        1.0,
        0.9,
        0.05,
        key="agr_overlap",
        disabled=unit != "segment",
    )
    bootstrap = knobs[1].number_input(
        "Bootstrap resamples (0: no intervals)", 0, 5000, 0, 100, key="agr_bootstrap"
    )
    seed = knobs[2].number_input("Seed", 0, 2**31 - 1, 0, key="agr_seed")
    flag_below = knobs[3].number_input(
        "Flag codes below", -1.0, 1.0, DEFAULT_FLAG_BELOW, 0.05, key="agr_flag_below"
    )
    core = "document" if unit in INTERVIEW_UNITS else unit
    measure = knobs[4].selectbox(
        "Flag on",
        flag_measures(core, max(coders, 2)),
        key="agr_flag_on",
        format_func=lambda m: m.replace("_", " "),
    )
    return ReportOptions(core, overlap, int(bootstrap), int(seed), float(flag_below), measure)

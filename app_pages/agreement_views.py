# SPDX-License-Identifier: MIT
"""The Agreement page's two drawings: the per-code chart and one disagreement's card."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import md
from qualcarto.agreement import FLAG_COLUMN


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

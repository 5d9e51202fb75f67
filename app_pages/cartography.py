# SPDX-License-Identifier: MIT
"""The cartography, live: hover a code to see its support, click it to read its excerpts.

Each code on the map is a mark in its cell (rows and columns are two facets of the
codebook, the split a third); its size is the number of interviews behind it. A
coder in a blind study sees the map of their own codings only.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from app_pages.common import md, reading, require_user
from qualcarto.cartography_data import (
    NO_SPLIT,
    cartography_data,
    code_excerpts,
    draw_map,
    map_frame,
    resolve_layout,
)
from qualcarto.errors import QualcartoError
from qualcarto.users import coder_kinds, default_coders

MAX_EXCERPTS = 100

user = require_user()
st.title("Cartography")
with reading() as session:
    data = cartography_data(session, viewer=user.name)
    kinds = coder_kinds(session)
facets = list(data.facet_orders)
if len(facets) < 2:
    st.info("The codebook declares fewer than two facets, so there is no grid to draw.")
    st.stop()


def _index(options: list[str], value: str | None, fallback: int) -> int:
    return options.index(value) if value in options else fallback


split_options = [NO_SPLIT, *facets]
cols = st.columns(3)
rows = cols[0].selectbox("Rows", facets, _index(facets, data.defaults.get("rows"), 0),
                         key="carto_rows")  # fmt: skip
columns = cols[1].selectbox("Columns", facets, _index(facets, data.defaults.get("cols"), 1),
                            key="carto_cols")  # fmt: skip
split = cols[2].selectbox("Split cells by", split_options,
                          _index(split_options, data.defaults.get("split"), 0),
                          key="carto_split")  # fmt: skip
coders_seen = sorted(set(data.codings["coder"]))
cols = st.columns([3, 1, 1], vertical_alignment="bottom")
# People by default; a machine layer such as 'auto' only when chosen.
coders = cols[0].multiselect("Coders", coders_seen, default_coders(kinds, coders_seen),
                             key="carto_coders", placeholder="Choose coders to map")  # fmt: skip
min_support = cols[1].number_input("Min. interviews", 0, 1000, 1, key="carto_min")
show_empty = cols[2].toggle("Uncoded codes", key="carto_empty")

if not coders:
    st.info("Choose the coders whose codings make the map.")
    st.stop()
try:
    layout = resolve_layout(data, rows, columns, split)
    m = draw_map(data, layout, coders=coders, min_support=int(min_support),
                 show_empty=show_empty)  # fmt: skip
except QualcartoError as exc:
    st.error(str(exc))
    st.stop()

frame = map_frame(m)
st.caption(f"{len(frame)} codes on the map · codebook version {data.codebook_version} · "
           "size and n = distinct interviews supporting the code")  # fmt: skip
if frame.empty:
    st.info("No code has enough support yet. Lower the minimum or show uncoded codes.")
    st.stop()

picked = alt.selection_point(name="code", fields=["id"], on="click")
tallest = int(frame.groupby(["row", "col", "split"]).size().max())
chart = (
    alt.Chart(frame)
    .mark_point(filled=True, opacity=0.85)
    .encode(
        x=alt.X("col:N", sort=list(m.cols), title=layout.cols, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("split:N", sort=list(m.splits)),
        y=alt.Y("row:N", sort=list(m.rows), title=layout.rows),
        yOffset=alt.YOffset("rank:O"),
        color=alt.Color(
            "split:N",
            sort=list(m.splits),
            title=layout.split or "",
            scale=alt.Scale(range=["#0072B2", "#D55E00", "#009E73", "#CC79A7"]),
        ),
        shape=alt.Shape(
            "split:N",
            sort=list(m.splits),
            title=layout.split or "",
            scale=alt.Scale(range=["triangle-up", "circle", "square", "diamond"]),
        ),
        size=alt.Size("interviews:Q", title="interviews", scale=alt.Scale(range=[40, 400])),
        tooltip=[
            alt.Tooltip("name:N", title="code"),
            "interviews:Q",
            "excerpts:Q",
            "participants:N",
            alt.Tooltip("split:N", title=layout.split or "split"),
        ],
    )
    .add_params(picked)
    .properties(height=max(240, len(m.rows) * tallest * 16))
)
event = st.altair_chart(chart, width="stretch", on_select="rerun", key="carto_chart")

names = dict(zip(frame["id"], frame["name"], strict=True))
points = event.selection.get("code") if event else None  # a list of {"id": ...} once clicked
clicked = [p.get("id") for p in points] if isinstance(points, list) else []
if clicked and clicked[0] in names:
    st.session_state["carto_code"] = clicked[0]
code_id = st.selectbox("Read the excerpts of", list(names), format_func=names.__getitem__,
                       key="carto_code", help="Or click a code on the map.")  # fmt: skip
row = frame[frame["id"] == code_id].iloc[0]
st.subheader(md(row["name"]))
st.caption(f"{row['interviews']} interviews · {row['excerpts']} excerpts · "
           f"participants: {md(row['participants'] or 'none')}")  # fmt: skip
excerpts = code_excerpts(data, code_id, coders)
for item in excerpts.head(MAX_EXCERPTS).itertuples():
    st.caption(f"{md(item.transcript)} · {md(item.coder)} · {item.start}–{item.end}")
    st.text(str(item.text))  # plain text: transcript markup is never rendered
if len(excerpts) > MAX_EXCERPTS:
    st.caption(f"Showing the first {MAX_EXCERPTS} of {len(excerpts)} excerpts.")

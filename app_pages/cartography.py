# SPDX-License-Identifier: MIT
"""The cartography, live: the same figures as the CLI, hover a code for its support,
choose it below to read its excerpts.

Rows, columns and split are facets of the codebook. The map counts the human and
reference layers unless a machine layer (such as ``auto``) is chosen. A coder in a
blind study sees the map of their own codings only.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from app_pages.cartography_views import draw_figure, figure_choices
from app_pages.common import md, reading, require_user
from qualcarto.cartography import (
    NO_SPLIT,
    code_excerpts,
    draw_map,
    map_frame,
    resolve_layout,
    svg_text,
)
from qualcarto.cartography_data import cartography_data
from qualcarto.errors import QualcartoError
from qualcarto.wording import counted

MAX_EXCERPTS = 100
SCREEN_SCALE = 1.2  # the print size is small on a screen

user = require_user()
st.title("Cartography")
with reading() as session:
    data = cartography_data(session, viewer=user.name)
facets = list(data.facet_orders)
if len(facets) < 2:
    st.info("The codebook declares fewer than two facets, so there is no grid to draw.")
    st.stop()


def _index(options: list[str], value: object, fallback: int) -> int:
    return options.index(str(value)) if value in options else fallback


split_options = [NO_SPLIT, *facets]
cols = st.columns(3)
rows = cols[0].selectbox(
    "Rows", facets, _index(facets, data.defaults.get("rows"), 0), key="carto_rows"
)
columns = cols[1].selectbox(
    "Columns", facets, _index(facets, data.defaults.get("cols"), 1), key="carto_cols"
)
split = cols[2].selectbox(
    "Split cells by",
    split_options,
    _index(split_options, data.defaults.get("split"), 0),
    key="carto_split",
)
coders_seen = sorted(set(data.codings["coder"]))
cols = st.columns([3, 1, 1], vertical_alignment="bottom")
coders = cols[0].multiselect(
    "Layers (coders)",
    coders_seen,
    default=data.human_coders(),
    key="carto_coders",
    help="People and reference layers by default; add a machine layer to count it too.",
)
min_support = cols[1].number_input("Min. interviews", 0, 1000, 1, key="carto_min")
show_empty = cols[2].toggle("Uncoded codes", key="carto_empty")

if not coders:
    empty = "No codings you may see yet: the map fills in as your transcripts are coded."
    st.info("Choose the coders whose codings make the map." if coders_seen else empty)
    st.stop()
try:
    layout = resolve_layout(data, rows, columns, split)
    m = draw_map(data, layout, coders=coders, min_support=int(min_support), show_empty=show_empty)
except QualcartoError as exc:
    st.error(md(str(exc)))
    st.stop()

frame = map_frame(m)
if frame.empty:
    st.info("No code has enough support yet. Lower the minimum or show uncoded codes.")
    st.stop()

chosen = st.radio("Figure", figure_choices(m), horizontal=True, key="carto_figure")
try:
    fig = draw_figure(data, m, chosen, coders, int(min_support), show_empty)
except (KeyError, ValueError) as exc:
    st.info(f"This study cannot draw the {chosen.lower()} figure: {md(exc)}")
else:
    notes = {
        str(r.id): f"{r.name}: {counted(r.interviews, 'interview')} · "
        f"{counted(r.excerpts, 'excerpt')} · "
        f"participants: {r.participants or 'none'}"
        for r in frame.itertuples()
    }
    # An iframe keeps the SVG whole (st.html strips SVG); a browser draws 96 px to the inch.
    svg = svg_text(fig, notes, SCREEN_SCALE)
    height = int(fig.get_figheight() * 96 * SCREEN_SCALE) + 16
    components.html(svg, height=height, scrolling=True)
st.caption(f"{len(frame)} codes on the map · hover a code for its support")

names = dict(zip(frame["id"], frame["name"], strict=True))
code_id = st.selectbox(
    "Read the excerpts of", list(names), format_func=names.__getitem__, key="carto_code"
)
row = frame[frame["id"] == code_id].iloc[0]
st.subheader(md(row["name"]))
st.caption(
    f"{counted(row['interviews'], 'interview')} · {counted(row['excerpts'], 'excerpt')} · "
    f"participants: {md(row['participants'] or 'none')}"
)
excerpts = code_excerpts(data, code_id, coders)
for item in excerpts.head(MAX_EXCERPTS).itertuples():
    st.caption(f"{md(item.transcript)} · {md(item.coder)} · {item.start}–{item.end}")
    st.text(str(item.text))  # plain text: transcript markup is never rendered
if len(excerpts) > MAX_EXCERPTS:
    st.caption(f"Showing the first {MAX_EXCERPTS} of {len(excerpts)} excerpts.")

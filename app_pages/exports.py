# SPDX-License-Identifier: MIT
"""Exports: the theme-matrix workbook, tidy csv, REFI-QDA and graph files, as downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app_pages.common import download, group_filter, md, reading, require_user
from qualcarto.codebook import get_version
from qualcarto.errors import QualcartoError
from qualcarto.exchange import CONSENSUS, study_data
from qualcarto.exchange.bundle import FORMATS, write_all
from qualcarto.study_settings import visible_coders
from qualcarto.transcripts.groups import list_groups
from qualcarto.users import list_users
from qualcarto.wording import counted

LABELS = {
    "xlsx": "Theme matrices (Excel workbook)",
    "csv": "Codings, one row each (tidy csv)",
    "qdpx": "REFI-QDA project (.qdpx)",
    "qdc": "REFI-QDA codebook (.qdc)",
    "graphml": "Co-occurrence network (GraphML)",
    "gexf": "Co-occurrence network (GEXF, for Gephi)",
}

user = require_user()
st.title("Exports")
with reading() as session:
    allowed = visible_coders(session, user.name)
    people = [u.name for u in list_users(session)]
    newest = get_version(session).number
    groups = list_groups(session)

if allowed is None:
    layer = st.radio(
        "Whose codings",
        ["All coders", "Consensus", "Chosen coders"],
        horizontal=True,
        key="exports_layer",
    )
    chosen = (
        st.multiselect("Coders", people, key="exports_coders") if layer == "Chosen coders" else []
    )
else:
    layer, chosen = "Chosen coders", allowed
    st.caption("The study is blind: you can export your own codings only.")
version = st.selectbox("Codebook version", list(range(newest, 0, -1)), key="exports_version")
group = group_filter(groups, "exports_group")
choice = (layer, tuple(chosen), version, group)

if st.button("Prepare the files", key="exports_prepare", type="primary"):
    try:
        with reading() as session, tempfile.TemporaryDirectory() as folder:
            data = study_data(
                session,
                list(chosen) or None,
                consensus=layer == "Consensus",
                version=version,
                group=group,
            )
            files, left_out = write_all(session, data, Path(folder))
            st.session_state["exports_files"] = (
                choice,
                {fmt: (path.name, path.read_bytes()) for fmt, path in files.items()},
                len(data.codings),
                left_out,
            )
    except QualcartoError as exc:
        st.session_state.pop("exports_files", None)
        st.error(md(str(exc)))

prepared = st.session_state.get("exports_files")
if prepared and prepared[0] == choice:
    _, files, count, left_out = prepared
    st.success(f"{counted(count, 'coding')} exported under codebook version {version}.")
    for line in left_out:
        st.caption(md(line))
    for fmt, (name, data) in files.items():
        download(LABELS[fmt], data, file_name=name, mime=FORMATS[fmt], key=f"exports_get_{fmt}")
elif layer == "Consensus":
    st.caption(f"The consensus layer is the codings of the coder '{CONSENSUS}'.")

# SPDX-License-Identifier: MIT
"""The Reconcile page's boundary editor: the consensus span between two handles to drag."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.span_selector import View, build_pieces, span_selector
from qualcarto.store import Transcript

EDITING = "rec_editing"  # (unit key, a_id, b_id, start, end): the span being adjusted


def _moved() -> None:
    """The handles were dragged, the text Shift+clicked or a new span selected."""
    state = st.session_state.get("rec_selector") or {}
    event = state.get("boundary") or state.get("selection")
    editing = st.session_state.get(EDITING)
    if event and editing and int(event["end"]) > int(event["start"]):
        start, end = sorted((int(event["start"]), int(event["end"])))
        st.session_state[EDITING] = (*editing[:3], start, end)


def boundary_editor(
    doc: Transcript,
    key: str,
    ids: tuple[int | None, int | None],
    span: tuple[int, int],
    decide: Callable[[int | None, int | None, str, str], None],
) -> None:
    """The transcript with the consensus span between two handles: drag them, then save
    (``decide`` records the ``edit`` decision for the two codings ``ids``)."""
    start, end = span
    st.caption(
        f"Consensus span {start}–{end}: drag the blue handles, Shift+click the text or "
        "select a new span, then save."
    )
    span_selector(
        doc.text,
        build_pieces(doc.length, [], pending=(start, end)),
        key="rec_selector",
        view=View(doc.name, max(0, start - 200), f"rec:{key}"),
        marks=[],
        stripes=False,
        active=(0, start, end),
        callbacks={"boundary": _moved, "selection": _moved},
        height=260,
    )
    st.button(
        "Save this span as the consensus",
        key=f"{key}_edit",
        type="primary",
        on_click=decide,
        args=(*ids, "edit", key),
    )

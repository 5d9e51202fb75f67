# SPDX-License-Identifier: MIT
"""Our span selector: a ``st.components.v2`` component that draws codings and reports selections.

The database stays the source of truth: Python cuts the text into pieces (codings,
speaker labels, the pending selection) and the JavaScript in ``span_selector.js`` only
draws them with ``textContent`` and reports two events, ``selection`` (code-point
offsets) and ``clicked`` (the coding ids under a click). ``isolate_styles=False``
because a shadow root hides the document selection from the script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from qualcarto.highlight import highlight_pieces

_CSS = """
.qcs-box { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.75;
  font-family: Georgia, 'Noto Serif', serif; font-size: 1.02rem; overflow-y: auto;
  padding: 0.9rem 1.1rem; border: 1px solid rgba(128,128,128,.35); border-radius: .5rem; }
.qcs-box .qcs-speaker { font-weight: 700; font-family: system-ui, sans-serif; font-size: .9rem; }
.qcs-box [data-ids] { cursor: pointer; border-radius: 2px; }
.qcs-box .qcs-pending { background: rgba(255, 196, 0, .55) !important;
  outline: 1px dashed #8a6d00; }
"""
_COMPONENT = st.components.v2.component(
    "qualcarto_span_selector",
    css=_CSS,
    js=Path(__file__).with_name("span_selector.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_PENDING, _LABEL = -1, -2


@dataclass(frozen=True)
class Mark:
    """One coding to draw: its id, span, colour and the words shown on hover."""

    coding_id: int
    start: int
    end: int
    color: str | None
    label: str


def _style(colors: list[str]) -> tuple[str, str]:
    if len(colors) == 1:
        return f"{colors[0]}38", f"2px solid {colors[0]}"
    stripes = ", ".join(f"{c}55" for c in colors[:6])
    return f"linear-gradient({stripes})", f"3px double {colors[0]}"


def build_pieces(
    length: int,
    marks: Sequence[Mark],
    labels: Sequence[tuple[int, int]] = (),
    pending: tuple[int, int] | None = None,
) -> list[list[Any]]:
    """Pieces for the component: ``[start, end, class, background, border, title, ids]``."""
    by_id = {m.coding_id: m for m in marks}
    spans = [(m.coding_id, m.start, m.end) for m in marks]
    spans += [(_LABEL, s, e) for s, e in labels if e > s]
    if pending is not None:
        spans.append((_PENDING, *pending))
    out: list[list[Any]] = []
    for piece in highlight_pieces(length, spans):
        ids = [i for i in piece.coding_ids if i >= 0]
        kinds = [k for k, flag in (("qcs-speaker", _LABEL), ("qcs-pending", _PENDING))
                 if flag in piece.coding_ids]  # fmt: skip
        background = border = title = ""
        if ids:
            colors = [
                c if c and _HEX.match(c) else "#888888" for c in (by_id[i].color for i in ids)
            ]
            background, border = _style(colors)
            title = "\n".join(by_id[i].label for i in ids)
        out.append([piece.start, piece.end, " ".join(kinds), background, border, title, ids])
    return out


def span_selector(
    text: str,
    pieces: list[list[Any]],
    *,
    key: str,
    on_selection: Callable[[], None],
    on_click: Callable[[], None],
    height: int = 620,
) -> Any:
    """Mount the selector; the callbacks read ``st.session_state[key]`` (``selection``, ``clicked``)."""
    return _COMPONENT(
        data={"text": text, "pieces": pieces, "height": height},
        key=key,
        on_selection_change=on_selection,
        on_clicked_change=on_click,
    )

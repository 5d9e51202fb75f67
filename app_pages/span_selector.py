# SPDX-License-Identifier: MIT
"""Our span selector: a ``st.components.v2`` component that draws codings and reports selections.

The database stays the source of truth: Python cuts the text into pieces (codings,
speaker labels, the pending selection) and lists the margin stripes; the JavaScript in
``span_selector.js`` only draws them with ``textContent`` and reports events in code-point
offsets: ``selection``, ``clicked`` (coding ids under a click or of a stripe), ``boundary``
(a handle dragged or Shift+click: the coding's proposed new span) and ``key`` (a
shortcut pressed). It keeps the pane's scroll across redraws and writes ``t`` and ``at``
(the offset at the top of the view) into the address, so a reload opens at the same place.
``isolate_styles=False`` because a shadow root hides the document selection from the script.
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
.qcs-root { position: relative; }
.qcs-box { display: flex; gap: .6rem; overflow-y: auto; padding: 0.9rem 0.6rem 0.9rem 1.1rem;
  border: 1px solid rgba(128,128,128,.35); border-radius: .5rem; }
.qcs-box:focus-visible { outline: 2px solid #1c6dd0; outline-offset: 1px; }
.qcs-text { position: relative; flex: 1 1 auto; min-width: 0; white-space: pre-wrap;
  overflow-wrap: anywhere; line-height: 1.75; font-family: Georgia, 'Noto Serif', serif;
  font-size: 1.02rem; }
.qcs-text .qcs-speaker { font-weight: 700; font-family: system-ui, sans-serif; font-size: .9rem; }
.qcs-text [data-ids] { cursor: pointer; border-radius: 2px; }
.qcs-text .qcs-pending { background: rgba(255, 196, 0, .55) !important;
  outline: 1px dashed #8a6d00; }
.qcs-margin { position: relative; flex: 0 0 auto; border-left: 1px solid rgba(128,128,128,.3); }
.qcs-stripe { position: absolute; width: 18px; padding: 0 0 0 2px; margin: 0; cursor: pointer;
  border: 0; border-left: 4px solid #888; background: transparent; overflow: hidden;
  text-align: left; }
.qcs-stripe span { writing-mode: vertical-rl; font: 600 11px/13px system-ui, sans-serif;
  white-space: nowrap; color: inherit; opacity: .85; }
.qcs-stripe:hover, .qcs-stripe:focus-visible { background: rgba(128,128,128,.18); }
.qcs-handle { position: absolute; width: 6px; cursor: ew-resize; background: #1c6dd0;
  border-radius: 3px; z-index: 2; }
.qcs-help { position: absolute; top: .5rem; right: .5rem; z-index: 5; max-width: 30rem;
  padding: .8rem 1rem; border-radius: .5rem; background: #fff; color: #111;
  box-shadow: 0 4px 18px rgba(0,0,0,.25); font: 14px/1.5 system-ui, sans-serif; }
.qcs-help dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem .9rem; margin: .5rem 0 0; }
.qcs-help dt { font-weight: 700; white-space: nowrap; } .qcs-help dd { margin: 0; }
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


def build_pieces(
    length: int,
    marks: Sequence[Mark],
    labels: Sequence[tuple[int, int]] = (),
    pending: tuple[int, int] | None = None,
) -> list[list[Any]]:
    """Pieces for the component: ``[start, end, class, coding ids]``.

    A piece's colours and hover text come from ``build_marks`` (once per coding, not once
    per piece): that keeps the data sent on every rerun of a long transcript small.
    """
    spans = [(m.coding_id, m.start, m.end) for m in marks]
    spans += [(_LABEL, s, e) for s, e in labels if e > s]
    if pending is not None:
        spans.append((_PENDING, *pending))
    out: list[list[Any]] = []
    for piece in highlight_pieces(length, spans):
        ids = [i for i in piece.coding_ids if i >= 0]
        kinds = [
            k
            for k, flag in (("qcs-speaker", _LABEL), ("qcs-pending", _PENDING))
            if flag in piece.coding_ids
        ]
        out.append([piece.start, piece.end, " ".join(kinds), ids])
    return out


def color_of(color: str | None) -> str:
    """A code's colour as ``#rrggbb``, or grey when it has none (or not a valid one)."""
    return color if color and _HEX.match(color) else "#888888"


def build_marks(marks: Sequence[Mark]) -> list[list[Any]]:
    """The codings for the component: ``[coding_id, start, end, colour, label]``."""
    return [[m.coding_id, m.start, m.end, color_of(m.color), m.label] for m in marks]


@dataclass(frozen=True)
class View:
    """Where the pane opens: ``at`` (an offset, or None for the top) when ``jump`` is new.

    ``jump`` names the request (a link, a transcript switch); while it stays the same the
    browser keeps its own scroll position across redraws and reloads.
    """

    doc: str
    at: int | None
    jump: str


def span_selector(
    text: str,
    pieces: list[list[Any]],
    *,
    key: str,
    view: View,
    marks: list[list[Any]],
    stripes: bool,
    active: tuple[int, int, int] | None,
    callbacks: dict[str, Callable[[], None]],
    height: int = 620,
    address: bool = False,
) -> Any:
    """Mount the selector; each callback (``selection``, ``clicked``, ``boundary``, ``key``)
    reads its event from ``st.session_state[key]``.

    ``marks`` come from ``build_marks``; ``stripes`` draws them in the margin; ``address``
    keeps ``t`` and ``at`` in the page's address.
    """
    return _COMPONENT(
        data={
            "text": text,
            "pieces": pieces,
            "height": height,
            "doc": view.doc,
            "at": view.at,
            "jump": view.jump,
            "marks": marks,
            "stripes": stripes,
            "active": list(active) if active else None,
            "address": address,
        },
        key=key,
        **{f"on_{name}_change": callback for name, callback in callbacks.items()},
    )

# SPDX-License-Identifier: MIT
"""The recording beside a transcript: Streamlit's own player plus a list of timed turns.

``st.audio``/``st.video`` serve the file (with range requests); the small component in
``media_player.js`` finds that element, seeks when a turn is clicked, and while playing
marks the current turn, in its list and in the transcript drawn by the span selector.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from qualcarto.config import resolve_db_url, resolve_media_dir
from qualcarto.errors import ConfigError
from qualcarto.media.playback import Recording

_CSS = """
.qmp-turns { max-height: 9.5rem; overflow-y: auto; margin: .25rem 0 .5rem; padding: 0;
  border: 1px solid rgba(128,128,128,.35); border-radius: .5rem; list-style: none; }
.qmp-turns button { all: unset; display: block; box-sizing: border-box; width: 100%;
  padding: .15rem .6rem; cursor: pointer; font-size: .88rem; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.qmp-turns button:focus-visible { outline: 2px solid #1f6feb; }
.qmp-turns button[aria-current="true"] { background: rgba(31, 111, 235, .18); font-weight: 600; }
.qcs-box .qmp-playing { box-shadow: inset 3px 0 0 #1f6feb; background-color: rgba(31,111,235,.08); }
"""
_COMPONENT = st.components.v2.component(
    "qualcarto_media_player",
    css=_CSS,
    js=Path(__file__).with_name("media_player.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)
PLAYER_KEY = "qc-player"


def media_folder() -> Path | None:
    """The store's media folder, or ``None`` where none is set (a server store without one)."""
    try:
        return resolve_media_dir(resolve_db_url())
    except ConfigError:
        return None


def time_note(recording: Recording | None, start: int, end: int) -> str:
    """`` · 0:06.9–0:12.4`` for a span of a timed transcript, else nothing."""
    seconds = recording.seconds_of(start, end) if recording else None
    return f" · {clock(seconds[0])}–{clock(seconds[1])}" if seconds else ""


def clock(seconds: float) -> str:
    """``M:SS.s`` (or ``H:MM:SS``) for a time in the recording."""
    if seconds >= 3600:
        whole = int(seconds)
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def media_player(recording: Recording, text: str, *, key: str) -> None:
    """Show the player and the timed turns of ``text``; clicking a turn seeks there."""
    with st.container(key=PLAYER_KEY):
        if recording.kind == "video":
            st.video(str(recording.path))
        else:
            st.audio(str(recording.path))
    turns = [
        [
            t.seconds,
            t.until,
            t.start,
            t.end,
            f"{clock(t.seconds)}  " + (f"{t.speaker}: " if t.speaker else "") + _gist(text, t),
        ]
        for t in recording.turns
    ]
    _COMPONENT(data={"turns": turns, "player": PLAYER_KEY}, key=key)


def _gist(text: str, turn: object) -> str:
    start, end = getattr(turn, "start", 0), getattr(turn, "end", 0)
    words = " ".join(text[start:end].split())
    return words if len(words) <= 90 else words[:89] + "…"

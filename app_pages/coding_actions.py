# SPDX-License-Identifier: MIT
"""What the coding page's buttons, keys and handles do: thin callbacks over ``qualcarto.coding``.

They run as Streamlit callbacks, before the page script, so the transcript drawn in the
same run already shows the change. Each keeps what ``undo`` needs and leaves a one-line
message (or error) for the page to show. The pending selection stays after Apply, edit,
delete and undo (Esc clears it), so another code can go on the same passage.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.common import CODE_JUMP, store
from qualcarto.coding import (
    add_coding,
    coding_snapshot,
    codings_frame,
    delete_coding,
    edit_coding,
    restore_coding,
)
from qualcarto.errors import ConflictError, QualcartoError
from qualcarto.selection import snap, word_step
from qualcarto.transcripts import get_transcript

PENDING = "qc_pending"  # (transcript name, start, end) of the selection waiting for a code
CLICKED = "qc_clicked"  # coding ids under the last click
UNDO = "qc_undo"
FLASH = "qc_flash"
RECENT = "qc_recent"
SELECTOR = "qc_selector"
CHOICE = "code_choice"
JUMP = CODE_JUMP  # (transcript, offset or None, name of the request) the pane should open at


def _flash(message: str, ok: bool = True) -> None:
    st.session_state[FLASH] = (ok, message)


def open_link(names: list[str]) -> None:
    """On the page's first run: a link or a reload (``?t=I3&at=8124``) opens I3 there,
    when ``names`` (the transcripts the user may open) holds it. A passage link
    (``&to=8301``, from a memo's ``[[I3:8124-8301]]``) also selects the passage."""
    if JUMP in st.session_state:
        return
    linked = st.query_params.get("t") or st.query_params.get("transcript")
    at, to = st.query_params.get("at", ""), st.query_params.get("to", "")
    if linked in names:
        st.session_state["code_transcript"] = linked
        st.session_state[JUMP] = (linked, int(at) if at.isdigit() else None, f"link:{at}")
        if at.isdigit() and to.isdigit() and int(to) > int(at):
            st.session_state[PENDING] = (linked, int(at), int(to))
    else:
        st.session_state[JUMP] = (None, None, "")


def on_switch() -> None:
    """Another transcript was chosen: open it where you were in it, nothing clicked."""
    chosen = st.session_state["code_transcript"]
    st.session_state[JUMP] = (chosen, None, f"doc:{chosen}")
    st.session_state.pop(CLICKED, None)


def on_selection(transcript: str, user: str) -> None:
    """The component reported a selection: snap it and keep it as the pending span."""
    event = (st.session_state.get(SELECTOR) or {}).get("selection")
    if not event:
        return
    start, end = int(event["start"]), int(event["end"])
    with store() as session:
        doc = get_transcript(session, transcript)
        start, end = snap(session, doc, start, end, st.session_state.get("code_snap", "exact"))
    if end > start:
        st.session_state[PENDING] = (transcript, start, end)
        st.session_state.pop(CLICKED, None)


def on_click() -> None:
    """The component reported a click on coded text or a stripe: show those codings."""
    event = (st.session_state.get(SELECTOR) or {}).get("clicked")
    if event:
        st.session_state[CLICKED] = [int(i) for i in event["ids"]]


def on_boundary(user: str) -> None:
    """A handle was dragged (or the text Shift+clicked): move that coding's boundary there."""
    event = (st.session_state.get(SELECTOR) or {}).get("boundary")
    if not event:
        return
    start, end = int(event["start"]), int(event["end"])
    if end < start:
        start, end = end, start
    try:
        with store() as session:
            doc = get_transcript(
                session, int(coding_snapshot(session, int(event["id"]))["transcript_id"])
            )
            start, end = snap(session, doc, start, end, st.session_state.get("code_snap", "exact"))
    except QualcartoError as exc:
        _flash(str(exc), ok=False)
        return
    if end <= start:
        _flash("A coding needs at least one character: drag the handle further.", ok=False)
        return
    edit(user, int(event["id"]), start=start, end=end)


def _extend(transcript: str, side: str, step: int) -> None:
    pending = st.session_state.get(PENDING)
    if not pending or pending[0] != transcript:
        return
    _, start, end = pending
    with store() as session:
        text = get_transcript(session, transcript).text
    if side == "start":
        start = word_step(text, start, step)
        while start < end and text[start].isspace():
            start += 1
    else:
        end = word_step(text, end, step)
        while end > start and text[end - 1].isspace():
            end -= 1
    if end > start:
        st.session_state[PENDING] = (transcript, start, end)


def on_key(transcript: str, user: str) -> None:
    """A shortcut pressed in the page: apply a recent code, apply, clear, grow, undo."""
    event = (st.session_state.get(SELECTOR) or {}).get("shortcut")
    if not event:
        return
    action = event.get("action")
    if action == "clear":
        st.session_state.pop(PENDING, None)
        st.session_state.pop(CLICKED, None)
    elif action == "undo":
        undo(user)
    elif action == "extend":
        _extend(transcript, str(event.get("side")), 1 if int(event.get("step", 1)) > 0 else -1)
    elif action == "apply":
        slot = int(event.get("slot", 0))
        if slot == 0:
            apply_codes(user)
            return
        recent = st.session_state.get(RECENT, [])
        if slot > len(recent):
            _flash(f"No recent code {slot} yet: apply a code from the picker first.", ok=False)
            return
        apply_codes(user, [recent[slot - 1]])


def _remember(code_ids: list[str]) -> None:
    recent = [c for c in st.session_state.get(RECENT, []) if c not in code_ids]
    st.session_state[RECENT] = (code_ids + recent)[:6]


def apply_codes(user: str, code_ids: list[str] | None = None) -> None:
    """Code the pending selection with ``code_ids`` (default: the codes chosen in the picker).

    Widget values are read here, at click time: arguments bound when the button was
    drawn would miss a choice made just before the click.
    """
    if code_ids is None:
        code_ids = list(st.session_state.get(CHOICE) or [])
    pending = st.session_state.get(PENDING)
    if not pending or not code_ids:
        _flash("Select a passage and a code first.", ok=False)
        return
    transcript, start, end = pending
    try:
        with store() as session:
            # Until the store refuses exact duplicates itself, the page does: the same
            # coder, passage and code once, whatever is clicked twice.
            mine = codings_frame(session, [user], [transcript])
            there = set(mine.loc[(mine["start"] == start) & (mine["end"] == end), "code_id"])
            new = [c for c in dict.fromkeys(code_ids) if c not in there]
            made = [add_coding(session, transcript, start, end, c, user).id for c in new]
    except QualcartoError as exc:
        _flash(str(exc), ok=False)
        return
    doubled = [c for c in code_ids if c in there]
    _remember(code_ids)
    if not made:
        _flash(
            f"Already coded: {start}–{end} has {', '.join(doubled)} from you; nothing stored.",
            ok=False,
        )
        return
    st.session_state[UNDO] = ("add", made)
    also = f" ({', '.join(doubled)} was already there)" if doubled else ""
    _flash(f"Coded {start}–{end} with {', '.join(new)}{also}.")


def delete(user: str, coding_id: int) -> None:
    """Delete one of ``user``'s codings; undo brings it back."""
    try:
        with store() as session:
            snapshot = delete_coding(session, coding_id, user)
    except QualcartoError as exc:
        _flash(str(exc), ok=False)
        return
    st.session_state[UNDO] = ("delete", [snapshot])
    st.session_state[CLICKED] = [i for i in st.session_state.get(CLICKED, []) if i != coding_id]
    _flash("Deleted the coding.")


def edit(user: str, coding_id: int, **changes: Any) -> None:
    """Change a coding's span, code or memo; ``span=True`` takes the pending selection."""
    if changes.pop("span", False):
        pending = st.session_state.get(PENDING)
        if not pending:
            _flash("Select the new boundaries in the transcript first.", ok=False)
            return
        changes["start"], changes["end"] = pending[1], pending[2]
    expected = st.session_state.pop(f"edit_version_{coding_id}", None)
    try:
        with store() as session:
            before = {k: v for k, v in coding_snapshot(session, coding_id).items() if k in changes}
            edit_coding(session, coding_id, user, **changes, expected_version=expected)
    except ConflictError:  # changed in another tab: the next save is a knowing one
        _flash(
            f"Coding {coding_id} was changed meanwhile (in another tab or window). Your "
            "change is still in the form: save again to replace the other one.",
            ok=False,
        )
        return
    except QualcartoError as exc:
        _flash(str(exc), ok=False)
        return
    st.session_state[UNDO] = ("edit", [(coding_id, before)])
    _flash("Saved.")


def save_fields(user: str, coding_id: int) -> None:
    """Save the code and memo fields of a clicked coding, as they are at click time."""
    edit(
        user,
        coding_id,
        code_id=st.session_state.get(f"edit_code_{coding_id}"),
        memo=st.session_state.get(f"edit_memo_{coding_id}"),
    )


def undo(user: str) -> None:
    """Take back the last add, delete or edit made on this page."""
    action = st.session_state.pop(UNDO, None)
    if action is None:
        return
    kind, items = action
    try:
        with store() as session:
            for item in items:
                if kind == "add":
                    delete_coding(session, item, user)
                elif kind == "delete":
                    restore_coding(session, item, user)
                else:
                    coding_id, before = item
                    edit_coding(session, coding_id, user, **before)
    except QualcartoError as exc:
        _flash(f"Cannot undo: {exc}", ok=False)
        return
    _flash(f"Undid the last {kind}.")

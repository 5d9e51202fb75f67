# SPDX-License-Identifier: MIT
"""What every page shares: the one engine of this server process, and sessions on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.runtime import Runtime

from qualcarto.auth import SignedIn, resume
from qualcarto.auth import sign_out as auth_sign_out
from qualcarto.codebook import Codebook, get_version, version_codebook
from qualcarto.config import resolve_db_url
from qualcarto.errors import QualcartoError
from qualcarto.store import CodebookVersion, connect, read_scope, session_scope
from qualcarto.transcripts.frames import transcripts_frame
from qualcarto.transcripts.groups import names_in

ALL_TRANSCRIPTS = "All transcripts"

TOKEN_KEY = "qc_token"
CODE_PAGE = "app_pages/coding.py"
CODE_JUMP = "qc_jump"  # the Code page's scroll request; it reads ?t=&at= only while unset


def open_on_code_page(transcript: str, start: int | None = None) -> None:
    """Switch to the Code page on ``transcript`` (scrolled to ``start``), also when the
    Code page was open before in this session."""
    st.session_state.pop(CODE_JUMP, None)
    at = {"at": str(start)} if start is not None else {}
    st.switch_page(CODE_PAGE, query_params={"t": transcript, **at})


# Marks that start markdown anywhere in a line, and those that only do at a line's start.
_INLINE = re.compile(r"([\\`*_\[\]<>&~$:|#])")
_LINE_START = re.compile(r"^(\s*[-+=]|\s*\d+[.)])", re.MULTILINE)


def md(text: object) -> str:
    """User text made literal inside Streamlit markdown (captions, labels, expanders).

    A backslash before a punctuation mark makes CommonMark show the mark itself: no
    emphasis, links, HTML, entities, lists, ``:material/...:`` icons or ``$`` maths can
    be smuggled in through a code name, memo, file name or attribute.
    """
    escaped = _INLINE.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], escaped)


def marked(before: str, passage: str, after: str) -> str:
    """A passage in its context, set off by « » (in every font; CJK brackets were empty
    boxes in a browser without CJK fonts). For ``st.text``: plain, never markup."""
    return f"{before}«{passage}»{after}"


@st.cache_resource
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per store per server process."""
    return connect(url)


def engine() -> Engine:
    """The app's engine, or stop the page with advice when the store is missing."""
    try:
        return engine_for(resolve_db_url())
    except QualcartoError as exc:
        st.error(md(str(exc)))
        st.stop()


@contextmanager
def store() -> Iterator[Session]:
    """A write transaction on the app's store; a missing store stops the page with advice."""
    with session_scope(engine()) as session:
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only snapshot of the app's store: takes no lock, so it never waits for a save."""
    with read_scope(engine()) as session:
        yield session


def codebook(session: Session, number: int | None = None) -> Codebook:
    """A published codebook version (the newest by default), read and indexed once.

    A version never changes once published, so every page and every rerun of this server
    shares one loaded ``Codebook`` per version, with its hierarchy lookups built once: a
    100,000-code book is not re-read and re-indexed on each click.
    """
    version = get_version(session, number)
    return _loaded_book(resolve_db_url(), version.id, version.created_at.isoformat())


@st.cache_resource(max_entries=4, show_spinner=False)
def _loaded_book(url: str, version_id: int, stamp: str) -> Codebook:
    with read_scope(engine_for(url)) as session:
        return version_codebook(session.get_one(CodebookVersion, version_id))


def pick_transcript(key: str) -> str:
    """A lead's transcript picker over the whole study; stops the page when there is none."""
    with reading() as session:
        names = list(transcripts_frame(session)["transcript"])
    if not names:
        st.info("No transcripts yet.")
        st.stop()
    return str(st.selectbox("Transcript", names, key=key))


def group_filter(groups: dict[str, list[str]], key: str, where: Any = st) -> str | None:
    """A "Transcript group" select box, shown once the study has groups; the group chosen.

    ``groups`` is ``list_groups``; ``where`` is ``st`` or ``st.sidebar``. ``None``: all.
    """
    if not groups:
        return None
    if st.session_state.get(f"{key}_kept") not in groups:  # e.g. a group deleted since
        st.session_state.pop(f"{key}_kept", None)
    keep_choices(key)
    choice = where.selectbox("Transcript group", [ALL_TRANSCRIPTS, *groups], key=key)
    return None if choice == ALL_TRANSCRIPTS else str(choice)


def keep_choices(*keys: str) -> None:
    """Keep these widgets' values while another page runs: Streamlit drops the state of a
    widget a run does not draw. Call before the widgets; none of them may take a default."""
    for key in keys:
        kept = f"{key}_kept"
        if key in st.session_state:
            st.session_state[kept] = st.session_state[key]
        elif kept in st.session_state:
            st.session_state[key] = st.session_state[kept]


def names_in_group(groups: dict[str, list[str]], names: list[str], key: str) -> list[str]:
    """``names`` narrowed by a sidebar group filter; a group holding none of them keeps all."""
    group = group_filter(groups, key, st.sidebar)
    kept = names_in(groups, names, group)
    if group is not None and not kept:
        st.sidebar.caption(md(f"None of these transcripts is in '{group}': showing all."))
        return names
    return kept


def client_address() -> str | None:
    """Where this browser connects from, for per-client sign-in delays.

    Behind the reverse proxy of docs/deploy.md every request comes from the proxy, so its
    ``X-Real-IP`` header (set by the proxy, overwriting what a client sends) names the
    browser; without a proxy, Streamlit's own view of the peer address.
    """
    forwarded = st.context.headers.get("X-Real-IP")
    address = forwarded or st.context.ip_address
    return address if isinstance(address, str) and address else None


def signed_in() -> SignedIn | None:
    """The person this browser session belongs to, checked against the store on every run.

    The token lives in session state and in the ``session`` query parameter, so a reload
    keeps the sign-in until the token expires or the person signs out.
    """
    token = st.session_state.get(TOKEN_KEY) or st.query_params.get("session", "")
    if not token:
        return None
    with reading() as session:
        user = resume(session, token)
    if user is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.query_params.pop("session", None)
        return None
    st.session_state[TOKEN_KEY] = token
    if st.query_params.get("session") != token:
        st.query_params["session"] = token
    return user


def require_user() -> SignedIn:
    """The signed-in person, or stop the page: no study data before sign-in."""
    user = signed_in()
    if user is None:
        st.warning("Please sign in first.")
        st.stop()
    return user


def require_lead() -> SignedIn:
    """The signed-in lead, or stop the page."""
    user = require_user()
    if not user.is_lead:
        st.warning("This page is for the study's lead.")
        st.stop()
    return user


def sign_out() -> None:
    """End this browser's session on the server and forget its token and its files."""
    token = st.session_state.pop(TOKEN_KEY, None) or st.query_params.get("session", "")
    if token:
        with store() as session:
            auth_sign_out(session, token)
    st.query_params.pop("session", None)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    _forget_files()


def _forget_files() -> None:
    """Drop the files this browser session was given (downloads, media) from the server.

    Streamlit serves them at unguessable but unauthenticated ``/media/...`` URLs and
    deletes a file only on the second clean-up after no session shows it any more (that
    is, after other people's page runs): a signed-out browser could fetch an export for
    minutes. Two clean-ups now remove every file no signed-in session still shows.
    """
    if not Runtime.exists():
        return
    files = Runtime.instance().media_file_mgr
    files.clear_session_refs()
    files.remove_orphaned_files()  # marks downloads for deletion
    files.remove_orphaned_files()  # deletes them


def download(label: str, data: bytes | str, file_name: str, mime: str, key: str) -> None:
    """A download button that hands the file over only while this sign-in is valid.

    The file is made when the button is clicked (Streamlit's deferred download), after
    checking the session token against the store: a page left open after signing out,
    or after the session expired, no longer yields it. A click reruns nothing.
    """
    token = str(st.session_state.get(TOKEN_KEY, ""))
    store_engine = engine()

    def still_signed_in() -> bytes | str:
        with read_scope(store_engine) as session:
            if not token or resume(session, token) is None:
                raise PermissionError("signed out: sign in again to download")
        return data

    st.download_button(
        label, still_signed_in, file_name=file_name, mime=mime, key=key, on_click="ignore"
    )

# SPDX-License-Identifier: MIT
"""What every page shares: the one engine of this server process, and sessions on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from qualcarto.config import resolve_db_url
from qualcarto.errors import QualcartoError
from qualcarto.store import connect, session_scope


@st.cache_resource
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per store per server process."""
    return connect(url)


@contextmanager
def store() -> Iterator[Session]:
    """A transaction on the app's store; a missing store stops the page with advice."""
    try:
        engine = engine_for(resolve_db_url())
    except QualcartoError as exc:
        st.error(str(exc))
        st.stop()
    with session_scope(engine) as session:
        yield session

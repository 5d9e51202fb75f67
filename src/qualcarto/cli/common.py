# SPDX-License-Identifier: MIT
"""What every command shares: one store transaction, a quiet progress bar, common help."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RAW_CSV_HELP = (
    "Write text exactly as stored: no apostrophe before cells starting with = + - @ "
    "(for pandas or R, not for spreadsheets)."
)


@contextmanager
def store_session(
    ctx: click.Context, *, create: bool = False, read_only: bool = False
) -> Iterator[Session]:
    """One transaction on the store named by ``--db``; commands use nothing else.

    Commands that only read (status, lists, reports, exports) pass ``read_only``: their
    snapshot takes no write lock, so they never wait for a coder's save or delay one.
    """
    from qualcarto.store import connect, read_scope, session_scope

    engine = connect(ctx.obj["db"], create=create)
    try:
        with (read_scope if read_only else session_scope)(engine) as session:
            yield session
    finally:
        engine.dispose()


class _SilentProgress:
    """Stands in for a progress bar where nobody watches (pipes, logs, tests)."""

    def __enter__(self) -> _SilentProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def update(self, _steps: int) -> None:
        return None


def progress_bar(length: int, label: str) -> Any:
    """A progress bar on stderr, shown only to a person at a terminal (never in logs or pipes)."""
    if not sys.stderr.isatty():
        return _SilentProgress()
    return click.progressbar(length=length, label=label, file=sys.stderr)

# SPDX-License-Identifier: MIT
"""Where the store lives: one rule for the CLI, the app and the tests."""

from __future__ import annotations

import os

DEFAULT_DB_URL = "sqlite:///qualcarto.db"
DB_ENV_VAR = "QUALCARTO_DB"


def resolve_db_url(explicit: str | None = None) -> str:
    """Return the store URL: an explicit ``--db`` wins, then ``QUALCARTO_DB``, then the default.

    A bare file path is accepted and read as a SQLite file, because that is what a
    researcher types.
    """
    url = explicit or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url

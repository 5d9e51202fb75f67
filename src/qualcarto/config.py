# SPDX-License-Identifier: MIT
"""Where the store lives: one rule for the CLI, the app and the tests."""

from __future__ import annotations

import os
from pathlib import Path

from qualcarto.errors import ConfigError

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


MEDIA_ENV_VAR = "QUALCARTO_MEDIA"


def resolve_media_dir(db_url: str, explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where recordings are kept: ``--media`` wins, then ``QUALCARTO_MEDIA``, then beside the store.

    A SQLite store ``study.db`` keeps its recordings in ``study.media/`` next to it; a
    server store (PostgreSQL) has no "beside", so there the folder must be named.
    """
    chosen = explicit or os.environ.get(MEDIA_ENV_VAR)
    if chosen:
        return Path(chosen)
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        store_file = Path(db_url.removeprefix("sqlite:///"))
        return store_file.with_name(store_file.name + ".media")
    raise ConfigError(
        f"no media folder for {db_url.split('@')[-1]}: set {MEDIA_ENV_VAR} to a shared folder"
    )

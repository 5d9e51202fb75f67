# SPDX-License-Identifier: MIT
"""Alembic, driven from code: the revision a store is at, the head, and the upgrade.

Opening a store that is already at the head is what every command does, so that path
reads the two revisions without importing Alembic (about a third of a second of start-up):
the store's revision from its ``alembic_version`` table, the head from the ``revision``
lines of the shipped migration files. Alembic itself is imported only to upgrade;
``tests/test_migrations.py`` checks both readings against Alembic's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, MetaData, String, Table, inspect, select

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32)))
_REVISION_LINE = re.compile(r'^(down_revision|revision) = (?:"([^"]*)"|None)$', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations, optionally bound to a connection."""
    from alembic.config import Config  # deferred for start-up speed (module docstring)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of qualcarto.

    The one revision no other migration names as its ``down_revision``.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for key, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            if value:
                (revisions if key == "revision" else parents).add(value)
    heads = revisions - parents
    assert len(heads) == 1, f"qualcarto ships one line of migrations, found heads {heads}"
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The migration a store is at, or None for an empty database."""
    if not inspect(connection).has_table(_VERSION_TABLE.name):
        return None
    return connection.scalars(select(_VERSION_TABLE.c.version_num)).first()


def upgrade_to_head(connection: Connection) -> None:
    """Run every pending migration inside the caller's transaction."""
    from alembic import command  # deferred for start-up speed (module docstring)

    command.upgrade(alembic_config(connection), "head")

# SPDX-License-Identifier: MIT
"""Alembic, driven from code: the revision a store is at, the head, and the upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of qualcarto."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "qualcarto ships at least one migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The migration a store is at, or None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(connection: Connection) -> None:
    """Run every pending migration inside the caller's transaction."""
    command.upgrade(alembic_config(connection), "head")

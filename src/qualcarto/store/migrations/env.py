# SPDX-License-Identifier: MIT
"""Alembic environment: always runs on a connection handed over by ``qualcarto.store``."""

from __future__ import annotations

from alembic import context

from qualcarto.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - guarded by qualcarto.store.migrate
    raise RuntimeError("run migrations through qualcarto.store.connect()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

# SPDX-License-Identifier: MIT
"""Staged imports: long imports commit in batches, their rows hidden until done.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The tables whose rows an import adds (``qualcarto.store.models.Staged``).
STAGED_TABLES = (
    "users",
    "participants",
    "transcripts",
    "media_files",
    "codebook_versions",
    "codings",
    "memos",
    "attribute_definitions",
    "transcript_groups",
    "audit_log",
)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    for table in STAGED_TABLES:
        # A nullable column without a foreign key: SQLite adds it without copying the table.
        op.add_column(table, sa.Column("import_id", sa.Integer(), nullable=True))
        op.create_index(op.f(f"ix_{table}_import_id"), table, ["import_id"], unique=False)


def downgrade() -> None:
    for table in STAGED_TABLES:
        op.drop_index(op.f(f"ix_{table}_import_id"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("import_id")
    op.drop_table("imports")

# SPDX-License-Identifier: MIT
"""Coder calibration: each coder's result against the standard layer.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(length=100), nullable=False),
        sa.Column("standard", sa.String(length=100), nullable=False),
        sa.Column("transcripts", sa.JSON(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("pooled", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("per_code", sa.JSON(), nullable=False),
        sa.Column("checked_by", sa.String(length=100), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_calibration_results_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_results")),
    )
    with op.batch_alter_table("calibration_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibration_results_coder"), ["coder"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calibration_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_results_coder"))
    op.drop_table("calibration_results")

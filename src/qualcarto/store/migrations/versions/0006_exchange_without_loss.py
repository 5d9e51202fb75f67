# SPDX-License-Identifier: MIT
"""Transcript groups, typed participant attributes, and memos on codes, participants and the study.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attribute_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_attribute_definitions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_definitions")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_attribute_definitions_project_id")),
    )
    op.create_table(
        "transcript_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_transcript_groups_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_groups")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_transcript_groups_project_id")),
    )
    op.create_table(
        "transcript_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["transcript_groups.id"],
            name=op.f("fk_transcript_group_members_group_id_transcript_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_transcript_group_members_transcript_id_transcripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "transcript_id", name=op.f("pk_transcript_group_members")
        ),
    )
    with op.batch_alter_table("transcript_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transcript_group_members_transcript_id"), ["transcript_id"], unique=False
        )
    with op.batch_alter_table("memos", schema=None) as batch_op:
        batch_op.alter_column("transcript_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("subject", sa.String(length=20), server_default="transcript", nullable=False)
        )
        batch_op.add_column(sa.Column("code_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("title", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_memos_participant_id_participants"),
            "participants",
            ["participant_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    op.execute("DELETE FROM memos WHERE transcript_id IS NULL")
    with op.batch_alter_table("memos", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_memos_participant_id_participants"), type_="foreignkey"
        )
        batch_op.drop_column("title")
        batch_op.drop_column("participant_id")
        batch_op.drop_column("code_id")
        batch_op.drop_column("subject")
        batch_op.alter_column("transcript_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("transcript_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcript_group_members_transcript_id"))
    op.drop_table("transcript_group_members")
    op.drop_table("transcript_groups")
    op.drop_table("attribute_definitions")

# SPDX-License-Identifier: MIT
"""Memos on codings, links between memos and what they name, saved queries.

Revision 0006 gave memos their subject, title, code and participant; this one adds the
coding a memo may be about (and an index on the code, which code memos are found by),
the ``memo_links`` table and ``saved_queries``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_queries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("codebook_version_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_saved_queries_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["codebook_version_id"],
            ["codebook_versions.id"],
            name=op.f("fk_saved_queries_codebook_version_id_codebook_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_saved_queries_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_queries")),
        sa.UniqueConstraint(
            "project_id", "name", "codebook_version_id", name=op.f("uq_saved_queries_project_id")
        ),
    )
    op.create_table(
        "memo_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["memo_id"], ["memos.id"], name=op.f("fk_memo_links_memo_id_memos"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["transcript_id"],
            ["transcripts.id"],
            name=op.f("fk_memo_links_transcript_id_transcripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo_links")),
    )
    with op.batch_alter_table("memo_links", schema=None) as batch_op:
        batch_op.create_index("ix_memo_links_kind_target", ["kind", "target"], unique=False)
        batch_op.create_index(batch_op.f("ix_memo_links_memo_id"), ["memo_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_memo_links_transcript_id"), ["transcript_id"], unique=False
        )
    with op.batch_alter_table("memos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coding_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_memos_code_id"), ["code_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memos_coding_id"), ["coding_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_memos_coding_id_codings"),
            "codings",
            ["coding_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # 0006 knows no memo about a coding: those memos go with the column.
    op.execute("DELETE FROM memos WHERE subject = 'coding'")
    with op.batch_alter_table("memos", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_memos_coding_id_codings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_memos_coding_id"))
        batch_op.drop_index(batch_op.f("ix_memos_code_id"))
        batch_op.drop_column("coding_id")
    with op.batch_alter_table("memo_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memo_links_transcript_id"))
        batch_op.drop_index(batch_op.f("ix_memo_links_memo_id"))
        batch_op.drop_index("ix_memo_links_kind_target")
    op.drop_table("memo_links")
    op.drop_table("saved_queries")

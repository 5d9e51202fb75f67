# SPDX-License-Identifier: MIT
"""Unique codings: exact duplicates are merged into their oldest copy, then refused by an index.

A duplicate is a second coding with the same transcript, coder, start, end and code. For
each group the oldest coding (earliest ``created_at``, then lowest id) stays; the others'
reviews and reconciliation references move to it, a memo it lacks is appended to its
own, and each merge is written to the audit log as ``coding.merge`` by ``migration``.
How many were merged is logged as a warning, so an upgrade from the CLI prints it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEX = "uq_codings_span"
SPAN = ("transcript_id", "coder_id", "start", "end", "code_id")
log = logging.getLogger("qualcarto.store.migrate")

# The tables as they stand at this revision, not as the models may later say.
codings = sa.table(
    "codings",
    *(sa.column(c, sa.Integer) for c in ("id", "transcript_id", "coder_id", "start", "end")),
    sa.column("code_id", sa.String),
    sa.column("memo", sa.Text),
    sa.column("origin", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
reviews = sa.table("reviews", sa.column("id", sa.Integer), sa.column("coding_id", sa.Integer))
decisions = sa.table(
    "reconciliation_decisions",
    sa.column("id", sa.Integer),
    sa.column("coding_a_id", sa.Integer),
    sa.column("coding_b_id", sa.Integer),
    sa.column("consensus_ids", sa.JSON),
)
audit_log = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("payload", sa.JSON),
)


def duplicate_groups(conn: sa.Connection) -> list[list[Any]]:
    """Each set of identical codings, oldest first; only sets of two or more."""
    rows = conn.execute(
        sa.select(codings).order_by(
            *(codings.c[c] for c in SPAN), codings.c.created_at, codings.c.id
        )
    ).all()
    groups = [list(g) for _, g in groupby(rows, key=lambda r: tuple(r._mapping[c] for c in SPAN))]
    return [g for g in groups if len(g) > 1]


def merge(conn: sa.Connection, keep: Any, drop: Any, memo: str) -> str:
    """Point everything at ``drop`` to ``keep``, delete ``drop``, audit it; returns the memo."""
    conn.execute(sa.update(reviews).where(reviews.c.coding_id == drop.id).values(coding_id=keep.id))
    for column in (decisions.c.coding_a_id, decisions.c.coding_b_id):
        conn.execute(sa.update(decisions).where(column == drop.id).values({column: keep.id}))
    for row in conn.execute(sa.select(decisions.c.id, decisions.c.consensus_ids)).all():
        ids = list(row.consensus_ids or [])
        if drop.id in ids:
            moved = [keep.id if i == drop.id else i for i in ids]
            conn.execute(
                sa.update(decisions).where(decisions.c.id == row.id).values(consensus_ids=moved)
            )
    if drop.memo.strip() and drop.memo.strip() not in memo:
        memo = f"{memo}\n\n{drop.memo}".strip()
    conn.execute(sa.delete(codings).where(codings.c.id == drop.id))
    before = {c: drop._mapping[c] for c in (*SPAN, "memo", "origin")}
    conn.execute(
        sa.insert(audit_log).values(
            at=datetime.now(UTC),
            actor="migration",
            action="coding.merge",
            entity="coding",
            entity_id=str(keep.id),
            payload={"merged": drop.id, "before": before, "revision": revision},
        )
    )
    return memo


def upgrade() -> None:
    conn = op.get_bind()
    merged = 0
    for group in duplicate_groups(conn):
        keep, memo = group[0], group[0].memo
        for drop in group[1:]:
            memo = merge(conn, keep, drop, memo)
            merged += 1
        if memo != keep.memo:
            conn.execute(sa.update(codings).where(codings.c.id == keep.id).values(memo=memo))
    if merged:
        log.warning(
            "migration 0004: merged %d duplicate coding(s) into their oldest copy "
            "(audit action coding.merge)",
            merged,
        )
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.create_index(INDEX, list(SPAN), unique=True)


def downgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_index(INDEX)

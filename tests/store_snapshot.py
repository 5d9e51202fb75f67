# SPDX-License-Identifier: MIT
"""The whole content of a store, for tests that must prove a refused input changed nothing.

Not a test module: the hostile-input tests (transcripts, corpus, REFI-QDA) compare it before and
after each refused import.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, select


def store_content(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: equal before and after means nothing changed."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table))), key=repr)
            for name, table in metadata.tables.items()
        }

# SPDX-License-Identifier: MIT
"""Publishing a large codebook in short transactions, all or nothing for everyone else.

One transaction for 100,000 codes holds the store's write lock for seconds, and every
coder's save waits behind it. Here the version is first written as a draft (a negative
number, which ``latest_version`` and ``get_version`` never return) in batches of
``INSERT_BATCH`` codes, each its own short transaction; one last short transaction gives
the draft its number, migrates codings and writes the audit entry. Until then nobody
sees any of it; if anything fails the draft is deleted, and a draft left by a killed
process is deleted by the next publish.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from qualcarto.codebook.model import Codebook
from qualcarto.codebook.versions import (
    INSERT_BATCH,
    Prepared,
    PublishResult,
    finish,
    insert_codes,
    latest_version,
    new_version,
    prepare,
    publish,
)
from qualcarto.errors import ConflictError
from qualcarto.store import CodebookVersion, CodeRevision, read_scope, session_scope
from qualcarto.store.models import utcnow

STALE_DRAFT = timedelta(hours=1)  # older drafts belong to a process that died
# Between batches the lock is free this long: SQLite's busy handler polls a waiting
# writer at most every 100 ms, so a coder's save gets in instead of starving.
BATCH_PAUSE_S = 0.15


def publish_in_batches(
    engine: Engine,
    codebook: Codebook,
    message: str,
    *,
    author: str | None = None,
    source_file: str = "",
) -> PublishResult:
    """Store ``codebook`` as the next version without holding the write lock for long."""
    if len(codebook.codes) <= INSERT_BATCH:
        with session_scope(engine) as session:
            return publish(session, codebook, message, author=author, source_file=source_file)
    with read_scope(engine) as session:  # checking takes no lock
        ready = prepare(session, codebook, author=author, source_file=source_file)
    if isinstance(ready, PublishResult):
        return ready
    with session_scope(engine) as session:
        _drop_drafts(session, older_than=STALE_DRAFT)
        draft = new_version(session, ready, message, source_file, -1 - secrets.randbelow(2**30))
        draft_id = draft.id
    try:
        codes = ready.codebook.codes
        for start in range(0, len(codes), INSERT_BATCH):
            with session_scope(engine) as session:
                insert_codes(session, draft_id, ready.codebook, start, start + INSERT_BATCH)
            time.sleep(BATCH_PAUSE_S)
        with session_scope(engine) as session:
            return _publish_draft(session, draft_id, ready, message, author)
    except BaseException:
        with session_scope(engine) as session:
            _drop_draft(session, draft_id)
        raise


def _publish_draft(
    session: Session, draft_id: int, ready: Prepared, message: str, author: str | None
) -> PublishResult:
    newest = latest_version(session)
    if (newest.number if newest else 0) != ready.previous:
        raise ConflictError(
            f"codebook version {newest.number if newest else 0} was published meanwhile; "
            "publish again to build on it"
        )
    draft = session.get_one(CodebookVersion, draft_id)
    draft.number, draft.created_at = ready.previous + 1, utcnow()
    session.flush()
    return finish(session, draft, ready, message, author)


def _drop_draft(session: Session, draft_id: int) -> None:
    session.execute(delete(CodeRevision).where(CodeRevision.version_id == draft_id))
    session.execute(delete(CodebookVersion).where(CodebookVersion.id == draft_id))


def _drop_drafts(session: Session, older_than: timedelta) -> None:
    cutoff = utcnow() - older_than
    stale = session.scalars(
        select(CodebookVersion.id).where(
            CodebookVersion.number <= 0, CodebookVersion.created_at < cutoff
        )
    ).all()
    for draft_id in stale:
        _drop_draft(session, draft_id)

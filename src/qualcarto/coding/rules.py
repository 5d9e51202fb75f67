# SPDX-License-Identifier: MIT
"""The checks every way of adding or changing a coding shares.

A span lies inside its transcript; a code is active in the newest codebook version (and a
leaf, when chosen by hand); a coder never codes the same span with the same code twice.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualcarto.codebook.versions import get_version
from qualcarto.duplicates import find_duplicate
from qualcarto.errors import DuplicateCodingError, ValidationError
from qualcarto.store import CodeRevision, Transcript, User
from qualcarto.store.models import CODINGS_UNIQUE_INDEX


def check_span(transcript: Transcript, start: int, end: int) -> None:
    if not (0 <= start < end <= transcript.length):
        raise ValidationError(
            f"span {start}-{end} is not inside transcript '{transcript.name}' "
            f"(need 0 <= start < end <= {transcript.length})"
        )


def active_code(
    session: Session, code_id: str, *, by_hand: bool = True
) -> tuple[int, CodeRevision]:
    """The newest version's id and revision of an applicable code.

    A code chosen by hand must also be a leaf: a parent with active children only groups
    them (``Codebook.leaves``), as the app's code picker offers leaves alone. Imports keep
    what another tool or an older codebook coded, so ``by_hand=False`` allows a parent.
    """
    version = get_version(session)
    revision = next((c for c in version.codes if c.code_id == code_id), None)
    if revision is None:
        raise ValidationError(f"code '{code_id}' is not in codebook version {version.number}")
    if revision.status != "active":
        merged = f"; use '{revision.merged_into}'" if revision.merged_into else ""
        raise ValidationError(
            f"code '{code_id}' is {revision.status} in codebook version {version.number}{merged}"
        )
    children = [c.code_id for c in version.codes if c.parent == code_id and c.status == "active"]
    if by_hand and children:
        shown = ", ".join(children[:5]) + (", ..." if len(children) > 5 else "")
        raise ValidationError(
            f"code '{code_id}' groups other codes ({shown}); code with one of them"
        )
    return version.id, revision


def duplicate_error(
    doc: Transcript, coder: str, start: int, end: int, code_id: str, existing: int | None
) -> DuplicateCodingError:
    which = f" (coding {existing})" if existing is not None else ""
    return DuplicateCodingError(
        f"{doc.name} {start}-{end}: '{coder}' already coded this span with '{code_id}'{which}"
    )


def refuse_duplicate(
    session: Session,
    doc: Transcript,
    user: User,
    start: int,
    end: int,
    code_id: str,
    besides: int | None = None,
) -> None:
    found = find_duplicate(session, doc.id, user.id, start, end, code_id, besides=besides)
    if found is not None:
        raise duplicate_error(doc, user.name, start, end, code_id, found.id)


def flush_refusing_duplicates(session: Session, refusal: DuplicateCodingError) -> None:
    # The check above sees committed rows; two PostgreSQL writers racing past it meet the
    # unique index here, and the loser gets the same message instead of a database error.
    # The message is made beforehand: after a failed flush the session cannot load anything.
    try:
        session.flush()
    except IntegrityError as exc:
        text = str(exc.orig)
        if CODINGS_UNIQUE_INDEX in text or "UNIQUE constraint failed: codings" in text:
            raise refusal from exc
        raise

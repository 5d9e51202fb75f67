# SPDX-License-Identifier: MIT
"""Find a stored transcript by the name people use for it (its file stem) or its id."""

from __future__ import annotations

from difflib import get_close_matches

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError
from qualcarto.store import Transcript


def get_transcript(session: Session, name_or_id: str | int) -> Transcript:
    """A transcript by name (file stem) or numeric id."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        found = session.get(Transcript, int(name_or_id))
        if found is not None:
            return found
    found = session.scalars(select(Transcript).where(Transcript.name == str(name_or_id))).first()
    if found is None:
        names = list(session.scalars(select(Transcript.name).order_by(Transcript.name)))
        close = get_close_matches(str(name_or_id), names, n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else "; see: qualcarto transcript list"
        raise NotFoundError(f"no transcript called '{name_or_id}'{hint}")
    return found

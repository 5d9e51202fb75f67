# SPDX-License-Identifier: MIT
"""Read what the cartography draws from a store: codes, codings, participants, defaults.

The cartography (``qualcarto.cartography``) is a pure core that never sees a
database; this service is the seam between the two and only reads.
``cartography_data`` returns a ``qualcarto.cartography.CartographyData``; the
layout, the map and its tables are the core's (``resolve_layout``, ``draw_map``,
``map_frame``, ``code_excerpts``, ``provenance``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto.cartography import CartographyData
from qualcarto.codebook import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.store import Transcript
from qualcarto.transcripts import participants_frame
from qualcarto.users import check_coders, coder_kinds


def no_break_names(
    codebook_keywords: Sequence[Sequence[str]], projects: Sequence[str]
) -> tuple[str, ...]:
    """Names a figure keeps on one line: the codebook's multi-word keywords and ``no_break``
    names, and the participants' organizations and projects."""
    names = {k.strip() for keywords in codebook_keywords for k in keywords if " " in k.strip()}
    names |= {p.strip() for p in projects if " " in p.strip()}
    return tuple(sorted(names))


def cartography_data(
    session: Session,
    coders: Sequence[str] | None = None,
    *,
    version: int | None = None,
    viewer: str | None = None,
) -> CartographyData:
    """Read a codebook version (default: the newest) and the codings of ``coders``.

    ``coders=None`` takes every coder; a name nobody has is an error rather than an
    empty map, so a typo cannot pass for "nobody coded this". With ``viewer`` only the
    codings that person may see are counted (a coder in a blind study sees their own).
    """
    kinds = coder_kinds(session)
    if coders:
        check_coders(session, coders)
    stored = get_version(session, version)
    codebook = version_codebook(stored)
    codings = codings_frame(session, coders=list(coders) if coders else None, viewer=viewer)
    participants = participants_frame(session)
    defaults = dict(codebook.settings.get("cartography", {}))
    projects: list[str] = [str(name) for name in defaults.get("no_break", [])]
    for column in ("organization", "projects"):
        if column in participants.columns:
            for value in participants[column].dropna():
                projects += str(value).split(";")
    return CartographyData(
        codes=codebook_frame(codebook),
        codings=codings,
        participants=participants,
        facet_orders={name: list(values) for name, values in codebook.facets.items()},
        defaults=defaults,
        codebook_version=stored.number,
        title=codebook.title,
        coder_kinds={str(k): str(v) for k, v in kinds.items()},
        interviews=int(session.scalar(select(func.count()).select_from(Transcript)) or 0) or None,
        no_break=no_break_names([c.keywords for c in codebook.codes], projects),
    )


__all__ = ["cartography_data", "no_break_names"]

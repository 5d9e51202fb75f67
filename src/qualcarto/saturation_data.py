# SPDX-License-Identifier: MIT
"""Read what the saturation measures need from a store: which codes occur where, in order.

The transcripts are ordered by name (natural order, so I2 before I10), by the date each
was first coded (``order="coded"``: for a study coded over time) or by import
(``order="imported"``). A code occurs in a transcript when any of the chosen coders
(a consensus layer, or several coders pooled) put it there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.codebook import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import ValidationError
from qualcarto.saturation import SaturationData
from qualcarto.store import Transcript, current_project
from qualcarto.users import check_coders

ORDERS = {
    "name": "transcript names in natural order",
    "coded": "the date each transcript was first coded",
    "imported": "the order the transcripts were imported",
}


def natural(name: str) -> list[object]:
    """A sort key putting I2 before I10."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def saturation_data(session: Session, coders: Sequence[str], order: str = "name") -> SaturationData:
    """Code presence per transcript for ``coders`` (pooled), in ``order``.

    Only transcripts some chosen coder coded count (an interview nobody coded says
    nothing about saturation). Unknown coders or orders are one-line errors.
    """
    if order not in ORDERS:
        raise ValidationError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    chosen = list(dict.fromkeys(coders))
    if not chosen:
        raise ValidationError("name at least one coder or layer")
    check_coders(session, chosen)
    frame = codings_frame(session, chosen)
    if frame.empty:
        raise ValidationError(f"no codings by {', '.join(map(repr, chosen))}")
    project = current_project(session)
    imported = {
        name: i
        for i, name in enumerate(
            session.scalars(
                select(Transcript.name)
                .where(Transcript.project_id == project.id)
                .order_by(Transcript.imported_at, Transcript.id)
            )
        )
    }
    names = sorted(set(frame["transcript"]), key=natural)
    if order == "coded":
        first = frame.groupby("transcript")["created_at"].min()
        names = sorted(names, key=lambda n: (first[n], natural(n)))
    elif order == "imported":
        names = sorted(names, key=lambda n: imported.get(n, len(imported)))
    codes = sorted(set(frame["code_id"]))
    row = {n: i for i, n in enumerate(names)}
    col = {c: j for j, c in enumerate(codes)}
    presence = np.zeros((len(names), len(codes)), dtype=bool)
    presence[[row[t] for t in frame["transcript"]], [col[c] for c in frame["code_id"]]] = True
    codebook = version_codebook(get_version(session))
    book = codebook_frame(codebook).set_index("code_id")
    facets = {
        facet: {
            c: str(book.at[c, facet])
            for c in codes
            if c in book.index and isinstance(book.at[c, facet], str) and book.at[c, facet]
        }
        for facet in codebook.facets
        if facet in book.columns
    }
    return SaturationData(
        transcripts=tuple(names),
        codes=tuple(codes),
        presence=presence,
        order=ORDERS[order],
        coders=tuple(chosen),
        codebook_versions=tuple(sorted(int(v) for v in frame["codebook_version"].unique())),
        facets=facets,
    )


__all__ = ["ORDERS", "natural", "saturation_data"]

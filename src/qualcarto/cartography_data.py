# SPDX-License-Identifier: MIT
"""Gather what the cartography draws from a store: codes, codings, participants, defaults.

The cartography itself (``qualcarto.cartography``) is a pure core that never sees a
database; this service is the seam between the two. The CLI and the app call
``cartography_data`` for the frames, ``resolve_layout`` for which facets become rows,
columns and split (the codebook's ``cartography:`` block unless the caller overrides
it) and ``draw_map`` to build the map, so both turn a bad choice into the same
one-line ``QualcartoError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.cartography import CartographyMap, build_map
from qualcarto.codebook import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import User
from qualcarto.transcripts import participants_frame

LAYOUT_KEYS: tuple[str, ...] = ("rows", "cols", "split")
# A value of --split (or of the codebook's ``split``) that turns the split off.
NO_SPLIT = "none"


@dataclass(frozen=True)
class CartographyData:
    """One codebook version and the codings, participants and defaults a map needs."""

    codes: pd.DataFrame
    codings: pd.DataFrame
    participants: pd.DataFrame
    facet_orders: dict[str, list[str]]
    defaults: dict[str, str] = field(default_factory=dict)
    codebook_version: int = 0
    title: str = ""


@dataclass(frozen=True)
class Layout:
    """Which facets are the map's rows and columns, and which splits each cell (or none)."""

    rows: str
    cols: str
    split: str | None


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
    if coders:
        known = set(session.scalars(select(User.name)))
        unknown = [name for name in coders if name not in known]
        if unknown:
            raise NotFoundError(f"no coder called {', '.join(map(repr, unknown))}")
    stored = get_version(session, version)
    codebook = version_codebook(stored)
    codings = codings_frame(session, coders=list(coders) if coders else None, viewer=viewer)
    return CartographyData(
        codes=codebook_frame(codebook),
        codings=codings,
        participants=participants_frame(session),
        facet_orders={name: list(values) for name, values in codebook.facets.items()},
        defaults=dict(codebook.settings.get("cartography", {})),
        codebook_version=stored.number,
        title=codebook.title,
    )


def resolve_layout(
    data: CartographyData,
    rows: str | None = None,
    cols: str | None = None,
    split: str | None = None,
) -> Layout:
    """Fill in the facets the caller left out from the codebook's ``cartography:`` block.

    ``split="none"`` draws cells without a split. A facet the codebook does not declare,
    or the same facet used twice, is a ``ValidationError`` naming the declared facets.
    """
    chosen = {"rows": rows, "cols": cols, "split": split}
    for key in LAYOUT_KEYS:
        if chosen[key] is None:
            chosen[key] = data.defaults.get(key)
    declared = sorted(data.facet_orders)
    for key in ("rows", "cols"):
        if not chosen[key]:
            raise ValidationError(
                f"the codebook sets no default {key} facet; choose one of {declared} "
                f"(--{key} FACET, or '{key}:' under 'cartography:' in the codebook)"
            )
    if chosen["split"] in (None, "", NO_SPLIT):
        chosen["split"] = None
    for key, facet in chosen.items():
        if facet is not None and facet not in data.facet_orders:
            raise ValidationError(f"{key}: '{facet}' is not a facet of the codebook; {declared}")
    used = [facet for facet in chosen.values() if facet is not None]
    if len(set(used)) != len(used):
        raise ValidationError(
            f"rows, cols and split must be different facets, got {chosen['rows']}, "
            f"{chosen['cols']}, {chosen['split'] or NO_SPLIT}"
        )
    return Layout(str(chosen["rows"]), str(chosen["cols"]), chosen["split"])


def draw_map(
    data: CartographyData,
    layout: Layout,
    *,
    coders: Sequence[str] | None = None,
    min_support: int = 1,
    show_empty: bool = False,
) -> CartographyMap:
    """Build the map of ``data`` in ``layout``; a problem with the data is a ``ValidationError``.

    ``coders`` narrows the codings already gathered (``None``: all of them).
    """
    try:
        return build_map(
            data.codes,
            data.codings,
            data.facet_orders,
            layout.rows,
            layout.cols,
            layout.split,
            coders=None if coders is None else list(coders),
            min_support=min_support,
            show_empty=show_empty,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def map_frame(m: CartographyMap) -> pd.DataFrame:
    """The map as one row per placed code, for interactive charts and tables.

    Columns: ``row, col, split, id, name, interviews, excerpts, participants`` (ids
    joined with ", ") and ``rank``, the code's place among its cell's codes of the same
    split, so a chart can stack them.
    """
    records: list[dict[str, object]] = []
    for cell in m.cells:
        ranks: dict[str | None, int] = {}
        for code in cell.codes:
            rank = ranks.get(code.split, 0)
            ranks[code.split] = rank + 1
            records.append(
                {
                    "row": cell.row,
                    "col": cell.col,
                    "split": code.split if code.split is not None else "",
                    "id": str(code.id),
                    "name": code.name,
                    "interviews": code.interviews,
                    "excerpts": code.excerpts,
                    "participants": ", ".join(code.participants),
                    "rank": rank,
                }
            )
    columns = ["row", "col", "split", "id", "name", "interviews", "excerpts", "participants"]
    return pd.DataFrame(records, columns=[*columns, "rank"])


def code_excerpts(
    data: CartographyData, code_id: str, coders: Sequence[str] | None = None
) -> pd.DataFrame:
    """The codings behind one code (of ``coders``, default all), in transcript order."""
    codings = data.codings
    chosen = codings[codings["code_id"] == code_id]
    if coders is not None:
        chosen = chosen[chosen["coder"].isin(list(coders))]
    columns = ["transcript", "participant_id", "coder", "start", "end", "text", "memo"]
    return chosen[columns].reset_index(drop=True)


__all__ = [
    "NO_SPLIT",
    "CartographyData",
    "Layout",
    "cartography_data",
    "code_excerpts",
    "draw_map",
    "map_frame",
    "resolve_layout",
]

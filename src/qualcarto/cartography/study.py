# SPDX-License-Identifier: MIT
"""A study as the cartography sees it: frames, defaults, layout, and tables of the map.

``CartographyData`` holds what a store gives the cartography (one codebook
version's codes, the codings, the participants and the codebook's
``cartography:`` defaults); ``qualcarto.cartography_data`` fills it from a
store, a notebook may fill it from files. Everything here is pure:
``resolve_layout`` picks rows, columns and split, ``draw_map`` builds the map,
``map_frame`` and ``code_excerpts`` give tables for charts and reading, and
``provenance`` says where a figure comes from. The CLI and the app call the
same functions, so a bad choice is the same one-line ``ValidationError`` in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qualcarto.cartography.design import Design, Provenance
from qualcarto.cartography.grid import CartographyMap, build_map
from qualcarto.errors import ValidationError

LAYOUT_KEYS: tuple[str, ...] = ("rows", "cols", "split")
# A value of --split (or of the codebook's ``split``) that turns the split off.
NO_SPLIT = "none"
MACHINE = "machine"


@dataclass(frozen=True)
class CartographyData:
    """One codebook version and the codings, participants and defaults a map needs.

    ``coder_kinds`` maps each coder to ``human``, ``reference`` or ``machine``;
    ``interviews`` is the number of transcripts in the study.
    """

    codes: pd.DataFrame
    codings: pd.DataFrame
    participants: pd.DataFrame
    facet_orders: dict[str, list[str]]
    defaults: dict[str, Any] = field(default_factory=dict)
    codebook_version: int = 0
    title: str = ""
    coder_kinds: dict[str, str] = field(default_factory=dict)
    interviews: int | None = None
    no_break: tuple[str, ...] = ()

    def human_coders(self) -> list[str]:
        """The coders who are not machines, among those who coded: the default layer."""
        coded = sorted(set(self.codings["coder"]))
        return [c for c in coded if self.coder_kinds.get(c) != MACHINE]


@dataclass(frozen=True)
class Layout:
    """Which facets are the map's rows and columns, and which splits each cell (or none)."""

    rows: str
    cols: str
    split: str | None


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
            value = data.defaults.get(key)
            chosen[key] = None if value is None else str(value)
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


def figure_design(data: CartographyData) -> Design:
    """The figures' design for ``data``: its no-break names and facet labels."""
    labels = data.defaults.get("labels")
    return Design(no_break=data.no_break, labels=dict(labels) if isinstance(labels, dict) else {})


def provenance(data: CartographyData, coders: Sequence[str] | None) -> Provenance:
    """Where a figure of ``data`` drawn from ``coders`` comes from (``None``: every coder).

    Projects are the distinct organizations of the participants, as in the study's
    Table 1 (14 projects, 17 interviewees).
    """
    projects = None
    if "organization" in data.participants.columns:
        projects = int(data.participants["organization"].dropna().nunique()) or None
    return Provenance(
        coders=None if coders is None else tuple(coders),
        codebook_version=data.codebook_version,
        interviews=data.interviews,
        projects=projects,
        codebook=data.title,
    )


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
    "code_excerpts",
    "draw_map",
    "figure_design",
    "map_frame",
    "provenance",
    "resolve_layout",
]

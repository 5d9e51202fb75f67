# SPDX-License-Identifier: MIT
"""The cartography map as data: codes placed in a grid of two facets, with support.

``build_map`` places each code of a codebook version in the cell given by its
own facet values (rows one facet, columns another), splits the codes of a cell
by a third facet, and attaches each code's support counted from the codings.
Which facets are rows, columns and split is an argument: the study's defaults
(``collab_type`` x ``stage`` split by ``polarity``) come from the codebook's
``cartography`` section, not from this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from qualcarto.cartography.support import (
    CODE_COLUMNS,
    check_vocabulary,
    declared_order,
    filter_coders,
    plain,
    require_columns,
    support_lookup,
    support_of,
    support_table,
)

RETIRED = "retired"


@dataclass(frozen=True)
class CodeSupport:
    """One code in a cell, with the interviews, excerpts and participants behind it."""

    id: Any
    name: str
    split: str | None
    interviews: int
    excerpts: int
    participants: tuple[str, ...]

    @property
    def label(self) -> str:
        """The code as printed in a figure: its name and its interview count."""
        return f"{self.name} (n={self.interviews})"


@dataclass(frozen=True)
class Cell:
    """The codes whose row and column facets take this cell's values.

    ``interviews`` counts the distinct interviews behind any of the cell's codes.
    """

    row: str
    col: str
    codes: tuple[CodeSupport, ...]
    interviews: int = 0


@dataclass(frozen=True)
class CartographyMap:
    """A grid of cells (row-major) over two facets' vocabularies, and how it was built."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[Cell, ...]
    row_facet: str
    col_facet: str
    split_facet: str | None
    splits: tuple[str, ...]
    coders: tuple[str, ...] | None = None
    min_support: int = 1
    show_empty: bool = False

    def cell(self, row: str, col: str) -> Cell:
        """Return the cell at ``row`` and ``col``."""
        if row not in self.rows or col not in self.cols:
            raise KeyError(f"no cell ({row!r}, {col!r}); rows {self.rows}, cols {self.cols}")
        return self.cells[self.rows.index(row) * len(self.cols) + self.cols.index(col)]

    def row_cells(self, row: str) -> tuple[Cell, ...]:
        """Return the cells of one row, in column order."""
        return tuple(self.cell(row, col) for col in self.cols)

    def codes(self) -> tuple[CodeSupport, ...]:
        """Every code on the map, in cell order."""
        return tuple(code for cell in self.cells for code in cell.codes)


def grouping_codes(codes: pd.DataFrame, facets: Sequence[str]) -> pd.Series:
    """Mark codes that are the parent of another code with the same ``facets`` values."""
    keys = [tuple(values) for values in codes[["parent", *facets]].itertuples(index=False)]
    parents = set(keys)
    own = codes[["code_id", *facets]].itertuples(index=False)
    return pd.Series([tuple(values) in parents for values in own], index=codes.index)


def build_map(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    facet_orders: Mapping[str, Sequence[str]],
    rows: str,
    cols: str,
    split: str | None,
    coders: Sequence[str] | None = None,
    min_support: int = 1,
    show_empty: bool = False,
) -> CartographyMap:
    """Place each code in the grid cell its facets name, with its support.

    A code counts toward a cell when its own ``rows`` and ``cols`` facet values
    are that cell's values (and, when ``split`` is given, it has a ``split``
    value); codes lacking one of these facets (grouping codes, motivations)
    are ignored, and so is a code whose children sit in its own cell (it
    groups them). Every cell of ``facet_orders[rows] x facet_orders[cols]`` is
    returned, row-major, even when empty. Within a cell codes are sorted by the
    split facet's declared order, then by support (most interviews first), then
    by name: the one order of every figure.

    ``coders`` keeps only those coders' codings (``None``: all). A code is kept
    when at least ``min_support`` distinct interviews support it; with
    ``show_empty`` codes nobody coded are kept too, with zero support (retired
    codes only ever appear when they were coded).
    """
    require_columns(codes, CODE_COLUMNS, "codes")
    facets = [rows, cols] + ([split] if split is not None else [])
    if len(set(facets)) != len(facets):
        raise ValueError(f"rows, cols and split must be different facets, got {facets}")
    require_columns(codes, facets, "codes")
    if isinstance(min_support, bool) or not isinstance(min_support, int) or min_support < 0:
        raise ValueError(f"min_support must be a non-negative integer, got {min_support!r}")
    if codes["code_id"].duplicated().any():
        dupes = sorted(map(str, codes.loc[codes["code_id"].duplicated(), "code_id"]))
        raise ValueError(f"codes lists code_id(s) more than once: {dupes}")
    orders = {facet: declared_order(facet, facet_orders) for facet in facets}
    for facet, order in orders.items():
        check_vocabulary(codes, facet, order)

    scoped = filter_coders(codings, coders)
    support = support_lookup(support_table(scoped))
    placed = codes[codes[facets].notna().all(axis=1)]
    placed = placed[~grouping_codes(placed, facets)]
    split_rank = {value: i for i, value in enumerate(orders[split])} if split else {}
    by_cell: dict[tuple[str, str], list[CodeSupport]] = {}
    for record in placed.to_dict("records"):
        interviews, excerpts, participants = support_of(support, record["code_id"])
        coded = excerpts > 0
        keep = (coded and interviews >= min_support) or (
            show_empty and not coded and record["status"] != RETIRED
        )
        if not keep:
            continue
        split_value = None if split is None else str(record[split])
        entry = CodeSupport(
            id=plain(record["code_id"]),
            name=str(record["name"]),
            split=split_value,
            interviews=interviews,
            excerpts=excerpts,
            participants=participants,
        )
        by_cell.setdefault((record[rows], record[cols]), []).append(entry)

    def sort_key(entry: CodeSupport) -> tuple[int, int, str, str, str]:
        rank = split_rank.get(entry.split, 0) if entry.split is not None else 0
        return (rank, -entry.interviews, entry.name.casefold(), entry.name, str(entry.id))

    cell_of = {
        code.id: key for key, entries in by_cell.items() for code in entries if code.excerpts
    }
    in_cells = scoped[scoped["code_id"].map(lambda cid: plain(cid) in cell_of)]
    cell_support = (
        in_cells.assign(cell=in_cells["code_id"].map(lambda cid: cell_of[plain(cid)]))
        .groupby("cell")["transcript_id"]
        .nunique()
        .to_dict()
        if len(in_cells)
        else {}
    )
    cells = tuple(
        Cell(
            row,
            col,
            tuple(sorted(by_cell.get((row, col), []), key=sort_key)),
            int(cell_support.get((row, col), 0)),
        )
        for row in orders[rows]
        for col in orders[cols]
    )
    return CartographyMap(
        rows=orders[rows],
        cols=orders[cols],
        cells=cells,
        row_facet=rows,
        col_facet=cols,
        split_facet=split,
        splits=orders[split] if split else (),
        coders=None if coders is None else tuple(coders),
        min_support=min_support,
        show_empty=show_empty,
    )


def map_to_dict(m: CartographyMap) -> dict[str, Any]:
    """Return the map as plain data: ``{"rows", "cols", "cells": [{"row", "col", "codes"}]}``.

    A cell's ``interviews`` counts the distinct interviews behind any of its codes.
    Each code is ``{"id", "name", "split", "interviews", "excerpts",
    "participants"}``; the result is JSON-serializable and in a stable order.
    """
    return {
        "rows": list(m.rows),
        "cols": list(m.cols),
        "cells": [
            {
                "row": cell.row,
                "col": cell.col,
                "interviews": cell.interviews,
                "codes": [
                    {
                        "id": code.id,
                        "name": code.name,
                        "split": code.split,
                        "interviews": code.interviews,
                        "excerpts": code.excerpts,
                        "participants": list(code.participants),
                    }
                    for code in cell.codes
                ],
            }
            for cell in m.cells
        ],
    }


__all__ = ["CartographyMap", "Cell", "CodeSupport", "build_map", "map_to_dict"]

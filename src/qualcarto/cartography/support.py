# SPDX-License-Identifier: MIT
"""Support of a code: how many interviews, excerpts and participants back it.

This is the one place the cartography counts support. A code's support is

* ``interviews``: the number of distinct ``transcript_id`` among its codings,
* ``excerpts``: the number of its codings (with several coders, each coder's
  coding of a passage is one excerpt),
* ``participants``: the distinct ``participant_id`` among its codings, sorted.

Codings without a ``transcript_id`` or ``participant_id`` count as excerpts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

CODE_COLUMNS: tuple[str, ...] = ("code_id", "name", "parent", "path", "status")
CODING_COLUMNS: tuple[str, ...] = ("coder", "code_id", "transcript_id", "participant_id")
SUPPORT_COLUMNS: tuple[str, ...] = ("interviews", "excerpts", "participants")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], frame_name: str) -> None:
    """Raise ``ValueError`` naming every column ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{frame_name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{frame_name} lacks column(s) {missing}; it has {list(frame.columns)}")


def filter_coders(codings: pd.DataFrame, coders: Sequence[str] | None) -> pd.DataFrame:
    """Keep the codings of the given coders; ``None`` keeps every coder."""
    if coders is None:
        return codings
    if isinstance(coders, str):
        raise TypeError("coders must be a list of coder names, not a single string")
    return codings[codings["coder"].isin(list(coders))]


def support_table(codings: pd.DataFrame, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """Count the support of every coded code, one row per ``code_id``.

    Returns a DataFrame indexed by ``code_id`` with integer columns
    ``interviews`` and ``excerpts`` and a column ``participants`` holding a
    sorted tuple of participant ids. Codes without codings do not appear.

    >>> codings = pd.DataFrame({
    ...     "coder": ["a", "a", "b"], "code_id": ["c1", "c1", "c1"],
    ...     "transcript_id": ["t1", "t1", "t2"], "participant_id": ["I2", "I2", "I1"]})
    >>> row = support_table(codings).loc["c1"]
    >>> int(row.interviews), int(row.excerpts), row.participants
    (2, 3, ('I1', 'I2'))
    """
    require_columns(codings, CODING_COLUMNS, "codings")
    kept = filter_coders(codings, coders)[["code_id", "transcript_id", "participant_id"]]
    kept = kept[kept["code_id"].notna()]
    excerpts = kept.groupby("code_id", sort=True).size()
    interviews = kept.groupby("code_id", sort=True)["transcript_id"].nunique(dropna=True)
    pairs = kept[["code_id", "participant_id"]].dropna().drop_duplicates()
    participants: dict[Any, set[str]] = {}
    # Plain object arrays: iterating Arrow-backed string columns one value at a time is slow.
    code_ids = pairs["code_id"].to_numpy(dtype=object)
    participant_ids = pairs["participant_id"].astype(str).to_numpy(dtype=object)
    for code_id, participant_id in zip(code_ids, participant_ids, strict=True):
        participants.setdefault(code_id, set()).add(participant_id)
    table = pd.DataFrame({"excerpts": excerpts, "interviews": interviews})
    table["participants"] = [tuple(sorted(participants.get(c, ()))) for c in table.index]
    table["interviews"] = table["interviews"].fillna(0).astype(int)
    table["excerpts"] = table["excerpts"].astype(int)
    table.index.name = "code_id"
    return table[list(SUPPORT_COLUMNS)]


Support = tuple[int, int, tuple[str, ...]]


def support_lookup(table: pd.DataFrame) -> dict[Any, Support]:
    """Index a ``support_table`` by code id: ``{code_id: (interviews, excerpts, participants)}``."""
    return {
        code_id: (int(interviews), int(excerpts), tuple(participants))
        for code_id, interviews, excerpts, participants in zip(
            table.index.to_numpy(dtype=object),
            table["interviews"].to_numpy(),
            table["excerpts"].to_numpy(),
            table["participants"].to_numpy(dtype=object),
            strict=True,
        )
    }


def support_of(table: pd.DataFrame | dict[Any, Support], code_id: Any) -> Support:
    """Return ``(interviews, excerpts, participants)`` of a code, zeros when uncoded."""
    if isinstance(table, dict):
        return table.get(code_id, (0, 0, ()))
    if code_id in table.index:
        row = table.loc[code_id]
        return int(row["interviews"]), int(row["excerpts"]), tuple(row["participants"])
    return 0, 0, ()


def plain(value: object) -> object:
    """Turn a numpy scalar into the Python value JSON and dataclasses expect."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def declared_order(facet: str, facet_orders: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Return a facet's declared vocabulary, checking it exists and has no repeats."""
    if facet not in facet_orders:
        raise ValueError(
            f"facet {facet!r} has no declared order; declared facets: {sorted(facet_orders)}"
        )
    order = tuple(facet_orders[facet])
    if len(set(order)) != len(order):
        raise ValueError(f"facet {facet!r} declares a value twice: {list(order)}")
    return order


def check_vocabulary(codes: pd.DataFrame, facet: str, order: Sequence[str]) -> None:
    """Raise ``ValueError`` naming codes whose ``facet`` value is not declared."""
    values = codes[facet]
    bad = codes[values.notna() & ~values.isin(list(order))]
    if len(bad):
        found = [f"{name!r}={value!r}" for name, value in zip(bad["name"], bad[facet], strict=True)]
        raise ValueError(
            f"code(s) with a {facet!r} value outside its declared vocabulary {list(order)}: "
            + ", ".join(found)
        )

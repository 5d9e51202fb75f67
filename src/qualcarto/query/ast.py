# SPDX-License-Identifier: MIT
"""The parsed form of a code query: plain frozen dataclasses, one per construct."""

from __future__ import annotations

from dataclasses import dataclass

UNITS = ("overlap", "sentence", "turn", "transcript")
DISTANCE_UNITS = ("chars", "turns")


@dataclass(frozen=True)
class CodeRef:
    """A code id or a glob over code ids (``mot-social-*``); ``position`` is where it was written."""

    pattern: str
    position: int


@dataclass(frozen=True)
class FacetRef:
    """Every code carrying ``facet: value`` in the codebook (``stage:pre-training``)."""

    facet: str
    value: str
    position: int


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class Binary:
    """``left OP right`` for AND and OR."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Proximity:
    """``left NEAR/n right`` or ``left BEFORE/n right``; ``distance`` None means any distance."""

    op: str  # NEAR | BEFORE
    left: Expr
    right: Expr
    distance: int | None
    measure: str  # chars | turns


Expr = CodeRef | FacetRef | Not | Binary | Proximity


@dataclass(frozen=True)
class Compare:
    """``field = "value"``, ``field != "value"`` or ``field IN ("a", "b")`` in a WHERE clause."""

    field: str
    op: str  # = | != | IN
    values: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class CondNot:
    operand: Cond


@dataclass(frozen=True)
class CondBinary:
    op: str  # AND | OR
    left: Cond
    right: Cond


Cond = Compare | CondNot | CondBinary


@dataclass(frozen=True)
class Query:
    """A whole query: the code expression, its unit of co-occurrence and an optional filter."""

    expr: Expr
    unit: str = "overlap"
    where: Cond | None = None
    text: str = ""

# SPDX-License-Identifier: MIT
"""The codebook as plain values, and the rules a codebook must keep.

Pure: no files, no database. ``files`` reads and writes YAML, ``versions`` stores
published versions; both rely on ``validate`` here for what a valid codebook is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from qualcarto.errors import InputError
from qualcarto.names import printable, problem

# REFI-QDA files nest a code inside its parent; common XML readers (libxml2, behind lxml
# and many tools) stop at 256 nested elements, and a project file spends 5 of them
# around the codes. Deeper codebooks publish and work in qualcarto, but not in .qdpx/.qdc.
REFI_MAX_LEVELS = 250
CODE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")  # always with fullmatch
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
STATUSES = ("active", "retired")
_TEXTS = ("definition", "include", "exclude", "example")


@dataclass(frozen=True)
class CodeDef:
    """One code as a codebook file states it. ``line`` is where it starts in the file."""

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str | None = None
    facets: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    status: str = "active"
    merged_into: str | None = None
    split_from: str | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Codebook:
    """A whole codebook: its facet vocabularies, map defaults and codes in file order."""

    title: str = ""
    source: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    codes: tuple[CodeDef, ...] = ()

    def by_id(self) -> Mapping[str, CodeDef]:
        """Each code by id, built once per codebook value and shared by every lookup."""
        return self._index.by_id

    def children(self, code_id: str | None) -> list[CodeDef]:
        return list(self._index.children.get(code_id, ()))

    def has_children(self, code_id: str) -> bool:
        return code_id in self._index.children

    def path(self, code_id: str) -> list[str]:
        """Names from the root down to the code: the code's place in the hierarchy."""
        return list(self._index.path(code_id))

    def depth(self, code_id: str) -> int:
        """How many levels lie above the code (0 for a top-level code)."""
        return len(self._index.path(code_id)) - 1

    def levels(self) -> int:
        """How many levels the hierarchy has: 1 for a flat codebook, 0 for an empty one."""
        return max((depth + 1 for _, depth in self.walk()), default=0)

    def refi_problem(self) -> str | None:
        """Why this codebook cannot go into a REFI-QDA file, or None when it can."""
        levels = self.levels()
        if levels <= REFI_MAX_LEVELS:
            return None
        return (
            f"the codebook has {levels:,} levels; REFI-QDA files (.qdpx, .qdc) hold at most "
            f"{REFI_MAX_LEVELS}, so they cannot be exported until the tree is flatter"
        )

    def walk(self, parent: str | None = None, *, active: bool = False) -> list[tuple[CodeDef, int]]:
        """Every code under ``parent`` depth first, in file order, with its depth below it.

        ``active`` leaves out retired codes and everything under them. A loop, not
        recursion: a codebook thousands of levels deep is walked like a flat one.
        """
        out: list[tuple[CodeDef, int]] = []
        stack = [(code, 0) for code in reversed(self._index.children.get(parent, ()))]
        while stack:
            code, depth = stack.pop()
            if active and not code.active:
                continue
            out.append((code, depth))
            stack.extend((c, depth + 1) for c in reversed(self._index.children.get(code.id, ())))
        return out

    def leaves(self) -> list[CodeDef]:
        """Active codes without active children: the themes coders apply most."""
        parents = {code.parent for code in self.codes if code.active}
        return [code for code in self.codes if code.active and code.id not in parents]

    @cached_property
    def _index(self) -> _Index:
        return _Index(self.codes)

    def with_codes(self, codes: list[CodeDef]) -> Codebook:
        return replace(self, codes=tuple(codes))


class _Index:
    """The hierarchy lookups of one codebook, each built once: ids, children, paths."""

    def __init__(self, codes: tuple[CodeDef, ...]) -> None:
        self.by_id = {code.id: code for code in codes}
        self.children: dict[str | None, list[CodeDef]] = {}
        for code in codes:
            self.children.setdefault(code.parent, []).append(code)
        self._paths: dict[str, tuple[str, ...]] = {}

    def path(self, code_id: str) -> tuple[str, ...]:
        """Names root to code, remembered for every code on the way (a loop, no recursion).

        A parent cycle (only in a codebook not yet validated) ends the path where it repeats.
        """
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = code_id
        while current is not None and current in self.by_id and current not in self._paths:
            if current in seen:
                return tuple(self.by_id[c].name for c in reversed(chain))
            seen.add(current)
            chain.append(current)
            current = self.by_id[current].parent
        above = self._paths.get(current, ()) if current is not None else ()
        for link in reversed(chain):
            above = (*above, self.by_id[link].name)
            self._paths[link] = above
        return self._paths.get(code_id, above)


def validate(codebook: Codebook, source: str) -> Codebook:
    """Check every rule; raise ``InputError`` naming file, line and code for the first break.

    Returns the codebook with merged codes marked retired, since a merged code can no
    longer be applied.
    """
    seen: dict[str, CodeDef] = {}
    for code in codebook.codes:
        where = _where(code)
        if not CODE_ID.fullmatch(code.id):
            raise InputError(
                source,
                f"{where}code {printable(code.id)}: id must be letters, digits, '.', '_' or '-'",
            )
        if code.id in seen:
            raise InputError(
                source,
                f"{where}code '{code.id}': duplicate id (first at line {seen[code.id].line})",
            )
        seen[code.id] = code
        if not code.name.strip():
            raise InputError(source, f"{where}code '{code.id}': has no name")
        for label, value, multiline in _texts(code):
            reason = problem(value, multiline=multiline)
            if reason:
                raise InputError(source, f"{where}code '{code.id}': {label} {reason}")
        if code.color is not None and not COLOR.fullmatch(code.color):
            raise InputError(
                source, f"{where}code '{code.id}': color '{code.color}' is not #RRGGBB"
            )
        if code.status not in STATUSES:
            raise InputError(
                source, f"{where}code '{code.id}': status '{code.status}' is not one of {STATUSES}"
            )
        for key, value in code.facets.items():
            if key not in codebook.facets:
                raise InputError(source, f"{where}code '{code.id}': facet '{key}' is not declared")
            if value not in codebook.facets[key]:
                raise InputError(
                    source,
                    f"{where}code '{code.id}': facet {key}='{value}' is not in its vocabulary "
                    f"{codebook.facets[key]}",
                )
    for code in codebook.codes:
        where = _where(code)
        for label, target in (
            ("parent", code.parent),
            ("merged_into", code.merged_into),
            ("split_from", code.split_from),
        ):
            if target is not None and target not in seen:
                raise InputError(
                    source, f"{where}code '{code.id}': {label} '{target}' does not exist"
                )
            if target == code.id:
                raise InputError(source, f"{where}code '{code.id}': {label} is the code itself")
    _check_cycles(codebook, seen, source)
    for key, order in codebook.settings.get("cartography", {}).items():
        if key in ("labels", "no_break"):
            continue
        if order not in codebook.facets:
            raise InputError(source, f"cartography {key} '{order}' is not a declared facet")
    return codebook.with_codes(
        [replace(c, status="retired") if c.merged_into else c for c in codebook.codes]
    )


def _check_cycles(codebook: Codebook, codes: dict[str, CodeDef], source: str) -> None:
    """Each code's chain of parents is followed once overall (linear, however deep)."""
    done: set[str] = set()
    for code in codebook.codes:
        chain: list[str] = []
        on_chain: set[str] = set()
        parent: str | None = code.id
        while parent is not None and parent not in done:
            if parent in on_chain:
                ring = [*chain[chain.index(parent) :], parent]
                if len(ring) > 8:  # one readable line however long the loop
                    ring = [*ring[:4], f"... {len(ring) - 6:,} more ...", *ring[-2:]]
                loop = " -> ".join(ring)
                raise InputError(source, f"{_where(code)}code '{code.id}': parent cycle {loop}")
            chain.append(parent)
            on_chain.add(parent)
            parent = codes[parent].parent
        done.update(chain)


def _texts(code: CodeDef) -> list[tuple[str, str, bool]]:
    """Each text of a code with its label and whether it may span lines."""
    return [
        ("name", code.name, False),
        *((field, getattr(code, field), True) for field in _TEXTS),
        *(("keyword", keyword, False) for keyword in code.keywords),
        *(("facet value", value, False) for value in code.facets.values()),
    ]


def _where(code: CodeDef) -> str:
    return f"line {code.line}: " if code.line is not None else ""

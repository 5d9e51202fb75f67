# SPDX-License-Identifier: MIT
"""The codebook as plain values, and the rules a codebook must keep.

Pure: no files, no database. ``files`` reads and writes YAML, ``versions`` stores
published versions; both rely on ``validate`` here for what a valid codebook is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from qualcarto.errors import InputError

CODE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
STATUSES = ("active", "retired")


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

    def by_id(self) -> dict[str, CodeDef]:
        return {code.id: code for code in self.codes}

    def children(self, code_id: str | None) -> list[CodeDef]:
        return [code for code in self.codes if code.parent == code_id]

    def path(self, code_id: str) -> list[str]:
        """Names from the root down to the code: the code's place in the hierarchy."""
        codes = self.by_id()
        names: list[str] = []
        current: str | None = code_id
        while current is not None and current in codes and len(names) <= len(codes):
            names.append(codes[current].name)
            current = codes[current].parent
        return names[::-1]

    def leaves(self) -> list[CodeDef]:
        """Active codes without active children: the themes coders apply most."""
        parents = {code.parent for code in self.codes if code.active}
        return [code for code in self.codes if code.active and code.id not in parents]

    def with_codes(self, codes: list[CodeDef]) -> Codebook:
        return replace(self, codes=tuple(codes))


def validate(codebook: Codebook, source: str) -> Codebook:
    """Check every rule; raise ``InputError`` naming file, line and code for the first break.

    Returns the codebook with merged codes marked retired, since a merged code can no
    longer be applied.
    """
    seen: dict[str, CodeDef] = {}
    for code in codebook.codes:
        where = _where(code)
        if not CODE_ID.match(code.id):
            raise InputError(
                source, f"{where}code '{code.id}': id must be letters, digits, '.', '_' or '-'"
            )
        if code.id in seen:
            raise InputError(
                source,
                f"{where}code '{code.id}': duplicate id (first at line {seen[code.id].line})",
            )
        seen[code.id] = code
        if not code.name.strip():
            raise InputError(source, f"{where}code '{code.id}': has no name")
        if code.color is not None and not COLOR.match(code.color):
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
    for code in codebook.codes:
        chain = [code.id]
        parent = code.parent
        while parent is not None:
            if parent in chain:
                loop = " -> ".join([*chain[chain.index(parent) :], parent])
                raise InputError(source, f"{_where(code)}code '{code.id}': parent cycle {loop}")
            chain.append(parent)
            parent = codes[parent].parent


def _where(code: CodeDef) -> str:
    return f"line {code.line}: " if code.line is not None else ""

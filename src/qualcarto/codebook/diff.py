# SPDX-License-Identifier: MIT
"""What changed between two codebook versions, in the terms a research team uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcarto.codebook.model import Codebook, CodeDef

_DEFINITION_FIELDS = ("definition", "include", "exclude", "example")


@dataclass
class CodebookDiff:
    """Changes from an old to a new codebook; each list holds code ids or id pairs."""

    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    redefined: list[str] = field(default_factory=list)
    moved: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    split: list[tuple[str, list[str]]] = field(default_factory=list)
    refaceted: list[str] = field(default_factory=list)
    recolored: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(vars(self).values())

    def lines(self) -> list[str]:
        """One readable line per change, grouped by kind."""
        out = [f"+ added      {c}" for c in self.added]
        out += [f"- retired    {c}" for c in self.retired]
        out += [f"+ reactivated {c}" for c in self.reactivated]
        out += [f"~ renamed    {c}: '{old}' -> '{new}'" for c, old, new in self.renamed]
        out += [f"~ redefined  {c}" for c in self.redefined]
        out += [
            f"~ moved      {c}: {old or '(root)'} -> {new or '(root)'}"
            for c, old, new in self.moved
        ]
        out += [f"> merged     {src} -> {dst}" for src, dst in self.merged]
        out += [f"< split      {src} -> {', '.join(dst)}" for src, dst in self.split]
        out += [f"~ facets     {c}" for c in self.refaceted]
        out += [f"~ color      {c}" for c in self.recolored]
        return out or ["(no changes)"]


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    """Compare two codebooks by stable code id."""
    before, after = old.by_id(), new.by_id()
    result = CodebookDiff()
    for code in new.codes:
        prior = before.get(code.id)
        if prior is None:
            result.added.append(code.id)
            continue
        _compare(prior, code, result)
    for code_id, prior in before.items():
        if code_id not in after and prior.active:
            result.retired.append(code_id)
    splits: dict[str, list[str]] = {}
    for code in new.codes:
        prior = before.get(code.id)
        if code.split_from and (prior is None or prior.split_from != code.split_from):
            splits.setdefault(code.split_from, []).append(code.id)
    result.split = sorted(splits.items())
    return result


def _compare(prior: CodeDef, code: CodeDef, result: CodebookDiff) -> None:
    if code.merged_into and code.merged_into != prior.merged_into:
        result.merged.append((code.id, code.merged_into))
    elif prior.active and not code.active:
        result.retired.append(code.id)
    elif not prior.active and code.active:
        result.reactivated.append(code.id)
    if prior.name != code.name:
        result.renamed.append((code.id, prior.name, code.name))
    if any(getattr(prior, f) != getattr(code, f) for f in _DEFINITION_FIELDS):
        result.redefined.append(code.id)
    if prior.parent != code.parent:
        result.moved.append((code.id, prior.parent, code.parent))
    if prior.facets != code.facets:
        result.refaceted.append(code.id)
    if prior.color != code.color:
        result.recolored.append(code.id)


def codings_target(codebook: Codebook) -> dict[str, str]:
    """Where codings of each merged or split code go in ``codebook``.

    A merged code's codings follow ``merged_into`` (through chains of merges); a split
    code's codings go to the first code, in file order, that declares ``split_from`` it.
    Codings of other codes stay where they are.
    """
    by_id = codebook.by_id()
    first_child: dict[str, str] = {}
    for code in codebook.codes:
        if code.split_from and code.split_from not in first_child:
            first_child[code.split_from] = code.id
    targets: dict[str, str] = {}
    for code in codebook.codes:
        current, hops = code.id, 0
        while hops <= len(by_id):
            nxt = by_id[current].merged_into or (
                first_child.get(current) if not by_id[current].active else None
            )
            if nxt is None:
                break
            current, hops = nxt, hops + 1
        if current != code.id:
            targets[code.id] = current
    return targets

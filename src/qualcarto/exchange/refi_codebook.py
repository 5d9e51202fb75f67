# SPDX-License-Identifier: MIT
"""A REFI-QDA code tree as a qualcarto ``Codebook``, merged into the study's current one.

Codes are matched to existing ones by their path of names, so importing the same
codebook twice changes nothing. New codes get ids made from their names. Sets named
``facet: value`` (how qualcarto exports facets) become facets again; a code that cannot
receive codings (``isCodable="false"``) and has none is kept as a retired code, our way
of saying it cannot be applied. Names are kept as they are: a hierarchy another tool
flattened into names (``a::b``, ``a.b``) stays flattened.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from qualcarto.codebook import Codebook, CodeDef
from qualcarto.exchange.refi_read import RefiProject

FACET_SET = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*): (.+)$")
HEX6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
HEX3 = re.compile(r"^#[0-9A-Fa-f]{3}$")
LABELS = {"Include": "include", "Exclude": "exclude", "Example": "example"}


def slug(name: str) -> str:
    """A code id from a name: ASCII letters, digits and dashes, at most 60 characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()
    return text[:60].strip("-") or "code"


def split_description(text: str) -> dict[str, str]:
    """A ``Description`` back into definition, include, exclude and example.

    qualcarto writes the labelled paragraphs after the definition; text from other
    tools without them is all definition.
    """
    fields = {"definition": "", "include": "", "exclude": "", "example": ""}
    current = "definition"
    parts: dict[str, list[str]] = {key: [] for key in fields}
    for paragraph in text.strip().split("\n\n"):
        label, _, rest = paragraph.partition(": ")
        if label in LABELS and rest:
            current = LABELS[label]
            parts[current].append(rest)
        else:
            parts[current].append(paragraph)
    return {key: "\n\n".join(values).strip() for key, values in parts.items()}


def color_of(value: str | None, name: str, warnings: list[str]) -> str | None:
    """``#RRGGBB`` as written; ``#RGB`` widened; anything else dropped with a warning."""
    if not value:
        return None
    value = value.strip()
    if HEX6.match(value):
        return value
    if HEX3.match(value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    warnings.append(f"code '{name}': colour '{value}' is not #RRGGBB; left out")
    return None


def merge_codebook(
    existing: Codebook, project: RefiProject, coded: set[str], title: str
) -> tuple[Codebook, dict[str, str]]:
    """The study's codebook with the file's codes merged in, and file GUID -> code id."""
    warnings = project.warnings
    by_path = {tuple(existing.path(c.id)): c.id for c in existing.codes}
    taken = {c.id for c in existing.codes}
    codes: dict[str, CodeDef] = {c.id: c for c in existing.codes}
    ids: dict[str, str] = {}
    paths: dict[str, tuple[str, ...]] = {}
    facet_of, declared = _facets(project, warnings)
    vocabularies = {k: list(v) for k, v in existing.facets.items()}
    for facet, value in declared:
        vocabularies.setdefault(facet, [])
        if value not in vocabularies[facet]:
            vocabularies[facet].append(value)
    for code in project.codes:
        if code.guid in ids:
            warnings.append(f"code '{code.name}': GUID {code.guid} used twice; second left out")
            continue
        parent = ids.get(code.parent) if code.parent else None
        path = (*paths.get(code.parent or "", ()), code.name) if parent else (code.name,)
        code_id = by_path.get(path)
        if code_id is None:
            code_id = _unique(slug(code.name), taken)
        taken.add(code_id)
        ids[code.guid], paths[code.guid] = code_id, path
        text = split_description(code.description)
        old = codes.get(code_id)
        new = CodeDef(
            id=code_id,
            name=code.name,
            parent=parent,
            color=color_of(code.color, code.name, warnings),
            facets=facet_of.get(code.guid, {}),
            status="active" if code.codable or code.guid in coded else "retired",
            definition=text["definition"],
            include=text["include"],
            exclude=text["exclude"],
            example=text["example"],
        )
        if old is not None:  # same path: keep what the file does not say
            new = replace(
                old,
                color=new.color or old.color,
                definition=new.definition or old.definition,
                include=new.include or old.include,
                exclude=new.exclude or old.exclude,
                example=new.example or old.example,
                facets={**old.facets, **new.facets},
                status=new.status if old.status == "active" else old.status,
            )
        codes[code_id] = new
    book = Codebook(
        title=existing.title or title,
        source=existing.source,
        facets=vocabularies,
        settings=dict(existing.settings),
        codes=tuple(codes.values()),
    )
    return book, ids


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = base[: 60 - len(suffix)] + suffix, n + 1
    return candidate


def _facets(
    project: RefiProject, warnings: list[str]
) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Code GUID -> {facet: value} from sets named ``facet: value``, and every such pair.

    Empty sets count too: they keep a vocabulary value no code uses yet.
    """
    known = {c.guid for c in project.codes}
    found: dict[str, dict[str, str]] = {}
    declared: list[tuple[str, str]] = []
    other = 0
    for name, members in project.code_sets:
        match = FACET_SET.match(name.strip())
        if match is None or any(m not in known for m in members):
            other += 1
            continue
        facet, value = match.group(1), match.group(2).strip()
        declared.append((facet, value))
        for member in members:
            current = found.setdefault(member, {})
            if facet in current and current[facet] != value:
                warnings.append(f"a code is in two '{facet}' sets; kept '{current[facet]}'")
                continue
            current[facet] = value
    project.unsupported_add("code sets not of the form 'facet: value'", other)
    return found, declared

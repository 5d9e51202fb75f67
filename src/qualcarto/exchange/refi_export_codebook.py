# SPDX-License-Identifier: MIT
"""A codebook in REFI-QDA: the code tree with GUIDs from paths of names, facets as code sets."""

from __future__ import annotations

from lxml import etree

from qualcarto.codebook import Codebook, CodeDef
from qualcarto.errors import ValidationError
from qualcarto.exchange.refi_common import CODEBOOK_NS, PROJECT_NS, stable_guid
from qualcarto.exchange.refi_write import ORIGIN, sub_element, text_element

SECTIONS = (("include", "Include"), ("exclude", "Exclude"), ("example", "Example"))


def code_guids(codebook: Codebook) -> dict[str, str]:
    """A GUID per code from its path of names, so it survives any tool that keeps names."""
    guids: dict[str, str] = {}
    seen: set[str] = set()
    for code in codebook.codes:
        guid = stable_guid("code", *codebook.path(code.id))
        if guid in seen:  # two codes with one path: tell them apart by id
            guid = stable_guid("code", *codebook.path(code.id), code.id)
        seen.add(guid)
        guids[code.id] = guid
    return guids


def code_description(code: CodeDef) -> str:
    """The definition, then labelled paragraphs for inclusion, exclusion and example."""
    parts = [code.definition.strip()] if code.definition.strip() else []
    parts += [
        f"{label}: {getattr(code, key).strip()}"
        for key, label in SECTIONS
        if getattr(code, key).strip()
    ]
    return "\n\n".join(parts)


def add_codes(
    parent: etree._Element,
    ns: str,
    codebook: Codebook,
    guids: dict[str, str],
    code_notes: dict[str, list[str]] | None = None,
) -> None:
    """The code tree, nested by parent; a retired code is not codable.

    Built with a stack, not recursion, so a tree of any depth is written; how deep a
    REFI-QDA file may go is checked first (``check_depth``).
    """
    codes = (
        sub_element(sub_element(parent, ns, "CodeBook"), ns, "Codes")
        if ns == PROJECT_NS
        else parent
    )
    known = codebook.by_id()
    roots = [c for c in codebook.codes if c.parent is None or c.parent not in known]
    stack: list[tuple[etree._Element, CodeDef]] = [(codes, c) for c in reversed(roots)]
    while stack:
        into, code = stack.pop()
        element = sub_element(
            into,
            ns,
            "Code",
            guid=guids[code.id],
            name=code.name,
            isCodable="true" if code.active else "false",
            color=code.color,
        )
        text_element(element, ns, "Description", code_description(code))
        for note in (code_notes or {}).get(code.id, []):
            sub_element(element, ns, "NoteRef", targetGUID=note)
        stack.extend((element, child) for child in reversed(codebook.children(code.id)))


def check_depth(codebook: Codebook) -> None:
    """Refuse, in one line, a codebook deeper than a REFI-QDA file can hold."""
    problem = codebook.refi_problem()
    if problem:
        raise ValidationError(problem)


def add_sets(
    parent: etree._Element,
    ns: str,
    codebook: Codebook,
    guids: dict[str, str],
    groups: dict[str, list[str]] | None = None,
) -> None:
    """Facets as code sets ``facet: value``; transcript groups as sets of sources."""
    if not codebook.facets and not groups:
        return
    sets = sub_element(parent, ns, "Sets")
    for name, members in (groups or {}).items():
        element = sub_element(sets, ns, "Set", guid=stable_guid("group", name), name=name)
        for member in members:
            sub_element(element, ns, "MemberSource", targetGUID=member)
    for facet, values in codebook.facets.items():
        for value in values:
            element = sub_element(
                sets, ns, "Set", guid=stable_guid("set", facet, value), name=f"{facet}: {value}"
            )
            for code in codebook.codes:
                if code.facets.get(facet) == value:
                    if ns == PROJECT_NS:
                        sub_element(element, ns, "MemberCode", targetGUID=guids[code.id])
                    else:
                        sub_element(element, ns, "MemberCode", guid=guids[code.id])


def codebook_tree(codebook: Codebook) -> etree._Element:
    """The ``.qdc`` document: the code tree and the facet sets."""
    check_depth(codebook)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    guids = code_guids(codebook)
    add_codes(sub_element(root, CODEBOOK_NS, "Codes"), CODEBOOK_NS, codebook, guids)
    add_sets(root, CODEBOOK_NS, codebook, guids)
    return root

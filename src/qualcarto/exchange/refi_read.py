# SPDX-License-Identifier: MIT
"""Read REFI-QDA XML into plain values, leniently, the way real files are written.

Elements are matched by local name, so the namespace variants seen in the wild
(``…:1.0``, ``…:0:4``, ``…:1:0``) all read, with a warning; a root outside the
``urn:QDA-XML:`` family is refused. GUIDs are compared without case or braces. Nothing
here touches the store; ``refi_import`` decides what becomes of these values.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from qualcarto.errors import InputError
from qualcarto.exchange.refi_common import (
    CODEBOOK_NS,
    PROJECT_NS,
    guid_key,
    local,
    namespace_of,
    parse_datetime,
)


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool
    color: str | None
    description: str
    parent: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiCoding:
    guid: str
    code: str
    user: str
    created: datetime | None
    notes: list[str]


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    name: str
    user: str
    created: datetime | None
    description: str
    codings: list[RefiCoding]
    notes: list[str]


@dataclass
class RefiSource:
    guid: str
    name: str
    kind: str
    plain_path: str | None
    content: str | None
    selections: list[RefiSelection]
    whole_codings: list[RefiCoding]
    notes: list[str]
    variables: dict[str, str]
    description: str = ""
    user: str = ""
    other_paths: list[str] = field(default_factory=list)  # richTextPath, a media path


@dataclass
class RefiNote:
    guid: str
    name: str
    user: str
    content: str | None
    plain_path: str | None
    anchors: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]
    description: str = ""
    codings: int = 0


@dataclass
class RefiVariable:
    name: str
    kind: str
    description: str


@dataclass
class RefiProject:
    """Everything we read from a ``project.qde`` (or, with only codes and sets, a ``.qdc``)."""

    name: str = ""
    origin: str = ""
    description: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: list[RefiCode] = field(default_factory=list)
    code_sets: list[tuple[str, list[str]]] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    variables: dict[str, RefiVariable] = field(default_factory=dict)
    source_sets: list[tuple[str, str, list[str]]] = field(default_factory=list)
    unsupported: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def unsupported_add(self, kind: str, count: int = 1) -> None:
        """Count something qualcarto cannot hold, by kind, for the import report."""
        if count:
            self.unsupported[kind] = self.unsupported.get(kind, 0) + count


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text_of(element: etree._Element, name: str) -> str:
    found = _child(element, name)
    return (found.text or "") if found is not None else ""


def check_root(
    root: etree._Element, expected: str, source: str | Path, warnings: list[str]
) -> None:
    """Refuse a document that is not REFI-QDA; warn about a non-1.0 namespace."""
    family = PROJECT_NS if expected == "Project" else CODEBOOK_NS
    prefix = family.rsplit(":", 1)[0] + ":"
    namespace = namespace_of(root)
    if local(root.tag) != expected:
        raise InputError(source, f"root element is <{local(root.tag)}>, expected <{expected}>")
    if not namespace.startswith(prefix):
        raise InputError(source, f"wrong namespace '{namespace or '(none)'}'; expected {family}")
    if namespace != family:
        warnings.append(f"namespace {namespace} read as {family}")


def _int(element: etree._Element, name: str, source: str | Path) -> int:
    value = element.get(name)
    try:
        return int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise InputError(
            source, f"selection {element.get('guid')}: {name} '{value}' is not a whole number"
        ) from exc


def read_codes(parent: etree._Element | None, owner: str | None = None) -> list[RefiCode]:
    """The code tree, depth first, each code naming its parent's GUID."""
    codes: list[RefiCode] = []
    if parent is None:
        return codes
    for element in _children(parent, "Code"):
        guid = guid_key(element.get("guid"))
        codes.append(
            RefiCode(
                guid=guid,
                name=unicodedata.normalize("NFC", (element.get("name") or "").strip())
                or f"code {guid[:8]}",
                codable=(element.get("isCodable") or "true").strip().lower() != "false",
                color=element.get("color"),
                description=_text_of(element, "Description"),
                parent=owner,
                notes=[guid_key(n.get("targetGUID")) for n in _children(element, "NoteRef")],
            )
        )
        codes.extend(read_codes(element, guid))
    return codes


def read_sets(
    sets: etree._Element | None, project: RefiProject | None = None
) -> list[tuple[str, list[str]]]:
    """Sets of codes as (name, member code GUIDs).

    With ``project``, sets of sources go to ``project.source_sets`` (transcript groups)
    and note members are counted as unsupported.
    """
    found: list[tuple[str, list[str]]] = []
    for element in _children(sets, "Set") if sets is not None else []:
        name = element.get("name") or ""
        members = [
            guid_key(m.get("targetGUID") or m.get("guid")) for m in _children(element, "MemberCode")
        ]
        sources = [guid_key(m.get("targetGUID")) for m in _children(element, "MemberSource")]
        notes = _children(element, "MemberNote")
        if project is not None:
            if sources:
                project.source_sets.append((name, _text_of(element, "Description"), sources))
            project.unsupported_add("set members that are notes", len(notes))
        if members or not (sources or notes):
            found.append((name, members))
    return found


def read_codebook(root: etree._Element, source: str | Path) -> RefiProject:
    """A ``.qdc`` document as a project holding only codes and code sets."""
    project = RefiProject(origin=root.get("origin") or "")
    check_root(root, "CodeBook", source, project.warnings)
    codes = _child(root, "Codes")
    if codes is None:
        raise InputError(source, "holds no <Codes>: not a REFI-QDA codebook")
    project.codes = read_codes(codes)
    project.code_sets = read_sets(_child(root, "Sets"))
    return project


def _variables(element: etree._Element, names: dict[str, RefiVariable]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        variable = names.get(guid_key(ref.get("targetGUID")) if ref is not None else "")
        name = variable.name if variable is not None else ""
        kinds = [c for c in value if local(c.tag).endswith("Value")]
        if name and kinds and kinds[0].text is not None:
            values[name] = kinds[0].text.strip()
    return values


def _codings(parent: etree._Element, fallback_user: str) -> list[RefiCoding]:
    codings = []
    for element in _children(parent, "Coding"):
        ref = _child(element, "CodeRef")
        codings.append(
            RefiCoding(
                guid=guid_key(element.get("guid")),
                code=guid_key(ref.get("targetGUID")) if ref is not None else "",
                user=guid_key(element.get("creatingUser")) or fallback_user,
                created=parse_datetime(element.get("creationDateTime")),
                notes=[guid_key(n.get("targetGUID")) for n in _children(element, "NoteRef")],
            )
        )
    return codings


def _selection(element: etree._Element, source: str | Path) -> RefiSelection:
    user = guid_key(element.get("creatingUser"))
    return RefiSelection(
        guid=guid_key(element.get("guid")),
        start=_int(element, "startPosition", source),
        end=_int(element, "endPosition", source),
        name=element.get("name") or "",
        user=user,
        created=parse_datetime(element.get("creationDateTime")),
        description=_text_of(element, "Description"),
        codings=_codings(element, user),
        notes=[guid_key(n.get("targetGUID")) for n in _children(element, "NoteRef")],
    )


def read_project(root: etree._Element, source: str | Path) -> RefiProject:
    """A ``project.qde`` document as plain values."""
    project = RefiProject(
        name=root.get("name") or "",
        origin=root.get("origin") or "",
    )
    check_root(root, "Project", source, project.warnings)
    project.description = _text_of(root, "Description")
    users = _child(root, "Users")
    for user in _children(users, "User") if users is not None else []:
        project.users[guid_key(user.get("guid"))] = (
            user.get("name") or user.get("id") or ""
        ).strip()
    codebook = _child(root, "CodeBook")
    project.codes = read_codes(_child(codebook, "Codes") if codebook is not None else None)
    project.code_sets = read_sets(_child(root, "Sets"), project)
    variables = _child(root, "Variables")
    for v in _children(variables, "Variable") if variables is not None else []:
        project.variables[guid_key(v.get("guid"))] = RefiVariable(
            name=(v.get("name") or "").strip(),
            kind=(v.get("typeOfVariable") or "Text").strip(),
            description=_text_of(v, "Description").strip(),
        )
    names = project.variables
    cases = _child(root, "Cases")
    for case in _children(cases, "Case") if cases is not None else []:
        project.cases.append(
            RefiCase(
                guid=guid_key(case.get("guid")),
                name=(case.get("name") or "").strip(),
                variables=_variables(case, names),
                sources=[guid_key(s.get("targetGUID")) for s in _children(case, "SourceRef")],
                description=_text_of(case, "Description").strip(),
                codings=len(_children(case, "CodeRef")) + len(_children(case, "SelectionRef")),
            )
        )
    sources = _child(root, "Sources")
    for element in list(sources) if sources is not None else []:
        kind = local(element.tag)
        content = _child(element, "PlainTextContent")
        project.sources.append(
            RefiSource(
                guid=guid_key(element.get("guid")),
                name=(element.get("name") or "").strip(),
                kind=kind,
                plain_path=element.get("plainTextPath"),
                content=content.text or "" if content is not None else None,
                selections=[
                    _selection(s, source) for s in _children(element, "PlainTextSelection")
                ],
                whole_codings=_codings(element, guid_key(element.get("creatingUser"))),
                notes=[guid_key(n.get("targetGUID")) for n in _children(element, "NoteRef")],
                variables=_variables(element, names),
                description=_text_of(element, "Description").strip(),
                user=guid_key(element.get("creatingUser")),
                other_paths=[
                    element.get(name) or ""
                    for name in ("richTextPath", "path")
                    if element.get(name)
                ],
            )
        )
    notes = _child(root, "Notes")
    for note in _children(notes, "Note") if notes is not None else []:
        content = _child(note, "PlainTextContent")
        guid = guid_key(note.get("guid"))
        anchors = []
        for selection in _children(note, "PlainTextSelection"):
            anchors.append(
                (_int(selection, "startPosition", source), _int(selection, "endPosition", source))
            )
        project.notes[guid] = RefiNote(
            guid=guid,
            name=note.get("name") or "",
            user=guid_key(note.get("creatingUser")),
            content=content.text or "" if content is not None else None,
            plain_path=note.get("plainTextPath"),
            anchors=anchors,
        )
    project.project_notes = [guid_key(n.get("targetGUID")) for n in _children(root, "NoteRef")]
    links = _child(root, "Links")
    project.unsupported_add("links", len(_children(links, "Link")) if links is not None else 0)
    graphs = _child(root, "Graphs")
    project.unsupported_add("graphs", len(list(graphs)) if graphs is not None else 0)
    return project

# SPDX-License-Identifier: MIT
"""A REFI-QDA project's cases, variables, sources and document sets in the store.

Cases and source variables become participants with typed attributes
(``set_participants``, ``define_attribute``), text sources become transcripts
(``import_text``), sets of sources become transcript groups (``add_to_group``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import InputError, ValidationError
from qualcarto.exchange.positions import SourceText
from qualcarto.exchange.refi_read import RefiProject
from qualcarto.exchange.refi_report import RefiImportReport
from qualcarto.store import Transcript
from qualcarto.transcripts.attributes import KINDS, define_attribute, set_participants, typed_value
from qualcarto.transcripts.groups import add_to_group
from qualcarto.transcripts.importer import import_text


def participants_and_transcripts(
    session: Session,
    project: RefiProject,
    texts: dict[str, SourceText],
    path: Path,
    actor: str,
    report: RefiImportReport,
    progress: Callable[[str], None] | None,
) -> tuple[dict[str, Transcript], dict[str, int]]:
    """Transcripts by source GUID, and participant ids by case GUID."""
    taken: set[str] = set()
    titles: dict[str, str] = {}
    for source in project.sources:
        if source.guid in texts:
            base = (
                source.name or Path(source.plain_path or "").stem or f"source-{source.guid[:8]}"
            )[:190]
            title, n = base, 2
            while title in taken:
                title, n = f"{base} ({n})", n + 1
            taken.add(title)
            titles[source.guid] = title
    kinds = {v.name: v for v in project.variables.values()}
    attributes: dict[str, dict[str, Any]] = {}
    case_keys: dict[str, str] = {}
    owners: dict[str, str] = {}
    for case in project.cases:
        key = case.name or (titles.get(case.sources[0], "") if len(case.sources) == 1 else "")
        key = (key or f"case-{case.guid[:8]}")[:100]
        case_keys[case.guid] = key
        attributes.setdefault(key, {}).update(typed_values(case.variables, kinds, key, report))
        for ref in case.sources:
            if ref not in titles:
                report.warnings.append(
                    f"case '{key}' refers to source {ref}, which is not in the file"
                )
            else:
                owners.setdefault(ref, key)
    for source in project.sources:
        if source.guid in titles and source.variables:
            key = owners.setdefault(source.guid, titles[source.guid][:100])
            values = typed_values(source.variables, kinds, key, report)
            attributes.setdefault(key, {}).update(values)
    used = {name for values in attributes.values() for name in values}
    for name in sorted(used):
        variable = kinds.get(name)
        define_attribute(
            session,
            name,
            variable.kind if variable and variable.kind in KINDS else "Text",
            variable.description if variable else "",
            actor=actor,
        )
    report.attributes = len(used)
    participants = set_participants(session, attributes, actor=actor) if attributes else {}
    report.participants = len(attributes)
    stored: dict[str, Transcript] = {}
    for guid, title in titles.items():
        owner = participants[owners[guid]].id if guid in owners else None
        text = texts[guid]
        found = session.scalars(select(Transcript).where(Transcript.name == title)).first()
        if found is not None and found.text != text.text:
            raise InputError(path, f"transcript '{title}' already exists with another text")
        if found is None:
            found = import_text(
                session, title, text.text, source_file=path.name, participant_id=owner, actor=actor
            )
            report.transcripts.append(title)
        stored[guid] = found
        if progress:
            progress(title)
    cases = {guid: participants[key].id for guid, key in case_keys.items()}
    return stored, cases


def typed_values(
    values: dict[str, str], kinds: dict[str, Any], owner: str, report: RefiImportReport
) -> dict[str, Any]:
    """Values as their declared type; one that does not parse stays text, with a warning."""
    typed: dict[str, Any] = {}
    for name, raw in values.items():
        variable = kinds.get(name)
        kind = variable.kind if variable is not None and variable.kind in KINDS else "Text"
        try:
            typed[name] = typed_value(kind, raw)
        except ValidationError:
            report.warnings.append(f"{owner}: {name} '{raw}' is not {kind}; kept as text")
            typed[name] = raw
    return typed


def add_groups(
    session: Session,
    project: RefiProject,
    names: dict[str, Transcript],
    actor: str,
    report: RefiImportReport,
) -> None:
    """Document sets become transcript groups; members that are not transcripts are counted."""
    for name, description, members in project.source_sets:
        ids = [names[m].id for m in members if m in names]
        project.unsupported_add(
            "set members that are not imported sources", len(members) - len(ids)
        )
        if ids:
            add_to_group(session, name or "set", ids, description=description, actor=actor)
            report.groups += 1

# SPDX-License-Identifier: MIT
"""A REFI-QDA project's cases, variables, sources and document sets in the store.

Text sources become transcripts (``import_text``, in batches); cases and source
variables become participants with typed attributes (``set_participants``,
``define_attribute``); sets of sources become transcript groups (``add_to_group``).
Participants and groups may change rows that exist already, so an import in batches
writes them in its last, short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import InputError, ValidationError
from qualcarto.exchange.refi_read import RefiProject
from qualcarto.exchange.refi_report import RefiImportReport
from qualcarto.exchange.refi_sources import RefiFile
from qualcarto.store import ImportRun, Transcript
from qualcarto.transcripts.attributes import KINDS, define_attribute, set_participants, typed_value
from qualcarto.transcripts.groups import add_to_group
from qualcarto.transcripts.importer import import_text


def store_transcripts(
    run: ImportRun,
    refi: RefiFile,
    actor: str,
    progress: Callable[[str], None] | None,
) -> tuple[dict[str, Transcript], set[str]]:
    """Transcripts by source GUID (written in batches), and the GUIDs of those made new here.

    A transcript of the same name and text is met again; one with another text is an error.
    """
    session, path, report = run.session, refi.path, refi.report
    stored: dict[str, Transcript] = {}
    new: set[str] = set()
    for guid, title in refi.titles.items():
        text, structure = refi.texts[guid], refi.structures[guid]
        found = session.scalars(select(Transcript).where(Transcript.name == title)).first()
        if found is not None and found.text != text.text:
            raise InputError(path, f"transcript '{title}' already exists with another text")
        if found is None:
            found = import_text(
                session, title, text.text, source_file=path.name, actor=actor, structure=structure
            )
            report.transcripts.append(title)
            new.add(guid)
        stored[guid] = found
        run.checkpoint()
        if progress:
            progress(title)
    return stored, new


def store_participants(
    session: Session,
    project: RefiProject,
    titles: dict[str, str],
    new_transcripts: dict[str, Transcript],
    actor: str,
    report: RefiImportReport,
) -> dict[str, int]:
    """Cases and source variables as participants, linked to the new transcripts they own;
    participant ids by case GUID."""
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
    for guid, transcript in new_transcripts.items():
        if guid in owners:
            transcript.participant_id = participants[owners[guid]].id
    return {guid: participants[key].id for guid, key in case_keys.items()}


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

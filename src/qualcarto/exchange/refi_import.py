# SPDX-License-Identifier: MIT
"""Import a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into the study, all or nothing.

Lenient where real files deviate (units of positions, namespaces, dangling references,
names, control characters), strict where safety or the data's meaning is at stake: an
unsafe or broken file, a missing source file, a selection past the end of its text
raise an ``InputError`` naming the file, and the store is left unchanged. With
``skip_broken`` a broken source is left out instead, and the report names it with its
reason.

Nothing is dropped silently. Users (``refi_users``), codebook (a new version via
``publish``), transcripts, codings (``origin="import"``), participants with typed
attributes, transcript groups (document sets) and memos (on transcripts, codes,
participants and the study) land through the same services as everything else, each in
the audit log; what qualcarto cannot hold (links, graphs, non-text sources, case-level
codings, ...) is counted per kind in the report and the audit entry.

``import_refi_in_batches`` writes a large project in short transactions (one per
transcript, per few thousand codings) so coders keep working while it runs; nobody sees
any of it until its last transaction (``qualcarto.store.staging``). ``import_refi``
writes everything in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from qualcarto.codebook import Codebook, latest_version, publish, version_codebook
from qualcarto.coding import NewCoding, add_codings
from qualcarto.errors import InputError, QualcartoError
from qualcarto.exchange.refi_cases import (
    add_groups,
    store_participants,
    store_transcripts,
)
from qualcarto.exchange.refi_codebook import merge_codebook
from qualcarto.exchange.refi_codings import source_codings, source_memos
from qualcarto.exchange.refi_media import import_media_sources
from qualcarto.exchange.refi_report import (
    FALLBACK_USER,
    MemoToWrite,
    RefiImportReport,
    who,
    write_memos,
)
from qualcarto.exchange.refi_sources import RefiFile, read_refi
from qualcarto.exchange.refi_users import import_users
from qualcarto.exchange.sidecar import apply_sidecar
from qualcarto.store import ImportRun, Transcript, current_project, record, staged_import
from qualcarto.study import describe_study
from qualcarto.users import find_user

# Codings per batch: a few thousand rows insert in well under a second.
CODINGS_PER_BATCH = 500


def import_refi(
    session: Session,
    path: Path,
    *,
    actor: str = "system",
    progress: Callable[[str], None] | None = None,
    skip_broken: bool = False,
    sources: Path | None = None,
) -> RefiImportReport:
    """Import ``path`` (``.qdpx``, ``.qdc``, or ``.qde`` with ``sources``) in the caller's
    transaction."""
    refi = read_refi(path, sources, skip_broken)
    return _guarded(ImportRun(session), refi, actor, progress)


def import_refi_in_batches(
    engine: Engine,
    path: Path,
    *,
    actor: str = "system",
    progress: Callable[[str], None] | None = None,
    skip_broken: bool = False,
    sources: Path | None = None,
) -> RefiImportReport:
    """Import ``path`` in short transactions, visible to others only once it is complete.

    The file is read and checked before anything is written. If the import fails, or its
    process is killed, the store is left as if it had never started.
    """
    refi = read_refi(path, sources, skip_broken)
    with staged_import(engine, path.name, actor) as run:
        report = _guarded(run, refi, actor, progress)
    report.batches, report.longest_batch = run.batches, run.longest
    return report


def _guarded(
    run: ImportRun, refi: RefiFile, actor: str, progress: Callable[[str], None] | None
) -> RefiImportReport:
    try:
        return _store(run, refi, actor, progress)
    except InputError:
        raise
    except QualcartoError as exc:
        raise InputError(refi.path, str(exc)) from exc


def _store(
    run: ImportRun, refi: RefiFile, actor: str, progress: Callable[[str], None] | None
) -> RefiImportReport:
    """New rows in batches (users and codebook, transcripts, codings, recordings); then, in
    the last transaction, what may change existing rows (participants, groups, memos, the
    study's name)."""
    session, path, project, report = run.session, refi.path, refi.project, refi.report
    empty = latest_version(session) is None and not session.scalar(
        select(func.count()).select_from(Transcript)
    )
    coded = {c.code for s in project.sources for sel in s.selections for c in sel.codings}
    coded |= {c.code for s in project.sources for c in s.whole_codings}
    users = import_users(session, refi, actor, empty=empty)
    previous = latest_version(session)
    existing = version_codebook(previous) if previous else Codebook()
    codebook, code_ids = merge_codebook(existing, project, coded, project.name or path.stem)
    if refi.sidecar is not None:
        codebook, code_ids = apply_sidecar(refi.sidecar, codebook, code_ids)
    author = actor if find_user(session, actor) is not None else None
    if codebook.codes:
        result = publish(
            session, codebook, f"imported from {path.name}", author=author, source_file=path.name
        )
        report.codebook_version, report.codes = result.number, len(project.codes)
    run.checkpoint()
    names, new = store_transcripts(run, refi, actor, progress)
    memos: list[MemoToWrite] = []
    described = project.description.strip()
    if not (empty and project.name) and described and described != _study(run):
        title = f"Project description from {path.name}"
        memos.append(MemoToWrite(FALLBACK_USER, project.description, "project", title))
    used_notes: set[str] = set()
    origins = refi.sidecar.origins if refi.sidecar is not None else None
    rows: list[NewCoding] = []
    for source in project.sources:
        if source.guid in names:
            rows += source_codings(
                session,
                source,
                names[source.guid],
                refi.spans,
                users,
                code_ids,
                refi.notes,
                report,
                used_notes,
                origins,
                memos,
            )
            source_memos(
                source,
                names[source.guid],
                refi.texts[source.guid],
                refi.reading,
                users,
                project,
                refi.notes,
                used_notes,
                memos,
            )
            run.checkpoint()
    for start in range(0, len(rows), CODINGS_PER_BATCH):
        chunk = rows[start : start + CODINGS_PER_BATCH]
        report.codings += add_codings(session, chunk, origin="import", actor=actor)
        run.checkpoint()
    if refi.archive is not None and refi.root is not None:
        report.warnings += import_media_sources(session, refi.root, refi.archive, path, actor)
    run.checkpoint(force=True)  # what follows may change existing rows: the last batch
    new_transcripts = {guid: names[guid] for guid in new}
    owners = store_participants(session, project, refi.titles, new_transcripts, actor, report)
    add_groups(session, project, names, actor, report)
    _describe_study(session, refi, empty, actor)
    _late_memos(refi, users, code_ids, owners, used_notes, memos)
    write_memos(session, memos, report, actor)
    report.unsupported = dict(project.unsupported)
    record(
        session,
        actor,
        "exchange.import",
        "file",
        path.name,
        summary=report.lines(),
        unsupported=report.unsupported,
        skipped=report.skipped,
    )
    return report


def _study(run: ImportRun) -> str:
    return current_project(run.session).description


def _describe_study(session: Session, refi: RefiFile, empty: bool, actor: str) -> None:
    """An empty store takes the project's name and description as the study's."""
    if empty and refi.project.name:
        description = refi.project.description or None
        describe_study(session, refi.project.name, description, actor=actor)


def _late_memos(
    refi: RefiFile,
    users: dict[str, str],
    code_ids: dict[str, str],
    owners: dict[str, int],
    used_notes: set[str],
    memos: list[MemoToWrite],
) -> None:
    """Memos on codes, participants and the study: notes no transcript took."""
    project, notes = refi.project, refi.notes
    for code in project.codes:
        for ref in code.notes:
            if ref in notes and code.guid in code_ids:
                used_notes.add(ref)
                author_guid, title, text = notes[ref]
                target = {"code_id": code_ids[code.guid]}
                memos.append(MemoToWrite(who(users, author_guid), text, "code", title, target))
    written = refi.sidecar.participant_memos if refi.sidecar is not None else {}
    for case in project.cases:
        described = written.get(case.name) or [
            [FALLBACK_USER, "Case description", case.description]
        ]
        for author, title, text in described if case.description and case.guid in owners else []:
            owner: dict[str, object] = {"participant_id": owners[case.guid]}
            memos.append(MemoToWrite(author, text, "participant", title, owner))
        project.unsupported_add("case-level codings", case.codings)
    # Project notes, journals nothing refers to, notes only a link refers to: study memos.
    for guid in [*project.project_notes, *notes]:
        if guid in notes and guid not in used_notes:
            used_notes.add(guid)
            author_guid, title, text = notes[guid]
            memos.append(MemoToWrite(who(users, author_guid), text, "project", title or "Journal"))

# SPDX-License-Identifier: MIT
"""Published codebook versions in the store, and the migration of codings between them.

A publish never deletes a coding. Codes left out of a new file are carried over as
retired; codings of merged and split codes move to their new code in the same
transaction as the publish, and the audit log lists every coding that moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session, object_session

from qualcarto.codebook.diff import CodebookDiff, codings_target, diff_codebooks
from qualcarto.codebook.files import load_codebook
from qualcarto.codebook.model import Codebook, CodeDef, validate
from qualcarto.duplicates import find_duplicate, merge_duplicate
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import CodebookVersion, CodeRevision, Coding, current_project, record
from qualcarto.store.models import utcnow
from qualcarto.users import find_user

if TYPE_CHECKING:
    import pandas as pd

INSERT_BATCH = 5_000
_CODE_TABLE = cast(Table, CodeRevision.__table__)


@dataclass(frozen=True)
class PublishResult:
    """The version a publish produced (or found unchanged) and what changed."""

    number: int
    diff: CodebookDiff
    migrated: dict[str, int]
    unchanged: bool = False
    notes: tuple[str, ...] = ()


def latest_version(session: Session) -> CodebookVersion | None:
    """The newest published version of the project's codebook, if any."""
    project = current_project(session)
    return session.scalars(
        select(CodebookVersion)
        .where(CodebookVersion.project_id == project.id, CodebookVersion.number > 0)
        .order_by(CodebookVersion.number.desc())
        .limit(1)
    ).first()


def get_version(session: Session, number: int | None = None) -> CodebookVersion:
    """Version ``number``, or the newest one; a clear error if there is none."""
    if number is None:
        version = latest_version(session)
        if version is None:
            raise NotFoundError("no codebook published yet; run `qualcarto codebook publish FILE`")
        return version
    project = current_project(session)
    found = session.scalars(
        select(CodebookVersion).where(
            CodebookVersion.project_id == project.id, CodebookVersion.number == number
        )
    ).first()
    if found is None or number <= 0:
        raise NotFoundError(f"codebook version {number} does not exist")
    return found


_CODE_COLUMNS = (
    "code_id",
    "name",
    "parent",
    "definition",
    "include",
    "exclude",
    "example",
    "color",
    "facets",
    "keywords",
    "status",
    "merged_into",
    "split_from",
)


def version_codebook(version: CodebookVersion) -> Codebook:
    """A stored version as the pure ``Codebook`` value.

    The codes are read as plain rows in one query, not as ORM objects: a 100,000-code
    version loads in a second instead of building an object per code.
    """
    session = object_session(version)
    if session is None or "codes" in version.__dict__:
        rows: list[Any] = [tuple(getattr(r, c) for c in _CODE_COLUMNS) for r in version.codes]
    else:
        table = _CODE_TABLE
        rows = list(
            session.execute(
                select(*(table.c[c] for c in _CODE_COLUMNS))
                .where(table.c.version_id == version.id)
                .order_by(table.c.position)
            )
        )
    return Codebook(
        title=version.title,
        source=version.source,
        facets={k: list(v) for k, v in version.facets.items()},
        settings=dict(version.settings),
        codes=tuple(
            CodeDef(
                id=code_id,
                name=name,
                parent=parent,
                definition=definition,
                include=include,
                exclude=exclude,
                example=example,
                color=color,
                facets=dict(facets),
                keywords=tuple(keywords),
                status=status,
                merged_into=merged_into,
                split_from=split_from,
            )
            for (
                code_id,
                name,
                parent,
                definition,
                include,
                exclude,
                example,
                color,
                facets,
                keywords,
                status,
                merged_into,
                split_from,
            ) in rows
        ),
    )


def publish_codebook(
    session: Session, path: Path, message: str, author: str | None = None
) -> PublishResult:
    """Validate the file and store it as the next version, migrating codings it merges or splits."""
    return publish(session, load_codebook(path), message, author=author, source_file=path.name)


@dataclass(frozen=True)
class Prepared:
    """A codebook checked against the newest version and ready to store."""

    codebook: Codebook
    diff: CodebookDiff
    previous: int  # the newest version's number when checked (0: none yet)
    author_id: int | None


def prepare(
    session: Session, codebook: Codebook, *, author: str | None = None, source_file: str = ""
) -> Prepared | PublishResult:
    """Validate ``codebook`` as the next version: what to store, or the unchanged result."""
    previous = latest_version(session)
    old = version_codebook(previous) if previous else Codebook()
    codebook = _carry_over_missing(old, codebook)
    validate(codebook, source_file or "codebook")
    diff = diff_codebooks(old, codebook)
    if previous is not None and diff.empty and codebook.facets == old.facets:
        return PublishResult(previous.number, diff, {}, unchanged=True)
    author_user = find_user(session, author) if author else None
    if author_user is not None and author_user.role != "lead":
        raise ValidationError(f"only a lead publishes a codebook, and '{author}' is not one")
    return Prepared(
        codebook, diff, previous.number if previous else 0, author_user.id if author_user else None
    )


def new_version(
    session: Session, ready: Prepared, message: str, source_file: str, number: int
) -> CodebookVersion:
    """The version row (``number`` below 1 for a draft that readers do not see)."""
    version = CodebookVersion(
        project_id=current_project(session).id,
        number=number,
        title=ready.codebook.title,
        source=ready.codebook.source,
        message=message,
        author_id=ready.author_id,
        source_file=source_file,
        facets=ready.codebook.facets,
        settings=ready.codebook.settings,
    )
    session.add(version)
    session.flush()
    return version


def finish(
    session: Session, version: CodebookVersion, ready: Prepared, message: str, author: str | None
) -> PublishResult:
    """Migrate codings to the published version and record it in the audit log."""
    migrated = _migrate_codings(session, ready.codebook, author or "system", version.number)
    record(
        session,
        author or "system",
        "codebook.publish",
        "codebook_version",
        version.number,
        message=message,
        file=version.source_file,
        changes=ready.diff.lines(),
        migrated=migrated,
    )
    problem = ready.codebook.refi_problem()
    return PublishResult(version.number, ready.diff, migrated, notes=(problem,) if problem else ())


def publish(
    session: Session,
    codebook: Codebook,
    message: str,
    *,
    author: str | None = None,
    source_file: str = "",
) -> PublishResult:
    """Store ``codebook`` as the next version (in the caller's transaction).

    ``codebook.staged.publish_in_batches`` does the same in short transactions, for a
    codebook so large that one transaction would hold the write lock for seconds.
    """
    ready = prepare(session, codebook, author=author, source_file=source_file)
    if isinstance(ready, PublishResult):
        return ready
    version = new_version(session, ready, message, source_file, ready.previous + 1)
    insert_codes(session, version.id, ready.codebook)
    return finish(session, version, ready, message, author)


def insert_codes(
    session: Session, version_id: int, codebook: Codebook, start: int = 0, stop: int | None = None
) -> None:
    """Codes ``start:stop`` of a version as bulk inserts of plain rows, not ORM objects."""
    rows = [
        {
            "version_id": version_id,
            "code_id": code.id,
            "position": position,
            "name": code.name,
            "parent": code.parent,
            "definition": code.definition,
            "include": code.include,
            "exclude": code.exclude,
            "example": code.example,
            "color": code.color,
            "facets": code.facets,
            "keywords": list(code.keywords),
            "status": code.status,
            "merged_into": code.merged_into,
            "split_from": code.split_from,
        }
        for position, code in enumerate(codebook.codes[start:stop], start=start)
    ]
    for first in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(_CODE_TABLE), rows[first : first + INSERT_BATCH])


def _carry_over_missing(old: Codebook, new: Codebook) -> Codebook:
    """Codes of the old version absent from the new file stay, retired: nothing disappears."""
    present = new.by_id()
    missing = [replace(c, status="retired", line=None) for c in old.codes if c.id not in present]
    return new.with_codes([*new.codes, *missing]) if missing else new


def _migrate_codings(
    session: Session, codebook: Codebook, actor: str, number: int
) -> dict[str, int]:
    moved: dict[str, int] = {}
    for source, target in codings_target(codebook).items():
        ids = list(session.scalars(select(Coding.id).where(Coding.code_id == source)))
        if not ids:
            continue
        moving = _fold_clashes(session, ids, target, actor)
        session.execute(
            update(Coding)
            .where(Coding.id.in_(moving))
            .values(code_id=target, row_version=Coding.row_version + 1, updated_at=utcnow())
        )
        moved[f"{source}->{target}"] = len(ids)
        record(
            session,
            actor,
            "coding.migrate",
            "code",
            source,
            to=target,
            version=number,
            coding_ids=ids,
            merged_into_duplicates=sorted(set(ids) - set(moving)),
        )
    return moved


def _fold_clashes(session: Session, ids: list[int], target: str, actor: str) -> list[int]:
    """Merge each coding that would become a duplicate under ``target``; returns those that move.

    A coder who coded one span with both codes of a merge keeps one coding, not two.
    """
    moving = []
    for coding in session.scalars(select(Coding).where(Coding.id.in_(ids)).order_by(Coding.id)):
        keep = find_duplicate(
            session, coding.transcript_id, coding.coder_id, coding.start, coding.end, target
        )
        if keep is None:
            moving.append(coding.id)
        else:
            merge_duplicate(session, keep, coding, actor)
    return moving


def codes_frame(session: Session, number: int | None = None) -> pd.DataFrame:
    """One row per code of a version: id, name, parent, path, status, color, texts, facets.

    Each facet the codebook declares becomes a column of its own, so a notebook user can
    group by ``stage`` or ``polarity`` directly.
    """
    return codebook_frame(version_codebook(get_version(session, number)))


def codebook_frame(codebook: Codebook) -> pd.DataFrame:
    """The pure part of ``codes_frame``: a ``Codebook`` as a DataFrame."""
    import pandas as pd  # deferred: `qualcarto status` and --help need no pandas

    rows = []
    for code in codebook.codes:
        row: dict[str, object] = {
            "code_id": code.id,
            "name": code.name,
            "parent": code.parent,
            "path": " > ".join(codebook.path(code.id)),
            "status": code.status,
            "color": code.color,
            "definition": code.definition,
            "include": code.include,
            "exclude": code.exclude,
            "example": code.example,
        }
        for facet in codebook.facets:
            row[facet] = code.facets.get(facet)
        rows.append(row)
    columns = [
        "code_id",
        "name",
        "parent",
        "path",
        "status",
        "color",
        "definition",
        "include",
        "exclude",
        "example",
        *codebook.facets,
    ]
    return pd.DataFrame(rows, columns=columns)


def count_codings_by_code(session: Session) -> dict[str, int]:
    """How many codings each code id holds, over all coders."""
    rows = session.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id))
    return {code_id: n for code_id, n in rows}

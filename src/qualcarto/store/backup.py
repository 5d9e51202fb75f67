# SPDX-License-Identifier: MIT
"""Backups and restores of a whole store, taken while coders keep working.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one
step, which is one read transaction, so the copy is a consistent snapshot even while
other connections write (WAL mode lets writers go on meanwhile). PostgreSQL: ``pg_dump``
in its custom format, which also reads one snapshot, and ``pg_restore`` in a single
transaction. A backup is written beside its target and renamed into place only when
complete, so a crash never leaves half a backup under the real name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from qualcarto.errors import InputError, NotFoundError, QualcartoError
from qualcarto.store.engine import BUSY_TIMEOUT_MS, connect, sqlite_path
from qualcarto.store.migrate import current_revision

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore did: the file, its size and the schema revision it holds."""

    path: Path
    backend: str
    size: int
    revision: str | None
    kept: Path | None = None  # on restore: the copy of the store that was replaced


def pg_tool(name: str) -> Path:
    """A PostgreSQL client program: from PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not versions:
        raise NotFoundError(f"{name} not found; install the PostgreSQL client (postgresql-client)")
    return versions[-1]


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


def backup_store(url: str, out: Path, *, force: bool = False) -> BackupReport:
    """Copy the store at ``url`` to ``out`` without stopping anybody's work."""
    if out.exists() and not force:
        raise QualcartoError(f"{out}: already exists; pick another name or use --force")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    # Owner-only from the first byte: an interrupted copy must not leave the study readable.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if _backend(url) == "sqlite":
            revision = _sqlite_backup(url, partial)
        elif _backend(url) == "postgresql":
            revision = _pg_dump(url, partial)
        else:
            raise QualcartoError(f"{_backend(url)}: backups support SQLite and PostgreSQL only")
        partial.chmod(0o600)  # pg_dump may recreate the file: owner-only again
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(out, _backend(url), out.stat().st_size, revision)


def _sqlite_backup(url: str, target: Path) -> str | None:
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise NotFoundError(f"{path or url}: no store here")
    source = open_sqlite_file(path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)  # all pages in one step: one consistent snapshot
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problem = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise QualcartoError(f"{target}: the copy failed SQLite's integrity check: {problem}")
        return _sqlite_revision(dest)
    finally:
        dest.close()
        source.close()


def open_sqlite_file(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a SQLite file by its path: ``#``, ``?`` or ``%`` in a name are just characters.

    A ``file:`` URI built from ``Path.as_uri`` percent-encodes them, so ``study#1.db`` is
    never read as ``study`` with a fragment, and ``mode=ro`` can't create a missing file.
    """
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def sqlite_file_problem(path: Path) -> str | None:
    """Why a SQLite file cannot be used as it is (unreadable, not SQLite, damaged), or None."""
    try:
        conn = open_sqlite_file(path, read_only=True)
    except sqlite3.Error as exc:
        return f"cannot be opened: {exc}"
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"is damaged: {exc}"
    finally:
        conn.close()
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return f"is damaged: {problems[0]}{more}"
    return None


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _pg_command(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection flags for the pg tools; the password goes in the environment, not argv."""
    args = ["--dbname", str(url.database)]
    host = url.host or url.query.get("host")  # ?host=/var/run/postgresql: a Unix socket
    if isinstance(host, str) and host:
        args += ["--host", host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise QualcartoError(f"{Path(command[0]).name} failed: {last}")


def _pg_dump(url: str, target: Path) -> str | None:
    parsed = make_url(url)
    args, env = _pg_command(parsed)
    _run(
        [str(pg_tool("pg_dump")), "--format=custom", "--no-owner", "--file", str(target), *args],
        env,
    )
    _run([str(pg_tool("pg_restore")), "--list", str(target)], env)  # readable as written
    engine = connect(url)
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    finally:
        engine.dispose()


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``: which store a backup file came from, by its first bytes."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such backup file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise InputError(path, "is neither a SQLite store nor a pg_dump custom-format file")


def restore_store(url: str, source: Path, *, force: bool = False) -> BackupReport:
    """Replace the store at ``url`` with the backup ``source``, then bring it to the head schema.

    A store that holds data is replaced only with ``force``; a SQLite store is first
    copied aside (``<file>.before-restore.<time>.bak``) so a wrong restore can be undone.
    """
    kind, backend = backup_kind(source), _backend(url)
    if kind != backend:
        raise InputError(
            source, f"is a {kind} backup; restore it into a {kind} store, not {backend}"
        )
    if kind == "sqlite":
        kept = _sqlite_restore(url, source, force=force)
    else:
        _pg_restore(url, source, force=force)
        kept = None
    engine = connect(url)  # migrates a backup taken by an older qualcarto
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
    finally:
        engine.dispose()
    return BackupReport(source, kind, source.stat().st_size, revision, kept)


def _sqlite_restore(url: str, source: Path, *, force: bool) -> Path | None:
    target = sqlite_path(url)
    if target is None:
        raise QualcartoError(f"{url}: restore needs a SQLite file, not an in-memory store")
    problem = sqlite_file_problem(source)
    if problem is not None:
        raise InputError(source, problem)
    incoming = open_sqlite_file(source, read_only=True)
    try:
        if _sqlite_revision(incoming) is None:
            raise InputError(source, "is a SQLite file but not a qualcarto store")
        kept = None
        damaged = False
        if target.exists() and target.stat().st_size > 0:
            if not force:
                raise QualcartoError(
                    f"{target}: already holds a store; use --force to replace it "
                    "(a copy of it is kept beside it)"
                )
            kept = _keep_raw_copy(target)
            damaged = sqlite_file_problem(target) is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        if damaged:
            _replace_file(incoming, target)
        else:
            dest = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                incoming.backup(dest)  # page by page under the target's write lock
            finally:
                dest.close()
        return kept
    finally:
        incoming.close()


def _keep_raw_copy(target: Path) -> Path:
    """Copy the store's bytes aside (with its ``-wal``), never through SQLite.

    A damaged store is exactly the one restore exists for, and SQLite may refuse to read
    it; a byte copy keeps whatever is left of it for a later rescue.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kept = target.with_name(f"{target.name}.before-restore.{stamp}.bak")
    for suffix in ("", "-wal"):
        original = Path(f"{target}{suffix}")
        if original.exists():
            copy = Path(f"{kept}{suffix}")
            os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            shutil.copyfile(original, copy)
    return kept


def _replace_file(incoming: sqlite3.Connection, target: Path) -> None:
    """Write the backup to a new file beside the damaged store and rename it into place."""
    fresh = target.with_name(target.name + ".restoring")
    fresh.unlink(missing_ok=True)
    os.close(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        dest = sqlite3.connect(fresh)
        try:
            incoming.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        for suffix in ("-wal", "-shm"):  # they belong to the damaged file, not to the backup
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, target)
    finally:
        fresh.unlink(missing_ok=True)


def _pg_restore(url: str, source: Path, *, force: bool) -> None:
    parsed = make_url(url)
    engine = connect(url, create=True, upgrade=False)
    try:
        with engine.connect() as conn:
            occupied = bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    if occupied and not force:
        raise QualcartoError(
            f"{parsed.render_as_string(hide_password=True)}: already holds a store; "
            "use --force to replace it"
        )
    args, env = _pg_command(parsed)
    flags = ["--no-owner", "--single-transaction", "--exit-on-error"]
    if occupied:
        flags += ["--clean", "--if-exists"]
    _run([str(pg_tool("pg_restore")), *flags, *args, str(source)], env)

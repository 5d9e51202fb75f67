# SPDX-License-Identifier: MIT
"""A damaged store: `verify` names the damage in one line, `restore --force` recovers from it.

Each kind of damage is done to a real store file the way disks and careless copies do
it. Verify must exit 2 with one line per problem (no traceback); restore must keep the
damaged bytes aside untouched and put the backup in place, which then verifies clean.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import Coding, connect, session_scope
from qualcarto.store.backup import backup_store, sqlite_file_problem

PAGE = 4096


def _truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _cut_last_page(path: Path) -> None:
    os.truncate(path, path.stat().st_size - PAGE)


def _flip_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"NotSQLite format")


def _flip_bytes(path: Path) -> None:
    with path.open("r+b") as handle:  # the b-tree header of page 2 and what follows
        handle.seek(PAGE)
        data = bytearray(handle.read(64))
        handle.seek(PAGE)
        handle.write(bytes(b ^ 0xA5 for b in data))


def _zero_page(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(2 * PAGE)
        handle.write(bytes(PAGE))


def _empty(path: Path) -> None:
    os.truncate(path, 0)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated to half": _truncate_half,
    "last page cut": _cut_last_page,
    "header overwritten": _flip_header,
    "bytes flipped": _flip_bytes,
    "page zeroed": _zero_page,
    "emptied": _empty,
}


@pytest.fixture
def damaged(study: Engine, tmp_path: Path) -> tuple[str, Path, Path]:
    """A store with a coding, its backup, and the store file itself (not yet damaged)."""
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "kept through the damage")
    url = str(study.url)
    backup = tmp_path / "backups" / "study#1.db"  # a '#' in a name is just a character
    backup_store(url, backup)
    study.dispose()
    path = Path(str(study.url.database))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url, backup, path


@pytest.mark.parametrize("kind", DAMAGE)
def test_verify_reports_the_damage_in_one_line_per_problem(
    kind: str, damaged: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _backup, path = damaged
    DAMAGE[kind](path)
    assert main(["--db", url, "verify"]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert out.strip(), "the problem is named"
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", DAMAGE)
def test_restore_recovers_a_damaged_store_and_keeps_its_bytes(
    kind: str, damaged: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, backup, path = damaged
    DAMAGE[kind](path)
    damaged_bytes = path.read_bytes()
    assert main(["--db", url, "restore", str(backup), "--force"]) == 0
    out = capsys.readouterr().out
    assert "verified: no integrity problems" in out
    kept = list(path.parent.glob(f"{path.name}.before-restore.*.bak"))
    if damaged_bytes:  # an empty file holds nothing to keep
        assert kept[0].read_bytes() == damaged_bytes
        assert kept[0].stat().st_mode & 0o077 == 0
    else:
        assert kept == []
    assert sqlite_file_problem(path) is None
    engine = connect(url)
    with session_scope(engine) as session:
        memos = list(session.scalars(select(Coding.memo)))
        assert memos == ["kept through the damage"]
        assert session.scalar(select(func.count()).select_from(Coding)) == 1
    engine.dispose()


def test_a_backup_path_is_a_file_name_never_a_uri(
    damaged: tuple[str, Path, Path], tmp_path: Path
) -> None:
    """`restore '/dir/study#1.db'` must read that file, not `/dir/study`."""
    url, backup, _path = damaged
    assert backup.name == "study#1.db" and backup.exists()
    assert not (backup.parent / "study").exists()
    missing = tmp_path / "backups" / "nothing#here.db"
    assert main(["--db", url, "restore", str(missing), "--force"]) == 2
    assert not missing.exists() and not (missing.parent / "nothing").exists()


def test_an_interrupted_backup_leaves_no_readable_copy(
    study: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The partial file is owner-only from its first byte and removed when the copy fails."""
    import qualcarto.store.backup as backup_module

    seen: list[int] = []

    def failing_copy(url: str, target: Path) -> str | None:
        seen.append(target.stat().st_mode & 0o777)
        raise OSError("disk full")

    monkeypatch.setattr(backup_module, "_sqlite_backup", failing_copy)
    out = tmp_path / "b.db"
    with pytest.raises(OSError):
        backup_store(str(study.url), out)
    assert seen == [0o600]
    assert list(tmp_path.glob("b.db*")) == []

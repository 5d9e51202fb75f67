# SPDX-License-Identifier: MIT
"""Codebooks of any size: thousands of levels walk without recursion, REFI-QDA states its limit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import Engine, func, select, update

from qualcarto.cli import main
from qualcarto.codebook import (
    Codebook,
    CodeDef,
    codebook_frame,
    dump_codebook,
    get_version,
    parse_codebook,
    publish,
    staged,
    version_codebook,
)
from qualcarto.codebook.model import REFI_MAX_LEVELS
from qualcarto.codebook.staged import STALE_DRAFT, publish_in_batches
from qualcarto.codebook.versions import INSERT_BATCH
from qualcarto.codebook.versions import insert_codes as staged_insert
from qualcarto.errors import ConflictError, InputError, NotFoundError, ValidationError
from qualcarto.exchange import study_data
from qualcarto.exchange.refi_export import write_qdc, write_qdpx
from qualcarto.exchange.refi_import import import_refi
from qualcarto.store import (
    AuditEvent,
    CodebookVersion,
    CodeRevision,
    Project,
    connect,
    session_scope,
)
from qualcarto.store.models import utcnow
from qualcarto.study import create_study
from shared_material import refi_schema
from store_snapshot import store_content


def chain(levels: int, prefix: str = "c") -> Codebook:
    return Codebook(
        title=f"{levels} levels",
        codes=tuple(
            CodeDef(id=f"{prefix}{i}", name=f"Level {i}", parent=f"{prefix}{i - 1}" if i else None)
            for i in range(levels)
        ),
    )


def test_a_codebook_deeper_than_the_recursion_limit_is_walked_validated_and_dumped() -> None:
    levels = sys.getrecursionlimit() * 2
    book = parse_codebook(dump_codebook(chain(levels)), "deep.yaml")
    assert book.levels() == levels
    assert book.path(f"c{levels - 1}") == [f"Level {i}" for i in range(levels)]
    assert [depth for _, depth in book.walk()] == list(range(levels))
    frame = codebook_frame(book)
    assert frame["path"].iloc[-1].count(" > ") == levels - 1


def test_a_deep_cycle_is_still_found() -> None:
    codes = list(chain(3000).codes)
    codes[0] = CodeDef(id="c0", name="Level 0", parent="c2999")
    loop = r"parent cycle c0 -> c2999 -> c2998 -> c2997 -> \.\.\. 2,995 more \.\.\. -> c1 -> c0$"
    with pytest.raises(InputError, match=loop):
        parse_codebook(dump_codebook(Codebook(codes=tuple(codes))), "loop.yaml")


def fresh(path: Path) -> Engine:
    engine = connect(f"sqlite:///{path}", create=True)
    with session_scope(engine) as session:
        create_study(session, path.stem)
    return engine


def test_every_lookup_shares_one_index_per_codebook() -> None:
    book = chain(10)
    assert book.by_id() is book.by_id()
    assert book.children("c3") == [book.by_id()["c4"]]
    assert book.has_children("c8") and not book.has_children("c9")


def test_a_tree_at_the_refi_limit_exports_valid_and_imports_back(tmp_path: Path) -> None:
    study = fresh(tmp_path / "study.db")
    with session_scope(study) as session:
        result = publish(session, chain(REFI_MAX_LEVELS, "deep"), "as deep as REFI goes")
        assert result.notes == ()
        write_qdc(session, tmp_path / "deep.qdc")
        write_qdpx(session, study_data(session), tmp_path / "deep.qdpx")
        before = version_codebook(get_version(session))
    schema = refi_schema("Codebook.xsd")
    assert schema.validate(etree.parse(str(tmp_path / "deep.qdc"))), schema.error_log
    study.dispose()
    again = fresh(tmp_path / "again.db")
    for name in ("deep.qdc", "deep.qdpx"):
        with session_scope(again) as session:
            import_refi(session, tmp_path / name)
    with session_scope(again) as session:
        after = version_codebook(get_version(session))
    again.dispose()
    deepest = f"deep{REFI_MAX_LEVELS - 1}"
    assert after.levels() == REFI_MAX_LEVELS
    assert max(after.path(c.id) for c in after.codes) == before.path(deepest)


def test_a_tree_past_the_refi_limit_publishes_with_a_note_and_export_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = fresh(tmp_path / "study.db")
    with session_scope(study) as session:
        result = publish(session, chain(2000, "deep"), "deeper than REFI goes")
    assert len(result.notes) == 1 and "2,000 levels" in result.notes[0]
    assert f"at most {REFI_MAX_LEVELS}" in result.notes[0]
    with session_scope(study) as session, pytest.raises(ValidationError, match="2,000 levels"):
        write_qdc(session, tmp_path / "deep.qdc")
    assert not (tmp_path / "deep.qdc").exists()
    status = main(["--db", str(study.url.database), "export", "qdc", str(tmp_path / "x.qdc")])
    out, err = capsys.readouterr()
    assert status == 2 and not out and err.count("\n") == 1 and "2,000 levels" in err, err
    study.dispose()


def wide(n: int) -> Codebook:
    return Codebook(
        title=f"{n} codes",
        codes=tuple(
            CodeDef(id=f"w{i}", name=f"Code {i}", parent=f"w{i - i % 100}" if i % 100 else None)
            for i in range(n)
        ),
    )


def versions(engine: Engine) -> list[tuple[int, int]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(CodebookVersion.number, func.count(CodeRevision.id))
            .outerjoin(CodeRevision)
            .group_by(CodebookVersion.id)
            .order_by(CodebookVersion.number)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_large_codebook_publishes_in_batches_as_one_version(tmp_path: Path) -> None:
    engine = fresh(tmp_path / "study.db")
    size = INSERT_BATCH * 2 + 17
    result = publish_in_batches(engine, wide(size), "big", source_file="big.yaml")
    assert result.number == 1 and len(result.diff.added) == size
    assert versions(engine) == [(1, size)]
    with session_scope(engine) as session:
        assert version_codebook(get_version(session)) == validate_like(wide(size))
        assert session.scalar(select(func.count()).where(AuditEvent.action == "codebook.publish"))
    again = publish_in_batches(engine, wide(size), "same again")
    assert again.unchanged and versions(engine) == [(1, size)]
    engine.dispose()


def validate_like(book: Codebook) -> Codebook:
    return parse_codebook(dump_codebook(book), "book.yaml")


def test_a_batch_that_fails_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh(tmp_path / "study.db")
    publish_in_batches(engine, chain(3), "small first")
    before = store_content(engine)
    calls: list[int] = []

    def fail_second(*args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        staged_insert(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(staged, "insert_codes", fail_second)
    with pytest.raises(OSError, match="disk full"):
        publish_in_batches(engine, wide(INSERT_BATCH * 3), "too big")
    assert store_content(engine) == before
    engine.dispose()


def test_a_version_published_meanwhile_wins_and_the_draft_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh(tmp_path / "study.db")

    checked = staged.prepare

    def someone_else_publishes(*args: object, **kwargs: object) -> object:
        ready = checked(*args, **kwargs)  # type: ignore[arg-type]
        with session_scope(engine) as session:  # after the check, before the draft lands
            publish(session, chain(2, "other"), "meanwhile")
        return ready

    monkeypatch.setattr(staged, "prepare", someone_else_publishes)
    with pytest.raises(ConflictError, match="published meanwhile"):
        publish_in_batches(engine, wide(INSERT_BATCH + 1), "late")
    assert versions(engine) == [(1, 2)]
    engine.dispose()


def test_a_draft_left_by_a_killed_publish_is_invisible_and_cleaned(tmp_path: Path) -> None:
    engine = fresh(tmp_path / "study.db")
    with session_scope(engine) as session:
        project = session.scalars(select(Project)).one()
        session.add(
            CodebookVersion(project_id=project.id, number=-5, created_at=utcnow() - 2 * STALE_DRAFT)
        )
    with session_scope(engine) as session, pytest.raises(NotFoundError):
        get_version(session)
    publish_in_batches(engine, wide(INSERT_BATCH + 1), "after a crash")
    assert versions(engine) == [(1, INSERT_BATCH + 1)]
    engine.dispose()


def test_a_name_stored_before_the_name_rule_does_not_stop_refi_exports(
    tmp_path: Path,
) -> None:
    engine = fresh(tmp_path / "old.db")
    with session_scope(engine) as session:
        publish(session, chain(2), "clean")
    with session_scope(engine) as session:  # as an older qualcarto let it in
        session.execute(
            update(CodeRevision).where(CodeRevision.code_id == "c1").values(name="bad\x00\x1bname")
        )
    with session_scope(engine) as session:
        write_qdc(session, tmp_path / "old.qdc")
        write_qdpx(session, study_data(session), tmp_path / "old.qdpx")
    engine.dispose()
    assert "bad\ufffd\ufffdname" in (tmp_path / "old.qdc").read_text("utf-8")

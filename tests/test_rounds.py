# SPDX-License-Identifier: MIT
"""Coding rounds: recorded with an audit event, refused with one line, and measured one by
one in the appendix with the same figures as the agreement tables on their transcripts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from qualcarto.agreement import ReportOptions, code_table
from qualcarto.agreement_data import agreement_data
from qualcarto.cli import main
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.rounds import add_round, mark_reconciled, rounds_frame
from qualcarto.store import AuditEvent, CodingRound, connect, session_scope

PILOT = ["I11", "I12", "I15"]  # the demo records this round itself, reconciled
FIRST = ["I8", "I10", "I11"]
SECOND = ["I12", "I15", "I16"]


def test_a_round_is_recorded_with_an_audit_event(demo_db: Path) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    with session_scope(engine) as session:
        found = add_round(session, "lena", " main ", ["ana", "ben", "ana"], FIRST)
        assert (found.number, found.name, found.coders) == (2, "main", ["ana", "ben"])
        assert found.codebook_version == 1
        third = add_round(session, "lena", "late", ["ana", "ben"], SECOND)
        assert third.number == 3
        mark_reconciled(session, "lena", 2)
    with session_scope(engine) as session:
        frame = rounds_frame(session)
        assert frame["round"].tolist() == [1, 2, 3]
        assert frame["transcripts"].tolist() == [", ".join(t) for t in (PILOT, FIRST, SECOND)]
        assert frame["reconciled_at"].notna().tolist() == [True, True, False]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "coding_round")
        ).all()
        demo = ["round.add", "round.reconcile"]
        assert actions == [*demo, "round.add", "round.add", "round.reconcile"]
    engine.dispose()


@pytest.mark.parametrize(
    ("coders", "transcripts", "version", "error", "message"),
    [
        (["ana"], FIRST, None, ValidationError, "at least two different coders"),
        (["ana", "nobody"], FIRST, None, NotFoundError, "no coder called 'nobody'"),
        (["ana", "ben"], ["I8", "I99"], None, NotFoundError, "no transcript called 'I99'"),
        (["ana", "ben"], [], None, ValidationError, "at least one transcript"),
        (["ana", "ben"], FIRST, 7, NotFoundError, "7"),
    ],
)
def test_bad_rounds_are_one_line_and_write_nothing(
    demo_db: Path,
    coders: list[str],
    transcripts: list[str],
    version: int | None,
    error: type[Exception],
    message: str,
) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    with pytest.raises(error, match=message), session_scope(engine) as session:
        add_round(session, "lena", "x", coders, transcripts, version)
    with session_scope(engine) as session:
        assert [r.name for r in session.scalars(select(CodingRound))] == ["pilot"]
    engine.dispose()


def test_marking_twice_or_an_unknown_round_is_refused(demo_db: Path) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    with session_scope(engine) as session:
        add_round(session, "lena", "main", ["ana", "ben"], FIRST)
    with session_scope(engine) as session:
        mark_reconciled(session, "lena", 2)
    for number in (1, 2):
        with pytest.raises(ValidationError, match="already"), session_scope(engine) as session:
            mark_reconciled(session, "lena", number)
    with pytest.raises(NotFoundError, match="no coding round 3"), session_scope(engine) as s:
        mark_reconciled(s, "lena", 3)
    engine.dispose()


def test_the_appendix_measures_each_recorded_round(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{demo_db}"]
    first = [a for t in FIRST for a in ("--transcript", t)]
    second = [a for t in SECOND for a in ("--transcript", t)]
    assert main([*db, "round", "add", "main", "--coder", "ana", "--coder", "ben", *first,
                 "--as", "lena"]) == 0  # fmt: skip
    assert main([*db, "round", "reconciled", "2", "--as", "lena"]) == 0
    assert main([*db, "round", "add", "late", "--coder", "ana", "--coder", "ben", *second]) == 0
    assert main([*db, "round", "list"]) == 0
    listed = capsys.readouterr().out
    assert "1\tpilot\tv1\tana, ben\tI11, I12, I15\treconciled" in listed
    assert "2\tmain\tv1\tana, ben\tI8, I10, I11\treconciled" in listed
    assert "3\tlate\tv1\tana, ben\tI12, I15, I16\topen" in listed
    assert main([*db, "report", "--out", str(tmp_path), "--no-pdf", "--bootstrap", "20",
                 "--orders", "20", "--layer", "linaker2025"]) == 0  # fmt: skip
    trend = pd.read_csv(tmp_path / "tables" / "agreement-rounds.csv")
    assert trend["round"].tolist() == ["round 1 (pilot)", "round 2 (main)", "round 3 (late)"]
    assert trend["reconciled"].tolist() == ["yes", "yes", "no"]
    engine = connect(f"sqlite:///{demo_db}")
    with session_scope(engine) as session:
        rounds = (PILOT, FIRST, SECOND)
        for row, names in zip(trend.itertuples(index=False), rounds, strict=True):
            data = agreement_data(session, ["ana", "ben"], transcripts=names)
            kappa = code_table(data, ReportOptions("char")).iloc[-1]["cohen_kappa"]
            assert row[4] == pytest.approx(kappa)  # "char: cohen_kappa"
            assert row[2] == len(names)
    engine.dispose()
    page = (tmp_path / "appendix.html").read_text(encoding="utf-8")
    assert "Agreement across rounds" in page and "Agreement: round 3 (late)" in page

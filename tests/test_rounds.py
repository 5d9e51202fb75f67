# SPDX-License-Identifier: MIT
"""Coding rounds: recorded with an audit event, refused with one line, and measured one by
one in the appendix with the same figures as the agreement tables on their transcripts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from qualcarto.agreement import ReportOptions, code_table
from qualcarto.agreement_data import agreement_data
from qualcarto.cli import main
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.rounds import add_round, mark_reconciled, rounds_frame
from qualcarto.store import AuditEvent, CodingRound, connect, session_scope

FIRST = ["I8", "I10", "I11"]
SECOND = ["I12", "I15", "I16"]


def demo_rounds(engine: Engine) -> tuple[pd.DataFrame, list[str]]:
    """The rounds ``qualcarto demo`` recorded itself (reconciliation.yaml, rounds.yaml) and
    their audit actions: what every test here adds its own rounds after."""
    with session_scope(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "coding_round")
        ).all()
        return rounds_frame(session), list(actions)


def test_a_round_is_recorded_with_an_audit_event(demo_db: Path) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    demo, demo_actions = demo_rounds(engine)
    n = len(demo)
    with session_scope(engine) as session:
        found = add_round(session, "lena", " main ", ["ana", "ben", "ana"], FIRST)
        assert (found.number, found.name, found.coders) == (n + 1, "main", ["ana", "ben"])
        assert found.codebook_version == 1
        third = add_round(session, "lena", "late", ["ana", "ben"], SECOND)
        assert third.number == n + 2
        mark_reconciled(session, "lena", n + 1)
    with session_scope(engine) as session:
        frame = rounds_frame(session)
        assert frame["round"].tolist() == list(range(1, n + 3))
        added = [", ".join(t) for t in (FIRST, SECOND)]
        assert frame["transcripts"].tolist() == [*demo["transcripts"], *added]
        demo_done = demo["reconciled_at"].notna().tolist()
        assert frame["reconciled_at"].notna().tolist() == [*demo_done, True, False]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "coding_round")
        ).all()
        assert actions == [*demo_actions, "round.add", "round.add", "round.reconcile"]
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
    demo, _ = demo_rounds(engine)
    with pytest.raises(error, match=message), session_scope(engine) as session:
        add_round(session, "lena", "x", coders, transcripts, version)
    with session_scope(engine) as session:
        assert [r.name for r in session.scalars(select(CodingRound))] == demo["name"].tolist()
    engine.dispose()


def test_marking_twice_or_an_unknown_round_is_refused(demo_db: Path) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    demo, _ = demo_rounds(engine)
    settled = demo.loc[demo["reconciled_at"].notna(), "round"].tolist()
    with session_scope(engine) as session:
        main_round = add_round(session, "lena", "main", ["ana", "ben"], FIRST).number
    with session_scope(engine) as session:
        mark_reconciled(session, "lena", main_round)
    for number in (*settled, main_round):
        with pytest.raises(ValidationError, match="already"), session_scope(engine) as session:
            mark_reconciled(session, "lena", number)
    unknown = main_round + 1
    with (
        pytest.raises(NotFoundError, match=f"no coding round {unknown}"),
        session_scope(engine) as s,
    ):
        mark_reconciled(s, "lena", unknown)
    engine.dispose()


def test_the_appendix_measures_each_recorded_round(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{demo_db}"]
    engine = connect(f"sqlite:///{demo_db}")
    demo, _ = demo_rounds(engine)
    main_round, late_round = len(demo) + 1, len(demo) + 2
    first = [a for t in FIRST for a in ("--transcript", t)]
    second = [a for t in SECOND for a in ("--transcript", t)]
    assert main([*db, "round", "add", "main", "--coder", "ana", "--coder", "ben", *first,
                 "--as", "lena"]) == 0  # fmt: skip
    assert main([*db, "round", "reconciled", str(main_round), "--as", "lena"]) == 0
    assert main([*db, "round", "add", "late", "--coder", "ana", "--coder", "ben", *second]) == 0
    assert main([*db, "round", "list"]) == 0
    listed = capsys.readouterr().out
    for r in demo.itertuples():
        state = "open" if pd.isna(r.reconciled_at) else "reconciled"
        assert (
            f"{r.round}\t{r.name}\tv{r.codebook_version}\t{r.coders}\t{r.transcripts}\t{state}"
            in listed
        )
    assert f"{main_round}\tmain\tv1\tana, ben\tI8, I10, I11\treconciled" in listed
    assert f"{late_round}\tlate\tv1\tana, ben\tI12, I15, I16\topen" in listed
    assert main([*db, "report", "--out", str(tmp_path), "--no-pdf", "--bootstrap", "20",
                 "--orders", "20", "--layer", "linaker2025"]) == 0  # fmt: skip
    trend = pd.read_csv(tmp_path / "tables" / "agreement-rounds.csv")
    labels = [f"round {r.round} ({r.name})" for r in demo.itertuples()]
    assert trend["round"].tolist() == [
        *labels,
        f"round {main_round} (main)",
        f"round {late_round} (late)",
    ]
    demo_state = ["no" if pd.isna(t) else "yes" for t in demo["reconciled_at"]]
    assert trend["reconciled"].tolist() == [*demo_state, "yes", "no"]
    with session_scope(engine) as session:
        rounds = [*(t.split(", ") for t in demo["transcripts"]), FIRST, SECOND]
        for row, names in zip(trend.itertuples(index=False), rounds, strict=True):
            data = agreement_data(session, ["ana", "ben"], transcripts=names)
            kappa = code_table(data, ReportOptions("char")).iloc[-1]["cohen_kappa"]
            assert row[4] == pytest.approx(kappa)  # "char: cohen_kappa"
            assert row[2] == len(names)
    engine.dispose()
    page = (tmp_path / "appendix.html").read_text(encoding="utf-8")
    assert "Agreement across rounds" in page and f"Agreement: round {late_round} (late)" in page

# SPDX-License-Identifier: MIT
"""Security rules of the core: throttled sign-in, roles checked server-side, quiet logs.

The pages hide what a person may not do; these tests call the core directly, as a
crafted request would, and expect a refusal every time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from conftest import ODD_TRANSCRIPT, TINY_CODEBOOK
from qualcarto.assignments import assign
from qualcarto.auth import (
    FREE_FAILURES_PER_CLIENT,
    FREE_FAILURES_PER_NAME,
    MAX_DELAY,
    WINDOW,
    SignInThrottled,
    retry_delay,
    sign_in,
)
from qualcarto.cli import main
from qualcarto.codebook import load_codebook, publish
from qualcarto.coding import add_coding, codings_frame, delete_coding, edit_coding
from qualcarto.errors import ValidationError
from qualcarto.reconcile import decide
from qualcarto.review import review_coding
from qualcarto.store import connect, session_scope
from qualcarto.store.models import utcnow
from qualcarto.store.workflow import SignInFailure
from qualcarto.study_settings import set_blind, set_setting
from qualcarto.users import add_user

LEAD_PASSWORD = "lena-secret-password"


@pytest.fixture
def team(study: Engine) -> Iterator[Session]:
    """The study with a lead, lena, and one coding each by ana and ben on P1."""
    with session_scope(study) as session:
        add_user(session, "lena", "lead", LEAD_PASSWORD)
        add_coding(session, "P1", 0, 11, "access", "ana")
        add_coding(session, "P1", 14, 21, "docs", "ben")
    with session_scope(study) as session:
        yield session


def _fail(engine: Engine, name: str, times: int, client: str | None = None, **kw: object) -> None:
    """``times`` failed sign-ins, each after the delay the previous one asked for."""
    now = utcnow()
    for _ in range(times):
        with session_scope(engine) as session:
            failures = session.scalar(select(func.count()).select_from(SignInFailure)) or 0
        now += retry_delay(failures, 0) + timedelta(seconds=1)
        assert sign_in(engine, name, "not-the-password", client=client, now=now) is None


@pytest.mark.parametrize(
    ("failures", "free", "delay"),
    [(0, 3, 0), (2, 3, 0), (3, 3, 2), (4, 3, 4), (7, 3, 32), (60, 3, MAX_DELAY.total_seconds())],
)
def test_the_delay_doubles_after_the_free_failures_and_is_capped(
    failures: int, free: int, delay: float
) -> None:
    assert retry_delay(failures, free).total_seconds() == delay


def test_a_name_must_wait_after_repeated_failures_even_with_the_right_password(
    team: Session, study: Engine
) -> None:
    team.commit()
    now = utcnow()
    for i in range(FREE_FAILURES_PER_NAME):
        assert sign_in(study, "ana", "wrong", now=now + timedelta(seconds=i)) is None
    last = now + timedelta(seconds=FREE_FAILURES_PER_NAME - 1)
    with pytest.raises(SignInThrottled, match=r"for 'ana'; try again in 1 second$"):
        sign_in(study, "ana", "ana-password", now=last + timedelta(seconds=1))
    assert sign_in(study, "ben", "ben-password", now=last) is not None  # others are not slowed
    assert sign_in(study, "ana", "ana-password", now=last + timedelta(seconds=3)) is not None


def test_success_clears_the_count_and_old_failures_are_forgotten(
    team: Session, study: Engine
) -> None:
    team.commit()
    _fail(study, "ana", FREE_FAILURES_PER_NAME + 2)
    later = utcnow() + WINDOW + timedelta(minutes=5)
    assert sign_in(study, "ana", "ana-password", now=later) is not None
    with session_scope(study) as session:
        assert session.scalar(select(func.count()).select_from(SignInFailure)) == 0


def test_made_up_names_from_one_client_slow_that_client_not_the_lead(
    team: Session, study: Engine
) -> None:
    """50 guesses with invented names cannot lock the team out (the old global lock did)."""
    team.commit()
    now = utcnow()
    for i in range(50):
        with contextlib.suppress(SignInThrottled):
            sign_in(study, f"guess{i}", "x", client="203.0.113.9", now=now)
        now += timedelta(seconds=1)
    with pytest.raises(SignInThrottled, match="from your address"):
        sign_in(study, "ana", "ana-password", client="203.0.113.9", now=now)
    assert sign_in(study, "lena", LEAD_PASSWORD, client="198.51.100.7", now=now) is not None
    assert sign_in(study, "lena", LEAD_PASSWORD, now=now) is not None


def test_a_client_has_more_free_failures_than_a_name(team: Session, study: Engine) -> None:
    team.commit()
    now = utcnow()
    for i in range(FREE_FAILURES_PER_CLIENT - 1):
        assert sign_in(study, f"typo{i}", "x", client="192.0.2.1", now=now) is None
    assert sign_in(study, "ana", "ana-password", client="192.0.2.1", now=now) is not None


def test_the_lead_unlocks_a_name_from_the_server(
    team: Session, study: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    team.commit()
    now = utcnow()
    for _ in range(FREE_FAILURES_PER_NAME + 5):
        with contextlib.suppress(SignInThrottled):
            sign_in(study, "lena", "guess", now=now)
    with pytest.raises(SignInThrottled):
        sign_in(study, "lena", LEAD_PASSWORD, now=now)
    assert main(["--db", str(study.url), "user", "unlock", "lena"]) == 0
    assert "cleared" in capsys.readouterr().out
    assert sign_in(study, "lena", LEAD_PASSWORD, now=now) is not None


def test_the_count_lives_in_the_store_so_a_restart_does_not_reset_it(
    study: Engine, db_url: str
) -> None:
    now = utcnow()
    for _ in range(FREE_FAILURES_PER_NAME):
        sign_in(study, "ana", "wrong", now=now)
    study.dispose()
    restarted = connect(db_url)  # a new server process would open the store afresh
    with pytest.raises(SignInThrottled):
        sign_in(restarted, "ana", "ana-password", now=now)
    restarted.dispose()


def test_a_coder_cannot_change_or_delete_another_coders_coding(team: Session) -> None:
    bens = int(codings_frame(team, ["ben"])["coding_id"].iloc[0])
    with pytest.raises(ValidationError, match="belongs to 'ben', not 'ana'"):
        edit_coding(team, bens, "ana", memo="mine now")
    with pytest.raises(ValidationError, match="belongs to 'ben'"):
        delete_coding(team, bens, "ana")


def test_in_a_blind_study_a_coder_sees_only_their_own_codings(team: Session) -> None:
    assert set(codings_frame(team, viewer="ana")["coder"]) == {"ana"}
    assert set(codings_frame(team, ["ben"], viewer="ana")["coder"]) == set()
    assert set(codings_frame(team, viewer="lena")["coder"]) == {"ana", "ben"}
    set_blind(team, False, "lena")
    assert set(codings_frame(team, viewer="ana")["coder"]) == {"ana", "ben"}


def test_only_a_lead_publishes_assigns_reconciles_and_changes_settings(
    team: Session, tmp_path: Path
) -> None:
    book_file = tmp_path / "codebook.yaml"
    book_file.write_text(TINY_CODEBOOK.replace("Funding", "Money"), encoding="utf-8")
    book = load_codebook(book_file)
    with pytest.raises(ValidationError, match="only a lead publishes a codebook"):
        publish(team, book, "coder edit", author="ana")
    with pytest.raises(ValidationError, match="only a lead"):
        assign(team, "P1", "ben", "ana")
    with pytest.raises(ValidationError, match="only a lead"):
        set_blind(team, False, "ana")
    with pytest.raises(ValidationError, match="only a lead"):
        set_setting(team, "blind", False, "ben")
    anas = int(codings_frame(team, ["ana"])["coding_id"].iloc[0])
    with pytest.raises(ValidationError, match="only a lead reconciles"):
        decide(team, "P1", anas, None, "take_a", "ben")
    assert publish(team, book, "lead edit", author="lena").number == 2


def test_a_coder_who_is_not_assigned_cannot_review(team: Session) -> None:
    bens = int(codings_frame(team, ["ben"])["coding_id"].iloc[0])
    with pytest.raises(ValidationError, match="not assigned to review"):
        review_coding(team, bens, "ana", "accept")
    assign(team, "P1", "ana", "lena", task="review")
    assert review_coding(team, bens, "ana", "accept").decision == "accept"


SECRET_LINE = "P8: the quartermaster hid the zebra ledger under floorboard nine."


def _debug_everything(caplog: pytest.LogCaptureFixture, *, sql: bool) -> None:
    # set_level also sets the capture handler's level, so DEBUG on the root comes last.
    caplog.set_level(logging.DEBUG if sql else logging.WARNING, logger="sqlalchemy")
    for name in ("qualcarto", "streamlit", "alembic", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.DEBUG)


def _sign_in_import_and_code(db_url: str, tmp_path: Path) -> None:
    transcript = tmp_path / "P8.txt"
    transcript.write_text(SECRET_LINE, encoding="utf-8")
    engine = connect(db_url)
    with session_scope(engine) as session:
        add_user(session, "lena", "lead", LEAD_PASSWORD)
    assert sign_in(engine, "lena", LEAD_PASSWORD) is not None
    assert sign_in(engine, "lena", LEAD_PASSWORD + "-typo") is None
    engine.dispose()
    assert main(["--db", db_url, "import", str(transcript)]) == 0
    start = SECRET_LINE.index("the quartermaster")
    argv = ["--db", db_url, "coding", "add", "P8", str(start), str(len(SECRET_LINE))]
    assert main([*argv, "access", "--coder", "ana", "--memo", "zebra memo words"]) == 0


def _leaks(caplog: pytest.LogCaptureFixture) -> list[str]:
    secrets = (LEAD_PASSWORD, "quartermaster", "zebra ledger", "zebra memo", ODD_TRANSCRIPT[:20])
    logged = [r.getMessage() for r in caplog.records]
    assert logged, "nothing was logged at all: the capture is not working"
    return [line for line in logged for secret in secrets if secret in line]


def test_no_password_or_transcript_text_reaches_the_logs_at_debug(
    study: Engine, db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _debug_everything(caplog, sql=False)
    logging.getLogger("qualcarto").debug("capture check")
    _sign_in_import_and_code(db_url, tmp_path)
    assert _leaks(caplog) == []


def test_sql_logging_at_debug_shows_no_transcript_text_either(
    study: Engine, db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _debug_everything(caplog, sql=True)
    _sign_in_import_and_code(db_url, tmp_path)
    assert _leaks(caplog) == []


def test_the_apps_engine_keeps_sql_parameters_out_of_the_logs(
    study: Engine, db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    from app_pages.common import engine_for

    engine = engine_for.__wrapped__(db_url)  # type: ignore[attr-defined]
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with session_scope(engine) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", memo="zebra memo words")
    engine.dispose()
    messages = [r.getMessage() for r in caplog.records]
    assert any("INSERT INTO codings" in m for m in messages)
    assert not any("zebra memo" in m for m in messages)

# SPDX-License-Identifier: MIT
"""Starting a study: one per store, the same step for ``qualcarto init``, the demo and tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.errors import ConflictError, ValidationError
from qualcarto.store import AuditEvent, Project, connect, current_project, session_scope
from qualcarto.study import create_study, describe_study


def test_a_new_store_gets_one_study_and_refuses_a_second(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'new.db'}", create=True)
    with session_scope(engine) as session:
        made = create_study(session, "Onboarding – Zoë's interviews", "pilot")
        assert made.id is not None  # flushed: later steps in the transaction can use it
    with session_scope(engine) as session:
        study = current_project(session)
        assert (study.name, study.description) == ("Onboarding – Zoë's interviews", "pilot")
        assert list(session.scalars(select(AuditEvent))) == []
    with (
        pytest.raises(ConflictError, match=r"^new\.db: already holds a study \('Onboarding"),
        session_scope(engine) as session,
    ):
        create_study(session, "another", store="new.db")
    with session_scope(engine) as session:
        assert list(session.scalars(select(Project.name))) == ["Onboarding – Zoë's interviews"]
    engine.dispose()


def test_a_study_needs_a_name(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="needs a name"), session_scope(engine) as session:
        create_study(session, "  ")


def test_init_twice_says_which_store_already_holds_a_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'study.db'}"
    assert main(["--db", url, "init", "--name", "Onboarding"]) == 0
    assert main(["--db", url, "init", "--name", "Other"]) == 2
    assert f"error: {url}: already holds a study ('Onboarding')" in capsys.readouterr().err


def test_describing_the_study_is_audited_and_cuts_an_overlong_name(engine: Engine) -> None:
    with session_scope(engine) as session:
        describe_study(session, "Ö" * 250, "from NVivo", actor="lena")
        describe_study(session, description="from NVivo", actor="lena")  # no change, no entry
    with session_scope(engine) as session:
        study = current_project(session)
        assert (study.name, study.description) == ("Ö" * 200, "from NVivo")
        events = list(session.scalars(select(AuditEvent)))
        assert [(e.actor, e.action) for e in events] == [("lena", "study.describe")]
        assert events[0].payload["before"] == {"name": "test study", "description": ""}

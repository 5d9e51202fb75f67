# SPDX-License-Identifier: MIT
"""Sign-in: passwords checked with argon2id, server-side tokens that expire and can be revoked."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from qualcarto.auth import resume, sign_in, sign_out
from qualcarto.store import AuditEvent, AuthSession, read_scope, session_scope
from qualcarto.store.models import utcnow


def test_the_right_password_signs_in_and_the_token_resumes_the_session(study: Engine) -> None:
    user = sign_in(study, "ana", "ana-password")
    assert user is not None and (user.name, user.role, user.is_lead) == ("ana", "coder", False)
    with read_scope(study) as session:
        assert resume(session, user.token) == user


def test_a_wrong_password_or_unknown_name_gets_the_same_refusal(study: Engine) -> None:
    assert sign_in(study, "ana", "wrong-password") is None
    assert sign_in(study, "nobody", "ana-password") is None
    with read_scope(study) as session:
        failed = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.failed"))
        assert [e.actor for e in failed] == ["ana", "nobody"]


def test_the_store_keeps_only_a_hash_of_the_token(study: Engine) -> None:
    user = sign_in(study, "ana", "ana-password")
    assert user is not None
    with read_scope(study) as session:
        stored = session.scalars(select(AuthSession.token_hash)).all()
        assert len(stored) == 1 and user.token not in stored[0]
        assert resume(session, stored[0]) is None  # the hash itself is not a key


def test_an_expired_token_no_longer_signs_in(study: Engine) -> None:
    user = sign_in(study, "ana", "ana-password", ttl=timedelta(minutes=5))
    assert user is not None
    with read_scope(study) as session:
        assert resume(session, user.token, now=utcnow() + timedelta(minutes=4)) is not None
        assert resume(session, user.token, now=utcnow() + timedelta(minutes=6)) is None


def test_sign_out_revokes_the_token_and_is_audited(study: Engine) -> None:
    user = sign_in(study, "ben", "ben-password")
    assert user is not None
    with session_scope(study) as session:
        sign_out(session, user.token)
    with read_scope(study) as session:
        assert resume(session, user.token) is None
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "ben"))
        assert list(actions)[-2:] == ["auth.sign_in", "auth.sign_out"]


def test_checking_a_password_does_not_hold_the_store(
    study: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a sign-in runs the slow hash, another connection can take the write lock at once.

    The real check runs; around it, a second plain SQLite connection tries ``BEGIN
    IMMEDIATE`` without waiting, which fails if sign-in held any write transaction then.
    """
    import qualcarto.auth as auth

    path = str(study.url.database)
    lock_free: list[bool] = []
    real_check = auth.password_matches

    def check_while_probing(password_hash: str | None, password: str) -> bool:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            lock_free.append(True)
        except sqlite3.OperationalError:
            lock_free.append(False)
        finally:
            probe.close()
        return real_check(password_hash, password)

    monkeypatch.setattr(auth, "password_matches", check_while_probing)
    assert sign_in(study, "ana", "ana-password") is not None
    assert sign_in(study, "ana", "wrong") is None
    assert lock_free == [True, True]

# SPDX-License-Identifier: MIT
"""Sign-in: passwords checked with argon2id, server-side tokens that expire and can be revoked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.auth import resume, sign_in, sign_out
from qualcarto.store import AuditEvent, AuthSession
from qualcarto.store.models import utcnow


def test_the_right_password_signs_in_and_the_token_resumes_the_session(session: Session) -> None:
    user = sign_in(session, "ana", "ana-password")
    assert user is not None and (user.name, user.role, user.is_lead) == ("ana", "coder", False)
    assert resume(session, user.token) == user


def test_a_wrong_password_or_unknown_name_gets_the_same_refusal(session: Session) -> None:
    assert sign_in(session, "ana", "wrong-password") is None
    assert sign_in(session, "nobody", "ana-password") is None
    failed = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.failed")).all()
    assert [e.actor for e in failed] == ["ana", "nobody"]


def test_the_store_keeps_only_a_hash_of_the_token(session: Session) -> None:
    user = sign_in(session, "ana", "ana-password")
    assert user is not None
    stored = session.scalars(select(AuthSession.token_hash)).all()
    assert len(stored) == 1 and user.token not in stored[0]
    assert resume(session, stored[0]) is None  # the hash itself is not a key


def test_an_expired_token_no_longer_signs_in(session: Session) -> None:
    user = sign_in(session, "ana", "ana-password", ttl=timedelta(minutes=5))
    assert user is not None
    assert resume(session, user.token, now=utcnow() + timedelta(minutes=4)) is not None
    assert resume(session, user.token, now=utcnow() + timedelta(minutes=6)) is None


def test_sign_out_revokes_the_token_and_is_audited(session: Session) -> None:
    user = sign_in(session, "ben", "ben-password")
    assert user is not None
    sign_out(session, user.token)
    assert resume(session, user.token) is None
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "ben")).all()
    assert actions[-2:] == ["auth.sign_in", "auth.sign_out"]

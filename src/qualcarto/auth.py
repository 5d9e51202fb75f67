# SPDX-License-Identifier: MIT
"""Sign-in for the app: check a password, hand out a server-side session token, expire it.

The browser holds only a random token; the store keeps its SHA-256, so a copy of the
database cannot be replayed as a signed-in session. Tokens expire after ``SESSION_TTL``
and sign-out deletes them. Passwords are checked by ``qualcarto.users.authenticate``
(argon2id). Guessing is throttled: after ``MAX_FAILURES_PER_NAME`` failures for one name,
or ``MAX_FAILURES_OVERALL`` for all names, within ``LOCKOUT``, sign-in is refused without
looking at the password until the window has passed. Failures live in the store, so a
restart of the server does not reset the count. See docs/security.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qualcarto.errors import QualcartoError
from qualcarto.store import AuthSession, User, record
from qualcarto.store.models import utcnow
from qualcarto.store.workflow import SignInFailure
from qualcarto.users import authenticate

SESSION_TTL = timedelta(hours=8)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_OVERALL = 50
LOCKOUT = timedelta(minutes=15)


class SignInThrottled(QualcartoError):
    """Too many failed sign-ins: try again once the lockout window has passed."""


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as plain values a page can keep in its session state."""

    name: str
    role: str
    token: str

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def sign_in(
    session: Session,
    name: str,
    password: str,
    *,
    ttl: timedelta = SESSION_TTL,
    now: datetime | None = None,
) -> SignedIn | None:
    """A new session for ``name`` if the password is theirs and they are a person, else None.

    Raises ``SignInThrottled`` while ``name`` (or the whole server) has too many recent
    failures; the password is then not even checked.
    """
    name = name.strip()[:100]
    now = now or utcnow()
    session.execute(delete(SignInFailure).where(SignInFailure.at < now - LOCKOUT))
    _refuse_if_throttled(session, name, now)
    user = authenticate(session, name, password)
    if user is None or user.kind != "human":
        session.add(SignInFailure(name=name or "?", at=now))
        record(session, name or "?", "auth.failed", "user", "")
        return None
    token = secrets.token_urlsafe(32)
    session.execute(delete(AuthSession).where(AuthSession.expires_at < now))
    session.execute(delete(SignInFailure).where(SignInFailure.name == name))
    session.add(AuthSession(token_hash=_hash(token), user_id=user.id, expires_at=now + ttl))
    record(session, user.name, "auth.sign_in", "user", user.id)
    return SignedIn(user.name, user.role, token)


def _refuse_if_throttled(session: Session, name: str, now: datetime) -> None:
    for limit, where, whom in (
        (MAX_FAILURES_PER_NAME, SignInFailure.name == name, f"for '{name}'"),
        (MAX_FAILURES_OVERALL, SignInFailure.at.is_not(None), "on this server"),
    ):
        recent = select(SignInFailure.at).where(where, SignInFailure.at >= now - LOCKOUT)
        if (session.scalar(select(func.count()).select_from(recent.subquery())) or 0) < limit:
            continue
        # The lock lifts when the limit-th newest failure leaves the window.
        oldest = session.scalars(recent.order_by(SignInFailure.at.desc()).limit(limit)).all()[-1]
        if oldest.tzinfo is None:  # SQLite hands back naive datetimes
            oldest = oldest.replace(tzinfo=UTC)
        minutes = max(1, -(-int((oldest + LOCKOUT - now).total_seconds()) // 60))
        raise SignInThrottled(f"too many failed sign-ins {whom}; try again in {minutes} minute(s)")


def resume(session: Session, token: str, *, now: datetime | None = None) -> SignedIn | None:
    """The person a token belongs to, while it is unexpired; None otherwise."""
    if not token:
        return None
    found = session.scalars(
        select(AuthSession).where(AuthSession.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    expires = found.expires_at
    if expires.tzinfo is None:  # SQLite hands back naive datetimes
        expires = expires.replace(tzinfo=UTC)
    if expires <= (now or utcnow()):
        return None
    user: User = found.user
    return SignedIn(user.name, user.role, token)


def sign_out(session: Session, token: str) -> None:
    """Forget a session token, so a copied link stops working."""
    found = session.scalars(
        select(AuthSession).where(AuthSession.token_hash == _hash(token))
    ).first()
    if found is not None:
        record(session, found.user.name, "auth.sign_out", "user", found.user_id)
        session.delete(found)

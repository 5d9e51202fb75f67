# SPDX-License-Identifier: MIT
"""Sign-in for the app: check a password, hand out a server-side session token, expire it.

The browser holds only a random token; the store keeps its SHA-256, so a copy of the
database cannot be replayed as a signed-in session. Tokens expire after ``SESSION_TTL``
and sign-out deletes them. Passwords are checked by ``qualcarto.users.authenticate``
(argon2id).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcarto.store import AuthSession, User, record
from qualcarto.store.models import utcnow
from qualcarto.users import authenticate

SESSION_TTL = timedelta(hours=12)


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
    session: Session, name: str, password: str, *, ttl: timedelta = SESSION_TTL
) -> SignedIn | None:
    """A new session for ``name`` if the password is theirs and they are a person, else None."""
    user = authenticate(session, name.strip(), password)
    if user is None or user.kind != "human":
        record(session, name.strip()[:100] or "?", "auth.failed", "user", "")
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(delete(AuthSession).where(AuthSession.expires_at < now))
    session.add(AuthSession(token_hash=_hash(token), user_id=user.id, expires_at=now + ttl))
    record(session, user.name, "auth.sign_in", "user", user.id)
    return SignedIn(user.name, user.role, token)


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

# SPDX-License-Identifier: MIT
"""Sign-in for the app: check a password, hand out a server-side session token, expire it.

The browser holds only a random token; the store keeps its SHA-256, so a copy of the
database cannot be replayed as a signed-in session. Tokens expire after ``SESSION_TTL``
and sign-out deletes them. Passwords are argon2id (``qualcarto.users``).

Guessing is slowed, never turned into a lock an outsider can put on the team: each
failure is kept with the name tried and the client it came from; after
``FREE_FAILURES_PER_NAME`` failures for a name (``FREE_FAILURES_PER_CLIENT`` from one
client) within ``WINDOW``, the next try must wait a delay that doubles with every further
failure (``retry_delay``), capped at ``MAX_DELAY``. Made-up names from one client slow
that client only; a coder elsewhere signs in as usual. The password hash is checked
outside any transaction, so failed guesses never hold the store's write lock, and the
lead can clear a name's failures from the server (``qualcarto user unlock``).
Failures live in the store, so a restart does not reset them. See docs/security.md.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from qualcarto.errors import QualcartoError
from qualcarto.store import AuthSession, User, read_scope, record
from qualcarto.store.engine import with_retry
from qualcarto.store.models import utcnow
from qualcarto.store.workflow import SignInFailure
from qualcarto.users import get_user, password_matches

SESSION_TTL = timedelta(hours=8)
WINDOW = timedelta(minutes=15)
FREE_FAILURES_PER_NAME = 3
FREE_FAILURES_PER_CLIENT = 10
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)


class SignInThrottled(QualcartoError):
    """Too many failed sign-ins: try again once the delay has passed."""


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


def retry_delay(failures: int, free: int) -> timedelta:
    """How long after the latest failure the next try must wait.

    Nothing for the first ``free`` failures, then ``FIRST_DELAY`` doubling with each
    further one (2 s, 4 s, 8 s, ...), never more than ``MAX_DELAY``.
    """
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - free, 20))


def sign_in(
    engine: Engine,
    name: str,
    password: str,
    *,
    client: str | None = None,
    ttl: timedelta = SESSION_TTL,
    now: datetime | None = None,
) -> SignedIn | None:
    """A new session for ``name`` if the password is theirs and they are a person, else None.

    ``client`` names where the attempt came from (an IP address). Raises
    ``SignInThrottled`` while the name or the client must still wait; the password is
    then not even checked. Three short steps: a read (throttling, the user's hash), the
    slow hash check with no transaction open, and one small write.
    """
    name = name.strip()[:100]
    client = (client or "").strip()[:100] or None
    now = now or utcnow()
    with read_scope(engine) as session:
        _refuse_if_throttled(session, name, client, now)
        user = session.execute(
            select(User.id, User.name, User.role, User.kind, User.password_hash).where(
                User.name == name
            )
        ).first()
    human = user is not None and user.kind == "human"
    matches = password_matches(user.password_hash if human and user else None, password)

    def record_outcome(session: Session) -> SignedIn | None:
        session.execute(delete(SignInFailure).where(SignInFailure.at < now - WINDOW))
        if not matches or user is None:
            session.add(SignInFailure(name=name or "?", client=client, at=now))
            record(session, name or "?", "auth.failed", "user", "", client=client)
            return None
        token = secrets.token_urlsafe(32)
        session.execute(delete(AuthSession).where(AuthSession.expires_at < now))
        session.execute(delete(SignInFailure).where(SignInFailure.name == name))
        session.add(AuthSession(token_hash=_hash(token), user_id=user.id, expires_at=now + ttl))
        record(session, user.name, "auth.sign_in", "user", user.id)
        return SignedIn(user.name, user.role, token)

    return with_retry(engine, record_outcome)


def unlock(session: Session, name: str, *, actor: str = "system") -> int:
    """Forget the failed sign-ins for ``name``, so they can sign in at once; how many there were."""
    user = get_user(session, name)
    gone = session.execute(delete(SignInFailure).where(SignInFailure.name == user.name))
    count = int(getattr(gone, "rowcount", 0) or 0)
    record(session, actor, "auth.unlock", "user", user.id, name=user.name, failures=count)
    return count


def _refuse_if_throttled(session: Session, name: str, client: str | None, now: datetime) -> None:
    checks: list[tuple[Any, str, int, str]] = [
        (SignInFailure.name, name, FREE_FAILURES_PER_NAME, f"for '{name}'")
    ]
    if client is not None:
        checks.append((SignInFailure.client, client, FREE_FAILURES_PER_CLIENT, "from your address"))
    for column, key, free, whom in checks:
        failures, latest = session.execute(
            select(func.count(), func.max(SignInFailure.at)).where(
                column == key, SignInFailure.at >= now - WINDOW
            )
        ).one()
        if not failures:
            continue
        if latest.tzinfo is None:  # SQLite hands back naive datetimes
            latest = latest.replace(tzinfo=UTC)
        wait = latest + retry_delay(failures, free) - now
        if wait > timedelta(0):
            raise SignInThrottled(f"too many failed sign-ins {whom}; try again in {_say(wait)}")


def _say(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{-(-seconds // 60)} minutes"


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

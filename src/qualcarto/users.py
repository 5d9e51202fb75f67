# SPDX-License-Identifier: MIT
"""Coder identities and their passwords (argon2id, a memory-hard KDF)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import User, record

ROLES = ("coder", "lead")
KINDS = ("human", "machine", "reference")
MIN_PASSWORD_LENGTH = 8

# argon2-cffi's defaults follow RFC 9106's second recommended option (t=3, 64 MiB, p=4).
_hasher = PasswordHasher()


def add_user(
    session: Session,
    name: str,
    role: str = "coder",
    password: str | None = None,
    *,
    kind: str = "human",
    description: str = "",
    actor: str = "system",
    imported: bool = False,
) -> User:
    """Create a user. People need a password; machine and reference layers must not have one.

    ``imported``: a coder brought in with another tool's codings, who has no password
    until a lead sets one (``set_password``).
    """
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise ValidationError(f"user name '{name}': 1-100 characters, no spaces")
    if role not in ROLES:
        raise ValidationError(f"role '{role}' is not one of {ROLES}")
    if kind not in KINDS:
        raise ValidationError(f"kind '{kind}' is not one of {KINDS}")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise ValidationError(f"user '{name}' already exists")
    needs_password = kind == "human" and not (imported and password is None)
    password_hash = _hash_password(password) if needs_password else None
    user = User(
        name=name, role=role, kind=kind, description=description, password_hash=password_hash
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.add", "user", user.id, name=name, role=role, kind=kind)
    return user


@dataclass(frozen=True)
class Person:
    """Who ``ensure_users`` needs: a name, and the role and kind to give them if new."""

    name: str
    role: str = "coder"
    kind: str = "human"


def ensure_users(
    session: Session,
    people: Iterable[Person],
    *,
    description: str = "",
    actor: str = "system",
    imported: bool = True,
) -> list[str]:
    """Make sure each person exists; returns the names it created, sorted.

    Merge rule: a name already in the store is kept exactly as it is (role, kind,
    password, description), whatever ``people`` says, so an import never demotes a lead
    or turns a person into a machine layer. New people are made with ``add_user``
    (``imported``: no password until a lead sets one), each audited.
    """
    wanted = {p.name: p for p in people}
    existing = set(session.scalars(select(User.name).where(User.name.in_(list(wanted)))))
    created = sorted(set(wanted) - existing)
    for name in created:
        person = wanted[name]
        add_user(
            session,
            name,
            person.role,
            kind=person.kind,
            description=description,
            actor=actor,
            imported=imported,
        )
    return created


def find_user(session: Session, name: str) -> User | None:
    """The user called ``name``, or None (``get_user`` raises instead)."""
    return session.scalars(select(User).where(User.name == name)).first()


def _hash_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def set_password(session: Session, name: str, password: str, *, actor: str = "system") -> User:
    """Give a person a new password (e.g. a coder imported from a REFI-QDA project, who has none).

    Machine and reference layers never sign in, so they cannot get one.
    """
    user = get_user(session, name)
    if user.kind != "human":
        raise ValidationError(f"'{name}' is a {user.kind} layer, not a person; it cannot sign in")
    user.password_hash = _hash_password(password)
    session.flush()
    record(session, actor, "user.password", "user", user.id, name=name)
    return user


def get_user(session: Session, name: str) -> User:
    """The user called ``name``, or a clear error."""
    user = find_user(session, name)
    if user is None:
        raise NotFoundError(f"no user called '{name}'")
    return user


def check_coders(session: Session, names: Iterable[str]) -> dict[str, str]:
    """Each named coder's kind (human, machine or reference), or one error naming the unknown.

    A name nobody has is an error rather than an empty selection, so a typo cannot pass for
    "nobody coded this".
    """
    chosen = list(dict.fromkeys(names))
    kinds = dict(session.execute(select(User.name, User.kind).where(User.name.in_(chosen))).all())
    unknown = [name for name in chosen if name not in kinds]
    if unknown:
        raise NotFoundError(f"no coder called {', '.join(map(repr, unknown))}")
    return {name: kinds[name] for name in chosen}


def require_lead(session: Session, actor: str, doing: str = "may do this") -> User:
    """The lead called ``actor``, or a clear error naming what only a lead ``doing``."""
    user = get_user(session, actor)
    if user.role != "lead":
        raise ValidationError(f"only a lead {doing}, and '{actor}' is not one")
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (same answer for unknown names)."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if not password_matches(user.password_hash if user else None, password):
        return None
    return user


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one behind ``password_hash``; needs no store.

    Without a hash (an unknown name, a machine layer) the same time is spent hashing, so
    names cannot be probed by timing. Sign-in calls this outside any transaction: the
    deliberately slow hash never holds the store.
    """
    if password_hash is None:
        _hasher.hash(password)
        return False
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.name)))


def coder_kinds(session: Session) -> dict[str, str]:
    """Each user's kind (human, machine or reference), by name."""
    return {name: kind for name, kind in session.execute(select(User.name, User.kind))}


def default_coders(kinds: dict[str, str], names: list[str]) -> list[str]:
    """The coders a comparison starts with, of ``names``: people, in order.

    Where no person is among them, the reference layers (a published coding, the
    consensus). Machine layers (``auto``) are never a default: a lead picks them.
    """
    people = [n for n in names if kinds.get(n, "human") == "human"]
    return people or [n for n in names if kinds.get(n) == "reference"]

# SPDX-License-Identifier: MIT
"""A REFI-QDA file's users as store users, through ``qualcarto.users.ensure_users``.

A file's user never becomes an account that already exists here: a name taken by a
person who can sign in, a lead or a machine layer is imported under a new name
(``ana`` -> ``ana-imported``), and the report says so. Only users an earlier import
made, who still have no password, are met again by name, so importing a file twice
adds nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.exchange.data import CONSENSUS
from qualcarto.exchange.refi_report import FALLBACK_USER
from qualcarto.exchange.refi_sources import RefiFile
from qualcarto.store import User
from qualcarto.users import Person, ensure_users, find_user

ATLAS_SYSTEM_USER = "c32a2bd5-537f-4838-8b17-df9efbafdf4b"
IMPORTED_DESCRIPTION = "imported from "


def import_users(session: Session, refi: RefiFile, actor: str, *, empty: bool) -> dict[str, str]:
    """File user GUID -> store user name; new users have no password until one is set."""
    project, report, sidecar = refi.project, refi.report, refi.sidecar
    used = {c.user for s in project.sources for sel in s.selections for c in sel.codings}
    used |= {c.user for s in project.sources for c in s.whole_codings}
    authors = {a for a, _, _ in refi.notes.values()} | {
        sel.user for s in project.sources for sel in s.selections if sel.description.strip()
    }
    wanted = {g: n for g, n in project.users.items() if g != ATLAS_SYSTEM_USER or g in used}
    project.unsupported_add("tool system users (ATLAS.ti)", len(project.users) - len(wanted))
    dangling = {g for g in used if g not in project.users}
    if dangling:
        report.warnings.append(
            f"{len(dangling)} coding user(s) not in <Users>; coded as '{FALLBACK_USER}'"
        )
    names = {g: _user_name(n, g) for g, n in wanted.items()}
    renamed = _renames(session, set(names.values()))
    for old, new in sorted(renamed.items()):
        report.warnings.append(
            f"user '{old}' is an account here; the file's '{old}' was imported as '{new}'"
        )
    names = {g: renamed.get(n, n) for g, n in names.items()}
    names |= dict.fromkeys(dangling, FALLBACK_USER)
    needed = set(names.values())
    if dangling or any(a not in names for a in authors) or _needs_fallback(refi, empty):
        needed.add(FALLBACK_USER)
    kinds = sidecar.user_kinds() if sidecar is not None else {}
    roles = sidecar.user_roles() if sidecar is not None else {}
    back = {new: old for old, new in renamed.items()}
    people = []
    for name in sorted(needed):
        original = back.get(name, name)  # a renamed user keeps what the file said, not a role
        kind = kinds.get(original, "reference" if original == CONSENSUS else "human")
        people.append(Person(name, "coder" if name in back else roles.get(name, "coder"), kind))
    # Existing names here are users an earlier import made (the rest were renamed above).
    report.users += ensure_users(
        session, people, description=f"{IMPORTED_DESCRIPTION}{refi.path.name}", actor=actor
    )
    return names


def _renames(session: Session, names: set[str]) -> dict[str, str]:
    """A new name for each of ``names`` that is an account here (not an imported user)."""
    taken = {user.name: user for user in session.scalars(select(User).where(User.name.in_(names)))}
    renamed: dict[str, str] = {}
    for name in sorted(names):
        user = taken.get(name)
        if user is None or name == FALLBACK_USER or _imported_placeholder(user):
            continue
        base = f"{name[:90]}-imported"
        candidate, n = base, 2
        while candidate in names or _exists(session, candidate, renamed):
            candidate, n = f"{base}-{n}", n + 1
        renamed[name] = candidate
    return renamed


def _imported_placeholder(user: User) -> bool:
    """A user an earlier import made, who cannot sign in and leads nothing."""
    return (
        user.password_hash is None
        and user.role == "coder"
        and user.kind != "machine"
        and user.description.startswith(IMPORTED_DESCRIPTION)
    )


def _exists(session: Session, name: str, renamed: dict[str, str]) -> bool:
    found = find_user(session, name)
    return name in renamed.values() or (found is not None and not _imported_placeholder(found))


def _user_name(raw: str, guid: str) -> str:
    name = "_".join(raw.split())[:100]
    return name or f"user-{guid[:8]}"


def _needs_fallback(refi: RefiFile, empty: bool) -> bool:
    """Whether a memo without an author (a case or project description) will be written."""
    project, sidecar = refi.project, refi.sidecar
    described = bool(project.description.strip()) and not (empty and project.name)
    known = sidecar.participant_memos if sidecar is not None else {}
    return described or any(c.description and c.name not in known for c in project.cases)

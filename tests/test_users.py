# SPDX-License-Identifier: MIT
"""Users: argon2id hashes, sign-in checks, machine layers without passwords."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import session_scope
from qualcarto.users import (
    Person,
    add_user,
    authenticate,
    check_coders,
    coder_kinds,
    default_coders,
    ensure_users,
    find_user,
    require_lead,
    set_password,
)


def test_passwords_are_stored_as_argon2id_hashes(session: Session) -> None:
    user = add_user(session, "carla", "lead", "correct horse")
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


def test_authenticate_accepts_only_the_right_password(session: Session) -> None:
    add_user(session, "carla", "coder", "correct horse")
    assert authenticate(session, "carla", "correct horse") is not None
    assert authenticate(session, "carla", "wrong horse") is None
    assert authenticate(session, "nobody", "correct horse") is None


def test_machine_layers_have_no_password_and_cannot_sign_in(session: Session) -> None:
    add_user(session, "auto", "coder", kind="machine")
    assert authenticate(session, "auto", "") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("ana", "coder", "long enough", "already exists"),
        ("two words", "coder", "long enough", "no spaces"),
        ("carla", "boss", "long enough", "role 'boss'"),
        ("carla", "coder", "short", "at least 8"),
    ],
)
def test_bad_users_are_refused(
    session: Session, name: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        add_user(session, name, role, password)


def test_a_person_without_a_password_can_be_given_one(session: Session) -> None:
    from qualcarto.store import User

    session.add(User(name="imported", role="coder", kind="human", password_hash=None))
    session.flush()
    assert authenticate(session, "imported", "new password") is None
    set_password(session, "imported", "new password", actor="lena")
    assert authenticate(session, "imported", "new password") is not None


def test_a_machine_layer_cannot_be_given_a_password(session: Session) -> None:
    add_user(session, "auto", "coder", kind="machine")
    with pytest.raises(ValidationError, match="'auto' is a machine layer"):
        set_password(session, "auto", "long enough")


def test_the_cli_sets_a_password_read_from_stdin(
    study: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcarto.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("a fresh password\n"))
    assert main(["--db", db_url, "user", "password", "ana", "--password-stdin"]) == 0
    with session_scope(study) as s:
        assert authenticate(s, "ana", "a fresh password") is not None
        assert authenticate(s, "ana", "ana-password") is None


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["auto", "ana", "consensus", "ben"], ["ana", "ben"]),
        (["auto", "linaker2025"], ["linaker2025"]),
        (["auto"], []),
    ],
)
def test_comparisons_default_to_people_and_never_to_machine_layers(
    names: list[str], expected: list[str]
) -> None:
    kinds = {
        "ana": "human",
        "ben": "human",
        "auto": "machine",
        "linaker2025": "reference",
        "consensus": "reference",
    }
    assert default_coders(kinds, names) == expected


def test_coder_kinds_come_from_the_store(session: Session) -> None:
    add_user(session, "auto", "coder", kind="machine")
    assert coder_kinds(session) == {"ana": "human", "ben": "human", "auto": "machine"}


def test_check_coders_names_every_unknown_coder_in_one_line(session: Session) -> None:
    add_user(session, "auto", "coder", kind="machine")
    assert check_coders(session, ["auto", "ana", "auto"]) == {"auto": "machine", "ana": "human"}
    with pytest.raises(NotFoundError, match=r"^no coder called 'zoë', 'nobody'$"):
        check_coders(session, ["ana", "zoë", "nobody"])


def test_require_lead_says_what_only_a_lead_may_do(session: Session) -> None:
    add_user(session, "lena", "lead", "lena-password")
    assert require_lead(session, "lena").name == "lena"
    with pytest.raises(ValidationError, match=r"^only a lead reconciles, and 'ana' is not one$"):
        require_lead(session, "ana", "reconciles")


def test_ensure_users_makes_the_missing_and_keeps_the_existing_as_they_are(
    session: Session,
) -> None:
    add_user(session, "lena", "lead", "lena-password")
    people = [Person("lena", "coder", "machine"), Person("zoë"), Person("auto", kind="machine")]
    assert ensure_users(session, people, description="imported from s.qdpx") == ["auto", "zoë"]
    lena = find_user(session, "lena")
    assert lena is not None and (lena.role, lena.kind) == ("lead", "human")  # not demoted
    assert lena.password_hash is not None
    zoe = find_user(session, "zoë")
    assert zoe is not None and (zoe.kind, zoe.password_hash) == ("human", None)  # imported
    assert zoe.description == "imported from s.qdpx"
    assert ensure_users(session, people) == []  # a second import adds nobody
    assert find_user(session, "nobody") is None

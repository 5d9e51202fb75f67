# SPDX-License-Identifier: MIT
"""Users: argon2id hashes, sign-in checks, machine layers without passwords."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from qualcarto.errors import ValidationError
from qualcarto.users import add_user, authenticate


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

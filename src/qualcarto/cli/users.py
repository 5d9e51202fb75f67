# SPDX-License-Identifier: MIT
"""``qualcarto user``: add coders and leads, set passwords, clear failed sign-ins."""

from __future__ import annotations

import sys

import click

from qualcarto.cli.common import store_session
from qualcarto.errors import QualcartoError
from qualcarto.names import printable, problem


@click.group()
def user() -> None:
    """Manage coders and leads."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["coder", "lead"]), default="coder")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add a coder or lead; the password is asked without echo.

    Example: qualcarto user add maria --role coder
    """
    from qualcarto.users import add_user

    password = _read_password(password_stdin)
    with store_session(ctx) as session:
        add_user(session, name, role, password)
    click.echo(f"added {role} {printable(name)}")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a person's password, e.g. for a coder imported from a REFI-QDA project.

    Example: qualcarto user password maria
    """
    from qualcarto.users import set_password

    password = _read_password(password_stdin)
    with store_session(ctx) as session:
        set_password(session, name, password)
    click.echo(f"password set for {printable(name)}")


@user.command("unlock")
@click.argument("name")
@click.pass_context
def user_unlock(ctx: click.Context, name: str) -> None:
    """Forget a person's failed sign-ins, so they can sign in now (run it on the server).

    Example: qualcarto user unlock lena
    """
    from qualcarto.auth import unlock

    with store_session(ctx) as session:
        count = unlock(session, name)
    noun = "failure" if count == 1 else "failures"
    click.echo(f"cleared {count} failed sign-in {noun} for {printable(name)}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        try:
            password = sys.stdin.readline().rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise QualcartoError("the password on stdin is not valid UTF-8 text") from exc
    else:
        password = str(click.prompt("password", hide_input=True, confirmation_prompt=True))
    if problem(password):
        raise QualcartoError(f"the password {problem(password)}; choose visible characters")
    return password

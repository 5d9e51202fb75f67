# SPDX-License-Identifier: MIT
"""The docs keep up with the code: the CLI reference is current and every command has an example."""

from __future__ import annotations

import click

from conftest import ROOT
from qualcarto.cli import cli
from qualcarto.cli.docs import _walk, render_cli_docs


def test_the_cli_reference_in_docs_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render_cli_docs(), (
        "run: python -m qualcarto.cli.docs > docs/cli.md"
    )


def test_every_command_has_a_sentence_of_help_and_an_example() -> None:
    for path, command in _walk(cli, ["qualcarto"]):
        if isinstance(command, click.Group) and path != ["qualcarto"]:
            assert command.help, path
            continue
        assert command.help and "Example: qualcarto" in command.help, path


def test_the_readme_names_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme

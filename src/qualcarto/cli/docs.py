# SPDX-License-Identifier: MIT
"""Render the reference of every CLI command as Markdown (``docs/cli.md``).

Run ``python -m qualcarto.cli.docs > docs/cli.md`` after changing a command; a test
checks the file is current, so the docs cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from qualcarto.cli import cli


def _walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name])


def render_cli_docs() -> str:
    """Markdown with each command's usage and full help, in command-tree order."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands themselves (`python -m qualcarto.cli.docs > docs/cli.md`).",
        "Every command takes the global `--db URL` option (or `QUALCARTO_DB`).",
        "",
    ]
    for path, command in _walk(cli, ["qualcarto"]):
        with click.Context(
            command,
            info_name=" ".join(path),
            terminal_width=88,
            max_content_width=88,
            help_option_names=["-h", "--help"],
        ) as ctx:
            help_text = command.get_help(ctx)
        lines += [f"## `{' '.join(path)}`", "", "```text", help_text, "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render_cli_docs(), end="")

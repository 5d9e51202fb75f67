# SPDX-License-Identifier: MIT
"""``qualcarto group``: name sets of transcripts (a wave, a site) to filter queries and exports."""

from __future__ import annotations

import click

from qualcarto.cli.common import store_session
from qualcarto.wording import counted

_ACTOR_HELP = "Who changes the group (audit log)."


@click.group("group")
def group() -> None:
    """Make, fill and list transcript groups (filters for query, export and agreement).

    Example: qualcarto group add "wave 1" I1 I2 I3 --as lena
    """


@group.command("add")
@click.argument("name")
@click.argument("transcripts", nargs=-1)
@click.option("--description", default="", help="What the group is (kept with it).")
@click.option("--as", "actor", default="system", help=_ACTOR_HELP)
@click.pass_context
def group_add(
    ctx: click.Context, name: str, transcripts: tuple[str, ...], description: str, actor: str
) -> None:
    """Make the group NAME (if new) and put the TRANSCRIPTS in it.

    Example: qualcarto group add "wave 1" I1 I2 --description "spring 2025" --as lena
    """
    from qualcarto.transcripts.groups import assign, group_transcripts

    with store_session(ctx) as session:
        made = assign(session, name, list(transcripts), description=description, actor=actor)
        size = len(group_transcripts(session, made.name))
    click.echo(f"group '{made.name}': {counted(size, 'transcript')}")


@group.command("assign")
@click.argument("name")
@click.argument("transcripts", nargs=-1, required=True)
@click.option("--as", "actor", default="system", help=_ACTOR_HELP)
@click.pass_context
def group_assign(ctx: click.Context, name: str, transcripts: tuple[str, ...], actor: str) -> None:
    """Put TRANSCRIPTS in the existing group NAME.

    Example: qualcarto group assign "wave 1" I4 I5 --as lena
    """
    from qualcarto.transcripts.groups import assign, get_group, group_transcripts

    with store_session(ctx) as session:
        get_group(session, name)  # assigning never makes a group by a typo
        assign(session, name, list(transcripts), actor=actor)
        size = len(group_transcripts(session, name))
    click.echo(f"group '{name}': {counted(size, 'transcript')}")


@group.command("remove")
@click.argument("name")
@click.argument("transcripts", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Delete the group itself.")
@click.option("--as", "actor", default="system", help=_ACTOR_HELP)
@click.pass_context
def group_remove(
    ctx: click.Context, name: str, transcripts: tuple[str, ...], everything: bool, actor: str
) -> None:
    """Take TRANSCRIPTS out of group NAME, or delete the group with --all (transcripts stay).

    Example: qualcarto group remove "wave 1" I5 --as lena
    """
    from qualcarto.transcripts.groups import delete_group, unassign

    if everything == bool(transcripts):
        raise click.UsageError("name the TRANSCRIPTS to take out, or give --all (one of them)")
    with store_session(ctx) as session:
        if everything:
            held = delete_group(session, name, actor=actor)
            click.echo(f"deleted group '{name}' (it held {counted(held, 'transcript')})")
            return
        taken = unassign(session, name, list(transcripts), actor=actor)
    click.echo(f"took {counted(taken, 'transcript')} out of group '{name}'")


@group.command("edit")
@click.argument("name")
@click.option("--rename", "new_name", default=None, help="A new name for the group.")
@click.option("--description", default=None, help="A new description.")
@click.option("--as", "actor", default="system", help=_ACTOR_HELP)
@click.pass_context
def group_edit(
    ctx: click.Context, name: str, new_name: str | None, description: str | None, actor: str
) -> None:
    """Rename group NAME or change its description.

    Example: qualcarto group edit "wave 1" --rename "spring wave" --as lena
    """
    from qualcarto.transcripts.groups import edit_group

    with store_session(ctx) as session:
        edited = edit_group(session, name, new_name=new_name, description=description, actor=actor)
    click.echo(f"group '{edited.name}': {edited.description or '(no description)'}")


@group.command("list")
@click.option("--members", is_flag=True, help="Also list each group's transcripts.")
@click.pass_context
def group_list(ctx: click.Context, members: bool) -> None:
    """List the groups: name, number of transcripts, description.

    Example: qualcarto group list --members
    """
    from qualcarto.transcripts.groups import groups_table, list_groups

    with store_session(ctx, read_only=True) as session:
        table = groups_table(session)
        names = list_groups(session)
    if table.empty:
        click.echo("no transcript groups yet: qualcarto group add NAME TRANSCRIPT...")
        return
    rows = zip(table["group"], table["transcripts"], table["description"], strict=True)
    for name, size, description in rows:
        click.echo(f"{name}\t{counted(int(size), 'transcript')}\t{description}")
        if members:
            click.echo("\t" + (", ".join(names[str(name)]) or "(empty)"))

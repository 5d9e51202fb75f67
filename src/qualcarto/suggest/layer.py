# SPDX-License-Identifier: MIT
"""A suggester run as a coder: its suggestions stored as a machine coding layer.

The layer goes into the store under a user of kind ``machine`` (so reports and the
agreement module can treat it like any coder while nobody mistakes it for a person),
and can be written as YAML files in the format :mod:`qualcarto.layers` reads, which is
how the demo study ships its ``auto`` layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.coding import delete_coding
from qualcarto.errors import ValidationError
from qualcarto.layers import LAYER_FILE
from qualcarto.names import check_file_name
from qualcarto.store import Coding, User, record
from qualcarto.suggest.model import Suggestion
from qualcarto.suggest.service import add_suggested_coding
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import add_user

LAYER_HEADER = (
    "# Machine coding written by qualcarto's code suggester: regenerate it, never edit it.\n"
)


def store_machine_layer(
    session: Session,
    coder: str,
    suggestions: Sequence[Suggestion],
    transcripts: Sequence[str],
    *,
    actor: str = "system",
    description: str = "",
) -> int:
    """Replace ``coder``'s codings of ``transcripts`` with ``suggestions``; returns the count.

    ``coder`` is created as a machine user if it does not exist; an existing human or
    reference coder is refused, since their codings must never be overwritten by a machine.
    """
    user = session.scalars(select(User).where(User.name == coder)).first()
    if user is None:
        add_user(session, coder, kind="machine", description=description, actor=actor)
    elif user.kind != "machine":
        raise ValidationError(
            f"'{coder}' is a {user.kind} coder; machine suggestions go to a machine coder "
            "(choose another --coder)"
        )
    names = sorted(set(transcripts))
    for name in names:
        doc = get_transcript(session, name)
        old = session.scalars(
            select(Coding.id).where(
                Coding.transcript_id == doc.id, Coding.coder.has(User.name == coder)
            )
        )
        for coding_id in list(old):
            delete_coding(session, coding_id, coder)
    for suggestion in suggestions:
        add_suggested_coding(
            session, suggestion, coder, memo=suggestion.describe(), origin="machine"
        )
    record(
        session,
        actor,
        "suggest.layer",
        "user",
        coder,
        transcripts=names,
        codings=len(suggestions),
        methods=sorted({s.method for s in suggestions}),
    )
    return len(suggestions)


def layer_files(
    coder: str,
    description: str,
    suggestions: Sequence[Suggestion],
    texts: Mapping[str, str],
) -> tuple[dict[str, str], list[Suggestion]]:
    """The YAML files of a machine layer (file name -> content) and the suggestions left out.

    A layer places each coding by its quote, so a suggestion whose text occurs more than
    once in its transcript cannot be written and is returned as left out.
    """
    meta = {"coder": coder, "kind": "machine", "description": description}
    files = {LAYER_FILE: LAYER_HEADER + _dump(meta)}
    items: dict[str, list[dict[str, str]]] = {name: [] for name in texts}
    left_out = []
    for s in suggestions:
        text = texts[s.transcript]
        quote = text[s.start : s.end]
        if text.count(quote) != 1 or quote != quote.strip():
            left_out.append(s)
            continue
        items[s.transcript].append({"code": s.code_id, "quote": quote, "memo": s.describe()})
    for name in sorted(items):
        files[f"{name}.yaml"] = _dump(items[name])
    return files, left_out


def write_layer(folder: Path, files: Mapping[str, str]) -> None:
    """Write a layer's files, removing YAML files of an older run that are no longer made.

    Every name must be a plain file name (no separator, no leading dot): a transcript
    name can never place a file outside ``folder``.
    """
    for name in files:
        check_file_name(name, "layer file")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.yaml"):
        if stale.name not in files:
            stale.unlink()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10_000)

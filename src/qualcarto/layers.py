# SPDX-License-Identifier: MIT
"""Coding layers as files: a coder's codings written as quotes, placed by exact match.

The demo study ships its reference layer this way (``transcripts/codings/<coder>/``):
each coding names a code and the exact passage of a transcript, and the offsets are
found in the stored text, so the layer cannot drift from the transcripts unnoticed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from sqlalchemy.orm import Session

from qualcarto.codebook.files import load_yaml
from qualcarto.coding import add_coding
from qualcarto.errors import InputError, NotFoundError, ValidationError
from qualcarto.transcripts.decode import decode_text, read_bytes
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import add_user, get_user

LAYER_FILE = "layer.yaml"
MAX_LAYER_BYTES = 10 * 1024 * 1024


def load_layer(session: Session, folder: Path) -> tuple[str, int]:
    """Create the layer's coder and add its codings; returns (coder, number of codings).

    ``folder/layer.yaml`` names the coder (``coder``, ``kind``, ``description``). A machine
    or reference layer creates its coder; a human layer (``kind: human``) is attached to the
    person's existing account, since only a person can be given a password. Every
    other ``folder/<transcript>.yaml`` lists that transcript's codings as
    ``{code, quote, memo}`` items.
    """
    meta = _read_yaml(folder / LAYER_FILE)
    if not isinstance(meta, dict) or not meta.get("coder"):
        raise InputError(folder / LAYER_FILE, "a layer file names its 'coder'")
    coder = str(meta["coder"])
    kind = str(meta.get("kind", "reference"))
    if kind == "human":
        _existing_person(session, coder, folder / LAYER_FILE)
    else:
        add_user(
            session, coder, role="coder", kind=kind, description=str(meta.get("description", ""))
        )
    count = 0
    for path in sorted(folder.glob("*.yaml")):
        if path.name != LAYER_FILE:
            count += _load_transcript_codings(session, path, coder)
    return coder, count


def _existing_person(session: Session, coder: str, path: Path) -> None:
    """A person's layer attaches to their account; a file cannot create one (no password)."""
    try:
        user = get_user(session, coder)
    except NotFoundError as exc:
        raise InputError(path, f"a human layer needs the user '{coder}' to exist first") from exc
    if user.kind != "human":
        raise InputError(path, f"'{coder}' is a {user.kind} layer, not a person")


def _read_yaml(path: Path) -> object:
    return load_yaml(decode_text(read_bytes(path, MAX_LAYER_BYTES), path), str(path))[1]


def _load_transcript_codings(session: Session, path: Path, coder: str) -> int:
    items = _read_yaml(path)
    if not isinstance(items, list):
        raise InputError(path, "a layer's transcript file is a list of {code, quote} items")
    try:
        transcript = get_transcript(session, path.stem)
    except NotFoundError as exc:
        raise InputError(path, str(exc)) from exc
    for item in items:
        if not isinstance(item, dict):
            raise InputError(path, "each item is a mapping with 'code' and 'quote'")
        quote = unicodedata.normalize("NFC", str(item.get("quote", "")).strip())
        start = locate(transcript.text, quote, f"{path.stem}/{item.get('code')}", path)
        try:
            add_coding(
                session,
                transcript.id,
                start,
                start + len(quote),
                str(item.get("code")),
                coder,
                memo=str(item.get("memo", "") or ""),
                origin="import",
            )
        except ValidationError as exc:
            raise InputError(path, str(exc)) from exc
    return len(items)


def locate(text: str, quote: str, label: str, path: Path) -> int:
    """The offset of the one place ``quote`` occurs in ``text``; an error if not exactly once."""
    if not quote:
        raise InputError(path, f"{label}: empty quote")
    start = text.find(quote)
    if start < 0:
        raise InputError(path, f"{label}: quote not found in the transcript: '{quote[:60]}...'")
    if text.find(quote, start + 1) >= 0:
        raise InputError(path, f"{label}: quote occurs more than once: '{quote[:60]}...'")
    return start

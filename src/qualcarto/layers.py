# SPDX-License-Identifier: MIT
"""Coding layers as files: a coder's codings written as quotes, placed by exact match.

The demo study ships its reference layer this way (``transcripts/codings/*.yaml``):
each coding names a transcript, a code and the exact passage, and the offsets are
found in the stored text, so the layer cannot drift from the transcripts unnoticed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from qualcarto.coding import add_coding, get_transcript
from qualcarto.errors import InputError, NotFoundError, ValidationError
from qualcarto.transcripts.decode import decode_text, read_bytes
from qualcarto.users import add_user


def load_layer(session: Session, path: Path) -> tuple[str, int]:
    """Create the layer's coder and add its codings; returns (coder, number of codings)."""
    data = yaml.safe_load(decode_text(read_bytes(path, 10 * 1024 * 1024), path))
    if not isinstance(data, dict) or not isinstance(data.get("codings"), dict):
        raise InputError(path, "a layer file has 'coder' and 'codings: {transcript: [...]}'")
    coder = str(data.get("coder", ""))
    add_user(
        session,
        coder,
        role="coder",
        kind=str(data.get("kind", "reference")),
        description=str(data.get("description", "")),
    )
    count = 0
    for transcript_name, items in data["codings"].items():
        try:
            transcript = get_transcript(session, str(transcript_name))
        except NotFoundError as exc:
            raise InputError(path, str(exc)) from exc
        for item in items or []:
            quote = unicodedata.normalize("NFC", str(item.get("quote", "")).strip())
            start = locate(transcript.text, quote, f"{transcript_name}/{item.get('code')}", path)
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
                raise InputError(path, f"{transcript_name}: {exc}") from exc
            count += 1
    return coder, count


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

# SPDX-License-Identifier: MIT
"""Participant attributes from a csv: ``id`` plus any columns the study keeps."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from qualcarto.errors import InputError
from qualcarto.transcripts.decode import decode_text, read_bytes

MAX_CSV_BYTES = 5 * 1024 * 1024


def read_participants(path: Path) -> dict[str, dict[str, str]]:
    """Map participant id to its attributes (every column but ``id``), in file order."""
    text = decode_text(read_bytes(path, MAX_CSV_BYTES), path)
    try:
        # Any mix of newlines; NFC like transcripts; an unclosed quote is an error, not a field.
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise InputError(path, f"not a valid csv ({exc})") from exc
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise InputError(path, "is empty")
    header = [h.strip() for h in rows[0]]
    if "id" not in header:
        raise InputError(path, f"has no 'id' column (columns: {', '.join(header)})")
    if len(set(header)) != len(header):
        raise InputError(path, "repeats a column name in its header")
    key_index = header.index("id")
    participants: dict[str, dict[str, str]] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputError(
                path, f"line {line_no}: {len(row)} fields, the header has {len(header)}"
            )
        key = row[key_index].strip()
        if not key:
            raise InputError(path, f"line {line_no}: empty participant id")
        if key in participants:
            raise InputError(path, f"line {line_no}: participant id '{key}' appears twice")
        participants[key] = {
            name: value.strip() for name, value in zip(header, row, strict=True) if name != "id"
        }
    return participants

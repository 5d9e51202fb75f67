# SPDX-License-Identifier: MIT
"""Bytes to stored text: decoding, the checks that keep junk out, and normalization.

The stored text is the one offset space of the whole product, so it is made here once:
Unicode NFC, ``\\n`` newlines, no NUL or other control characters but tab and newline.
"""

from __future__ import annotations

import codecs
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

from qualcarto.errors import InputError

MAX_SOURCE_BYTES = 20 * 1024 * 1024
"""Largest transcript file accepted (20 MiB, about 3 million words): larger is not an interview."""

# What zipfile raises for a damaged, encrypted or exotic archive (a lying header can make
# it seek before the start, a member can be encrypted or use a method it cannot undo).
BROKEN_ZIP = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    struct.error,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = {"\t", "\n"}


def read_bytes(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """Read a file after checking its size, so a huge file is refused before it is loaded."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from exc
    if size > limit:
        raise InputError(
            path, f"too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB)"
        )
    return path.read_bytes()


def decode_text(data: bytes, source: str | Path) -> str:
    """Decode UTF-8 (or UTF-8/16/32 with a byte-order mark) strictly; say where it fails."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    else:
        if b"\x00" in data:
            raise InputError(source, "contains NUL bytes: a binary file, or UTF-16 without a BOM")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            source,
            f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
        ) from exc


def normalize_text(text: str, source: str | Path) -> str:
    """NFC and ``\\n`` newlines; refuse control characters and empty text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    for index, char in enumerate(text):
        if (char < " " and char not in _ALLOWED_CONTROLS) or char == "\x7f":
            line = text.count("\n", 0, index) + 1
            raise InputError(
                source, f"control character U+{ord(char):04X} on line {line}: not a text file"
            )
    if not text.strip():
        raise InputError(source, "is empty")
    return text

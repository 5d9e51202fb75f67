# SPDX-License-Identifier: MIT
"""One rule for every name a person or a file gives us: codes, users, transcripts,
participants and anything that becomes a file name.

Pure: no database, no I/O. A name is one line of visible text. It holds no control
characters (C0 and DEL; C1, which terminals read as escape sequences), no Unicode
noncharacters, no lone surrogates (they cannot be written as UTF-8, so one would break
every export later) and no bidirectional overrides (they make a name read differently
from what it is). Longer texts (definitions, memos) follow the same rule but may hold
tabs and line breaks. A name that becomes a file name also holds no path separator and
does not start with a dot, so it cannot point outside its folder or hide.

Ids (code ids, keys) are matched with ``re.fullmatch``: ``$`` also matches before a final
line break, so ``"dup\\n"`` passed ``^...$`` beside ``dup``.
"""

from __future__ import annotations

import re

from qualcarto.errors import ValidationError

_CONTROLS = "\x00-\x1f\x7f-\x9f"  # C0, DEL and C1
_TEXT_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # the same but tab, LF and CR
# Bidi embeddings, overrides and isolates, line and paragraph separators, noncharacters
# (U+FDD0-U+FDEF and the last two code points of every plane) and surrogates.
_INVISIBLE = "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufdd0-\ufdef\ud800-\udfff" + "".join(
    chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
_BAD_NAME = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_BAD_TEXT = re.compile(f"[{_TEXT_CONTROLS}{_INVISIBLE}]")
_SEPARATORS = ("/", "\\")
_NAME_LIMIT = 300


def problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as a name (or, ``multiline``, as a text), or None."""
    found = (_BAD_TEXT if multiline else _BAD_NAME).search(value)
    if found is None:
        return None
    return f"holds {_describe(found.group())} at position {found.start() + 1}"


def _describe(char: str) -> str:
    point = ord(char)
    name = f"U+{point:04X}"
    if 0xD800 <= point <= 0xDFFF:
        return f"a lone surrogate {name}"
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return f"the control character {name}"
    if 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE:
        return f"the noncharacter {name}"
    return f"the invisible formatting character {name}"


def check_name(value: str, what: str, *, limit: int = _NAME_LIMIT) -> str:
    """``value`` stripped, or ``ValidationError`` naming ``what`` and the problem."""
    name = value.strip()
    reason = problem(value)  # before stripping: "dup\n" is not "dup"
    if reason is None and not name:
        reason = "is empty"
    if reason is None and len(name) > limit:
        reason = f"is longer than {limit} characters"
    if reason is not None:
        raise ValidationError(f"{what} {printable(name)}: {reason}")
    return name


def check_text(value: str, what: str) -> str:
    """``value`` unchanged if it may be stored as a text (tabs and line breaks allowed)."""
    reason = problem(value, multiline=True)
    if reason is not None:
        raise ValidationError(f"{what}: {reason}")
    return value


def check_file_name(value: str, what: str) -> str:
    """A name that becomes a file name: ``check_name``, no separator, no leading dot."""
    name = check_name(value, what, limit=200)
    if any(sep in name for sep in _SEPARATORS) or re.match(r"^[A-Za-z]:", name):
        raise ValidationError(f"{what} {printable(name)}: holds a path separator")
    if name.startswith("."):
        raise ValidationError(f"{what} {printable(name)}: starts with a dot")
    return name


def is_id(pattern: re.Pattern[str], value: str) -> bool:
    """Whether the whole of ``value`` matches ``pattern`` (never a prefix or all but a newline)."""
    return pattern.fullmatch(value) is not None


def printable(value: object) -> str:
    """``value`` quoted for a terminal: control and invisible characters shown as escapes.

    What a terminal would run (ESC sequences, C1 controls) or hide (bidi overrides) is
    written as ``\\x1b`` or ``\\u202e``; everything else as it is, inside single quotes.
    """
    return f"'{escaped(value)}'"


def escaped(value: object) -> str:
    """``value`` with control and invisible characters written as escapes (no quotes)."""
    return _BAD_NAME.sub(lambda m: _escape(m.group()), str(value))


def _escape(char: str) -> str:
    point = ord(char)
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"

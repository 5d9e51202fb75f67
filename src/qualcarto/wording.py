# SPDX-License-Identifier: MIT
"""How counts and names are written for people: "1 note", "15 codings", whole-word slugs.

Pure: strings in, strings out. Messages of the CLI, the app and reports use these, so
a count reads the same everywhere and a file name never ends in half a word.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun in agreement with it: ``counted(1, "note") == "1 note"``.

    The plural is ``noun + "s"`` unless given (``counted(2, "memo") == "2 memos"``,
    ``counted(3, "activity", "activities")``).
    """
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def slug(text: str, limit: int | None = None) -> str:
    """``text`` as lowercase ASCII words joined by dashes, cut at a word boundary.

    ``slug("Open collaboration in open LLM projects", 30) == "open-collaboration-in-open"``:
    the result has at most ``limit`` characters and ends on a whole word; a single first
    word longer than ``limit`` is cut, since some name is better than none. Accents are
    dropped ("Linåker" gives "linaker").
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in _NOT_SLUG.split(ascii_text.lower()) if w]
    if limit is None:
        return "-".join(words)
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > limit:
            break
        kept.append(word)
    if not kept and words:
        return words[0][:limit]
    return "-".join(kept)

# SPDX-License-Identifier: MIT
"""Which unit a REFI-QDA file counts positions in, and conversion to our offsets.

The standard counts Unicode code points, but NVivo and QualCoder write UTF-16 code
units (an emoji counts two), NVivo for Windows counts a CRLF line end as two
positions and ATLAS.ti as one (see the research note ``shared/refi/NOTES.md`` section 4,
which measured the sample files). We try every reading on all selections of a file at
once and keep the one under which selections match their stored names, or else start
and end on word boundaries most often; ties go to the standard's reading, unless the
file's ``origin`` names a tool known to differ.

Our offsets index the text after CRLF becomes LF and Unicode NFC normalization, so a
reading's positions are mapped through those two steps as well.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class Reading:
    """One way of counting positions: in UTF-16 units or not, with CRLF as one or two."""

    utf16: bool
    crlf_as_two: bool

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "Unicode code points"
        return f"{unit}, CRLF counted as {'two' if self.crlf_as_two else 'one'}"


SPEC = Reading(utf16=False, crlf_as_two=True)
READINGS = (
    SPEC,
    Reading(utf16=True, crlf_as_two=True),
    Reading(utf16=False, crlf_as_two=False),
    Reading(utf16=True, crlf_as_two=False),
)


def preferred_readings(origin: str) -> list[Reading]:
    """Readings in the order ties are broken, from what the exporting tool is known to do."""
    tool = origin.strip().lower()
    if tool.startswith(("nvivo", "qualcoder")):
        first = [Reading(True, True), Reading(True, False)]
    elif tool.startswith("atlas"):
        first = [Reading(False, False), Reading(True, False)]
    else:
        first = [SPEC]
    return first + [r for r in READINGS if r not in first]


class SourceText:
    """A source's raw text (BOM removed) and the maps from each reading to stored offsets."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lf = raw.replace("\r\n", "\n")
        self.has_crlf = len(self.lf) != len(raw)
        self.astral = any(ord(c) > 0xFFFF for c in raw)
        self._crs = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
        cleaned, kept = _drop_controls(self.lf.replace("\r", "\n"))
        self.controls_removed = len(self.lf) - len(cleaned)
        self.text, nfc = _nfc_map(cleaned)
        self._nfc = nfc if not self.controls_removed else [nfc[k] for k in kept]
        self._bounds: dict[bool, list[int]] = {}

    def relevant(self) -> list[Reading]:
        """The readings that can differ for this text (all agree on BMP-only LF text)."""
        return [
            r for r in READINGS if (self.astral or not r.utf16) and (self.has_crlf or r.crlf_as_two)
        ]

    def length(self, reading: Reading) -> int:
        """The text's length counted the way ``reading`` counts."""
        base = self.raw if reading.crlf_as_two else self.lf
        return len(base) + (sum(1 for c in base if ord(c) > 0xFFFF) if reading.utf16 else 0)

    def convert(self, reading: Reading, positions: Sequence[int]) -> list[int]:
        """Positions counted by ``reading`` as offsets into the stored (normalized) text."""
        base = self.raw if reading.crlf_as_two else self.lf
        if reading.utf16:
            if reading.crlf_as_two not in self._bounds:
                self._bounds[reading.crlf_as_two] = _utf16_bounds(base)
            bounds = self._bounds[reading.crlf_as_two]
            points = [min(bisect.bisect_left(bounds, u), len(base)) for u in positions]
        else:
            points = [min(p, len(base)) for p in positions]
        if reading.crlf_as_two and self._crs:
            points = [p - bisect.bisect_left(self._crs, p) for p in points]
        return [self._nfc[max(p, 0)] for p in points]


CONTROLS_KEPT = frozenset("\n\t")


def _is_control(char: str) -> bool:
    return (char < " " and char not in CONTROLS_KEPT) or char == "\x7f"


def _drop_controls(text: str) -> tuple[str, list[int]]:
    """``text`` without control characters (form feeds, escapes, ...) other than newline and tab,
    and for every index of ``text`` (and its end) the matching index in the result."""
    if not any(_is_control(c) for c in text):
        return text, list(range(len(text) + 1))
    kept: list[int] = []
    out: list[str] = []
    for char in text:
        kept.append(len(out))
        if not _is_control(char):
            out.append(char)
    kept.append(len(out))
    return "".join(out), kept


def _utf16_bounds(text: str) -> list[int]:
    """For each code point index, the UTF-16 offset where that character starts."""
    return [0, *accumulate(2 if ord(char) > 0xFFFF else 1 for char in text)]


def _nfc_map(text: str) -> tuple[str, list[int]]:
    """NFC of ``text`` and, for every index of ``text``, the matching index in the result.

    Normalization only merges a base character with the marks after it, so each run
    starting at a character of combining class 0 is normalized on its own.
    """
    normalized = unicodedata.normalize("NFC", text)
    if normalized == text:
        return text, list(range(len(text) + 1))
    mapping = [0] * (len(text) + 1)
    pieces: list[str] = []
    out, start = 0, 0
    for end in range(1, len(text) + 1):
        if end == len(text) or unicodedata.combining(text[end]) == 0:
            piece = unicodedata.normalize("NFC", text[start:end])
            for k in range(start, end):
                mapping[k] = out + min(k - start, len(piece))
            pieces.append(piece)
            out += len(piece)
            start = end
    mapping[len(text)] = out
    if "".join(pieces) != normalized:  # a composition across runs (rare scripts): keep it simple
        return normalized, [min(i, len(normalized)) for i in range(len(text) + 1)]
    return normalized, mapping


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_matches(name: str, excerpt: str) -> bool | None:
    """Whether a selection's stored name agrees with the excerpt; None if the name says nothing.

    QualCoder and qualcarto store the whole excerpt, ATLAS.ti a prefix ending in '…';
    NVivo leaves names empty and qc writes ``line:N``.
    """
    label = _squash(name)
    if not label or label.startswith(("line:", "Quotation ")):
        return None
    if label.endswith("…"):
        return _squash(excerpt).startswith(label[:-1].rstrip())
    return _squash(excerpt) == label


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether a span neither starts nor ends inside a word."""

    def inside(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

    return not inside(start) and not inside(end)


@dataclass(frozen=True)
class Score:
    """How well a reading fits: names matched, spans in range, spans on word boundaries."""

    names: int = 0
    in_range: int = 0
    boundaries: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.names + other.names,
            self.in_range + other.in_range,
            self.boundaries + other.boundaries,
        )


def score(source: SourceText, reading: Reading, spans: Sequence[tuple[int, int, str]]) -> Score:
    """Score ``reading`` on one source's ``(start, end, name)`` selections."""
    limit = source.length(reading)
    inside = [(s, e, n) for s, e, n in spans if 0 <= s <= e <= limit]
    starts = source.convert(reading, [s for s, _, _ in inside])
    ends = source.convert(reading, [e for _, e, _ in inside])
    names = boundaries = 0
    for (_, _, name), start, end in zip(inside, starts, ends, strict=True):
        excerpt = source.text[start:end]
        if name_matches(name, excerpt):
            names += 1
        if on_word_boundaries(source.text, start, end):
            boundaries += 1
    return Score(names, len(inside), boundaries)


def choose_reading(scores: dict[Reading, Score], origin: str) -> Reading:
    """The best reading: most spans in range, then most names matched, then most boundaries."""
    order = preferred_readings(origin)
    return max(
        order,
        key=lambda r: (
            scores.get(r, Score()).in_range,
            scores.get(r, Score()).names,
            scores.get(r, Score()).boundaries,
            -order.index(r),
        ),
    )

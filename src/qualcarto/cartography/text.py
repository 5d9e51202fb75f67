# SPDX-License-Identifier: MIT
"""Set labels in lines: measured words, balanced breaks, never a word split.

``Typesetter`` measures every word once (at the screen's and the print's
resolution, the wider wins) and breaks a label into lines whose widths are
as even as possible (least squared slack, the fewest lines first). A break
falls only between words: there is no hyphenation dictionary, so a word
wider than its column is never cut; the column is widened instead
(``min_width`` tells how wide it must be). A count such as ``(n=3)`` is a
word of its own that may start a line, at a small cost; a name on the
no-break list (``"LM Evaluation Harness"``) is kept on one line when it fits.

Every line is drawn on a baseline grid whose step, ``leading``, is the same for
every label of a figure set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

SCREEN_DPI = 100
PRINT_DPI = 300
# Share of a column a line may fill: room for viewers whose glyph metrics
# differ slightly from Agg's (real text in SVG is set by the viewer's font).
WIDTH_SLACK = 0.975
# Baseline step as a multiple of the body size.
LEADING = 1.3
# Cost of starting a line with the count "(n=k)", in squared column widths.
COUNT_BREAK_COST = 0.08
_PUNCTUATION = "()[]{}.,;:!?\"'“”‘’"


@dataclass(frozen=True)
class TextStyle:
    """Font size in points, weight and slant of one kind of text."""

    size: float
    weight: str = "normal"
    style: Literal["normal", "italic", "oblique"] = "normal"


@dataclass(frozen=True)
class Word:
    """An unbreakable piece of a label and the cost of breaking the line before it."""

    text: str
    break_cost: float = 0.0


def _bare(word: str) -> str:
    return word.strip(_PUNCTUATION).casefold()


def join_phrases(words: list[str], phrases: Iterable[str]) -> list[str]:
    """Glue consecutive words that spell a no-break phrase into one word.

    Matching ignores case and the punctuation around words, so ``"(e.g., The
    Pile)"`` keeps ``"The Pile)"`` together.

    >>> join_phrases("the LM Evaluation Harness suite".split(), ["LM Evaluation Harness"])
    ['the', 'LM Evaluation Harness', 'suite']
    """
    patterns = sorted(
        {tuple(_bare(w) for w in phrase.split()) for phrase in phrases if " " in phrase.strip()},
        key=len,
        reverse=True,
    )
    if not patterns:
        return words
    bare = [_bare(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for pattern in patterns:
            if tuple(bare[i : i + len(pattern)]) == pattern:
                out.append(" ".join(words[i : i + len(pattern)]))
                i += len(pattern)
                break
        else:
            out.append(words[i])
            i += 1
    return out


class Typesetter:
    """Measure words and break labels into balanced lines of a given width."""

    def __init__(self, no_break: Sequence[str] = (), dpis: Sequence[int] = (SCREEN_DPI, PRINT_DPI)):
        self.no_break = tuple(no_break)
        self._renderers = [RendererAgg(10, 10, dpi) for dpi in dpis]
        self._widths: dict[tuple[str, TextStyle], float] = {}
        self._lines: dict[tuple[str, str, float, TextStyle], tuple[str, ...]] = {}

    def width(self, text: str, style: TextStyle) -> float:
        """Width in inches of ``text`` on one line in ``style``."""
        key = (text, style)
        if key not in self._widths:
            prop = FontProperties(size=style.size, weight=style.weight, style=style.style)
            widest = 0.0
            for renderer in self._renderers:
                w, _, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
                widest = max(widest, w / renderer.dpi)
            self._widths[key] = widest
        return self._widths[key]

    @staticmethod
    def leading(style: TextStyle) -> float:
        """The baseline step, in inches, of lines set in ``style``."""
        return style.size * LEADING / 72

    def words(self, text: str, tail: str | None = None) -> list[Word]:
        """Split ``text`` into unbreakable words, no-break phrases glued; ``tail`` last."""
        # Only ordinary spaces break: a no-break space (U+00A0) glues two words.
        pieces = join_phrases(
            re.sub(r"[ \t\r\n\f\v]+", " ", text).strip().split(" "), self.no_break
        )
        words = [Word(p) for p in pieces if p]
        if tail:
            words.append(Word(tail, COUNT_BREAK_COST))
        return words

    def _pieces(self, word: Word, style: TextStyle, budget: float) -> list[Word]:
        """A glued phrase wider than ``budget`` falls back to its own words."""
        if " " in word.text and self.width(word.text, style) > budget:
            return [
                Word(w, word.break_cost if i == 0 else 0.0) for i, w in enumerate(word.text.split())
            ]
        return [word]

    def min_width(self, text: str, style: TextStyle, tail: str | None = None) -> float:
        """The narrowest column (in inches) that sets ``text`` without splitting a word."""
        words = [p for w in self.words(text, tail) for p in w.text.split(" ")]
        return max((self.width(w, style) for w in words), default=0.0) / WIDTH_SLACK

    def lines(
        self,
        text: str,
        width: float,
        style: TextStyle,
        tail: str | None = None,
        balance: bool = True,
    ) -> tuple[str, ...]:
        """Break ``text`` (then ``tail``) into the fewest, most even lines fitting ``width``.

        With ``balance=False`` (running text such as captions) the last line may be
        short and the others are filled. A word wider than ``width`` gets a line of
        its own and overflows; callers size columns with ``min_width`` so it cannot.
        """
        key = (text, f"{tail or ''}|{balance}", round(width, 4), style)
        if key in self._lines:
            return self._lines[key]
        budget = width * WIDTH_SLACK
        words = [p for w in self.words(text, tail) for p in self._pieces(w, style, budget)]
        if not words:
            return ()
        widths = [self.width(w.text, style) for w in words]
        space = self.width("a a", style) - 2 * self.width("a", style)
        n = len(words)
        # best[i]: (lines, cost) of setting words[i:]; nxt[i]: where the first line ends.
        best: list[tuple[int, float]] = [(0, 0.0)] * (n + 1)
        nxt = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            chosen: tuple[int, float] | None = None
            line = -space
            for j in range(i + 1, n + 1):
                line += space + widths[j - 1]
                if line > budget and j > i + 1:
                    break
                rest_lines, rest_cost = best[j]
                slack = max(0.0, budget - line) / budget if balance or j < n else 0.0
                cost = slack**2 + rest_cost + (words[j].break_cost if j < n else 0.0)
                if j == n and j - i == 1 and n > 1:
                    cost += 0.05  # an orphan: one word alone on the last line
                candidate = (rest_lines + 1, cost)
                if chosen is None or candidate < chosen:
                    chosen, nxt[i] = candidate, j
            best[i] = chosen if chosen is not None else (n, 0.0)
        out = []
        i = 0
        while i < n:
            out.append(" ".join(w.text for w in words[i : nxt[i]]))
            i = nxt[i]
        self._lines[key] = tuple(out)
        return self._lines[key]

    def count_lines(
        self, text: str, width: float, style: TextStyle, tail: str | None = None
    ) -> int:
        """How many lines ``lines`` would give, counted greedily (the same fewest number)."""
        budget = width * WIDTH_SLACK
        space = self.width("a a", style) - 2 * self.width("a", style)
        count, line = 1, -space
        for word in self.words(text, tail):
            for piece in self._pieces(word, style, budget):
                w = self.width(piece.text, style)
                if line + space + w > budget and line > 0:
                    count, line = count + 1, w
                else:
                    line += space + w
        return count


__all__ = ["LEADING", "TextStyle", "Typesetter", "Word", "join_phrases"]

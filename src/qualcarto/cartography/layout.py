# SPDX-License-Identifier: MIT
"""Measure text before placing it, and check a finished figure's text layout.

The figures are laid out in inches from measured text extents, not from fixed
spacing: ``TextMeasurer`` wraps each label to the width it is given (checking
every line with matplotlib's renderer) and reports how tall it came out, and
the drawing code grows rows and boxes to fit. ``text_overlaps`` and
``text_outside`` check the result with the same renderer; the tests call them
on every figure, and users can call them on theirs.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from itertools import combinations

from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

SCREEN_DPI = 100
PRINT_DPI = 300
# Text is wrapped to this share of its box: a margin for renderers (SVG and PDF
# viewers) whose glyph metrics differ slightly from Agg's.
WIDTH_SLACK = 0.98
LINESPACING = 1.15


@dataclass(frozen=True)
class TextStyle:
    """Font size in points and weight of one kind of label."""

    size: float
    weight: str = "normal"


def type_scale(fontsize: float) -> tuple[TextStyle, TextStyle, TextStyle]:
    """Body, heading and title styles of a figure set in ``fontsize`` points, the same
    steps in every figure: headings half a point larger, titles two, both bold."""
    return TextStyle(fontsize), TextStyle(fontsize + 0.5, "bold"), TextStyle(fontsize + 2.0, "bold")


def new_figure(width_in: float, height_in: float, dpi: int = SCREEN_DPI) -> Figure:
    """Create a figure drawn by Agg, outside pyplot (no display, no global state)."""
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def renderer_of(fig: Figure) -> RendererBase:
    """Return a renderer for ``fig``, attaching an Agg canvas if it has none."""
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        canvas = FigureCanvasAgg(fig)
    renderer: RendererBase = canvas.get_renderer()
    return renderer


class TextMeasurer:
    """Measure and wrap text in inches, as figures on screen and in print draw it.

    Font hinting makes a label a few percent wider at one dpi than at another,
    so each label is measured at every dpi in ``dpis`` (the screen's and the
    300 dpi PNG's) and the largest extent wins.
    """

    def __init__(self, dpis: tuple[int, ...] = (SCREEN_DPI, PRINT_DPI)) -> None:
        self.dpis = dpis
        self._probes = []
        for dpi in dpis:
            fig = new_figure(4.0, 4.0, dpi)
            probe = fig.text(0, 0, "", va="top", ha="left", linespacing=LINESPACING)
            self._probes.append((probe, renderer_of(fig), dpi))
        self._cache: dict[tuple[str, TextStyle], tuple[float, float]] = {}

    def size(self, text: str, style: TextStyle) -> tuple[float, float]:
        """Return the ``(width, height)`` in inches of ``text`` drawn in ``style``."""
        key = (text, style)
        if key not in self._cache:
            width = height = 0.0
            for probe, renderer, dpi in self._probes:
                probe.set_text(text)
                probe.set_fontsize(style.size)
                probe.set_fontweight(style.weight)
                box = probe.get_window_extent(renderer)
                width, height = max(width, box.width / dpi), max(height, box.height / dpi)
            self._cache[key] = (width, height)
        return self._cache[key]

    def line_height(self, style: TextStyle) -> float:
        """Height in inches of one line of text (with ascenders and descenders)."""
        return self.size("Ag", style)[1]

    def wrap(self, text: str, width_in: float, style: TextStyle) -> str:
        """Break ``text`` into lines that each fit ``width_in`` inches.

        Lines break at ordinary spaces (a no-break space keeps two words
        together, as in ``"secrets\u00a0(n=3)"``); only when a word cannot fit alone is it
        broken at its hyphens, and then anywhere. The result is the widest
        wrapping (fewest lines) ``textwrap`` finds that fits.
        """
        text = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()
        budget = width_in * WIDTH_SLACK
        if not text or self.size(text, style)[0] <= budget:
            return text
        # An average glyph is about half an em wide; start a little wider and narrow.
        start = max(1, int(budget * 72 / (style.size * 0.42)))
        for breaking in (False, True):
            for chars in range(start, 0, -1):
                lines = textwrap.wrap(
                    text, chars, break_long_words=breaking, break_on_hyphens=breaking
                )
                if all(self.size(line, style)[0] <= budget for line in lines):
                    return "\n".join(lines)
        return "\n".join(textwrap.wrap(text, 1, break_long_words=True))

    def block(self, text: str, width_in: float, style: TextStyle) -> tuple[str, float, float]:
        """Wrap ``text`` to ``width_in`` and return it with its width and height in inches."""
        wrapped = self.wrap(text, width_in, style)
        width, height = self.size(wrapped, style) if wrapped else (0.0, 0.0)
        return wrapped, width, height


def with_count(label: str, count: object) -> str:
    """``label (n=count)``, the count kept on the same line as the label's last word."""
    return f"{label}\u00a0(n={count})"


def _drawn_texts(fig: Figure) -> list[tuple[str, Bbox]]:
    fig.draw_without_rendering()
    renderer = renderer_of(fig)
    boxes = []
    for artist in fig.findobj(Text):
        if not isinstance(artist, Text) or not artist.get_visible():
            continue
        if not artist.get_text().strip():
            continue
        boxes.append((artist.get_text(), artist.get_window_extent(renderer)))
    return boxes


def text_overlaps(fig: Figure, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Return the pairs of visible texts whose drawn boxes overlap.

    Boxes that only touch (by at most ``tolerance_px`` pixels) do not count.
    """
    found = []
    for (a, box_a), (b, box_b) in combinations(_drawn_texts(fig), 2):
        overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if overlap_x > tolerance_px and overlap_y > tolerance_px:
            found.append((a, b))
    return found


def text_outside(fig: Figure, tolerance_px: float = 0.5) -> list[str]:
    """Return the visible texts whose drawn box leaves the figure."""
    frame = fig.bbox
    return [
        text
        for text, box in _drawn_texts(fig)
        if box.x0 < frame.x0 - tolerance_px
        or box.y0 < frame.y0 - tolerance_px
        or box.x1 > frame.x1 + tolerance_px
        or box.y1 > frame.y1 + tolerance_px
    ]

# SPDX-License-Identifier: MIT
"""Check a finished figure's text: overlaps, escapes, split words, leading, headers.

The figures are set line by line (``text.Typesetter``) and drawn one artist per
line (``sheet.Sheet``), each line's id naming its role, label and line number
(``item-12-0``). These checks read the drawn figure back, with matplotlib's
renderer, so they judge what a reader sees: the tests call them on every
figure, and users can call them on theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations, pairwise

from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

SCREEN_DPI = 100
_GID = re.compile(r"^([a-z]+)-(\d+)-(\d+)$")


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


@dataclass(frozen=True)
class DrawnLine:
    """One drawn line of text: its role, label and line number, and where it sits.

    ``baseline`` and ``x`` are in inches from the figure's top-left corner.
    """

    text: str
    role: str
    label: int
    number: int
    x: float
    baseline: float
    size: float


def text_lines(fig: Figure) -> list[DrawnLine]:
    """The lines of text a cartography figure draws, in drawing order."""
    height = fig.get_figheight()
    found = []
    for artist in fig.texts:
        match = _GID.match(artist.get_gid() or "")
        if not match or not artist.get_text():
            continue
        x, y = artist.get_position()
        found.append(
            DrawnLine(
                artist.get_text(),
                match.group(1),
                int(match.group(2)),
                int(match.group(3)),
                float(x),
                round(height - float(y), 6),
                float(artist.get_fontsize()),
            )
        )
    return found


def split_words(
    fig: Figure, vocabulary: Iterable[str], roles: Iterable[str] | None = None
) -> list[str]:
    """Return the drawn words that are not words of ``vocabulary`` (a text broken mid-word).

    ``vocabulary`` is every text the figure was asked to show (code names, headings,
    counts); any word of a drawn line (of the given ``roles``, default all) that is
    none of their words is a fragment.
    """
    known = {word for text in vocabulary for word in text.split()}
    chosen = None if roles is None else set(roles)
    return [
        word
        for line in text_lines(fig)
        if chosen is None or line.role in chosen
        for word in line.text.split()
        if word not in known
    ]


def uneven_leading(fig: Figure, tolerance: float = 1e-4) -> list[str]:
    """Return the labels whose lines are not one baseline step apart.

    Within a figure every wrapped label of one type size steps down by the same
    leading; a label stepping otherwise is named with its steps in points.
    """
    labels: dict[int, list[DrawnLine]] = {}
    for line in text_lines(fig):
        labels.setdefault(line.label, []).append(line)
    steps: dict[float, set[float]] = {}
    bad = []
    for lines in labels.values():
        lines.sort(key=lambda line: line.number)
        for above, below in pairwise(lines):
            step = below.baseline - above.baseline
            steps.setdefault(above.size, set()).add(round(step, 4))
            if abs(below.x - above.x) > tolerance:
                bad.append(f"{below.text!r} does not line up under {above.text!r}")
    for size, found in steps.items():
        if max(found) - min(found) > tolerance:
            bad.append(f"{size} pt lines step by {sorted(round(s * 72, 2) for s in found)} pt")
    return bad


def off_baseline(fig: Figure, role: str = "col", tolerance: float = 1e-4) -> list[str]:
    """Return the first lines of ``role`` labels (column headers) off their shared baseline."""
    firsts = [line for line in text_lines(fig) if line.role == role and line.number == 0]
    if not firsts:
        return []
    baseline = min(line.baseline for line in firsts)
    return [line.text for line in firsts if line.baseline - baseline > tolerance]


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
    boxes = sorted(_drawn_texts(fig), key=lambda item: item[1].y0)
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
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

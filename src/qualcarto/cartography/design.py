# SPDX-License-Identifier: MIT
"""What every cartography figure shares: type, spacing, the support bar, title and caption.

One body size for the whole set, a title two points larger, headings half a point
larger and bold; every line sits on a baseline grid of ``leading`` steps (half
steps between items). Support is a bar on one scale, 0 to the number of
interviews of the study, in every figure that shows it, and the caption line
says which layer, codebook version and study the figure was drawn from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcarto.cartography.palette import INK, MUTED_INK, RULE, TRACK
from qualcarto.cartography.sheet import Sheet
from qualcarto.cartography.text import TextStyle, Typesetter

PAPER_WIDTH = 7.0  # inches: the text width of a two-column page
PAGE_HEIGHT = 9.0  # inches: the text height of that page
BODY_PT = 7.5
MIN_BODY_PT = 7.0


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the layer, the codebook version and the study's size.

    ``coders=None`` means every coder's codings; ``interviews`` (the study's N) is
    the end of the support scale; ``projects`` the number of projects studied.
    """

    coders: tuple[str, ...] | None = None
    codebook_version: int | None = None
    interviews: int | None = None
    projects: int | None = None
    codebook: str = ""

    def layer(self) -> str:
        """The coders counted, as a reader reads them."""
        return ", ".join(self.coders) if self.coders else "all coders"

    def caption(self) -> str:
        """One line naming the layer, the codebook version and the study (``N = ...``)."""
        parts = [f"Layer: {self.layer()}"]
        if self.codebook_version is not None:
            parts.append(f"codebook version {self.codebook_version}")
        study = []
        if self.interviews is not None:
            study.append(f"{self.interviews} interviews")
        if self.projects is not None:
            study.append(f"{self.projects} projects")
        if study:
            parts.append("N = " + ", ".join(study))
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready provenance."""
        return {
            "coders": list(self.coders) if self.coders is not None else None,
            "codebook": self.codebook,
            "codebook_version": self.codebook_version,
            "interviews": self.interviews,
            "projects": self.projects,
        }


@dataclass(frozen=True)
class Design:
    """Type and spacing of a figure set; lengths in inches."""

    width: float = PAPER_WIDTH
    body: float = BODY_PT
    margin: float = 0.12
    gutter: float = 0.14
    bar: float = 0.26  # length of the support bar at the top of the scale
    bar_gap: float = 0.06
    marker_pt: float = 5.0
    no_break: Sequence[str] = field(default_factory=tuple)
    # Readable names of facets for titles: {"collab_type": "collaboration type"}.
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> TextStyle:
        """Body text."""
        return TextStyle(self.body)

    @property
    def muted(self) -> TextStyle:
        """Notes such as "none reported"."""
        return TextStyle(self.body, style="italic")

    @property
    def head(self) -> TextStyle:
        """Column, row and group headings."""
        return TextStyle(self.body + 0.5, "bold")

    @property
    def title(self) -> TextStyle:
        """The figure's title."""
        return TextStyle(self.body + 2.5, "bold")

    @property
    def caption(self) -> TextStyle:
        """The key and provenance lines under the figure (never below 7 pt)."""
        return TextStyle(max(MIN_BODY_PT, self.body - 0.5))

    @property
    def leading(self) -> float:
        """The baseline step of body lines."""
        return Typesetter.leading(self.text)

    def setter(self) -> Typesetter:
        """A typesetter keeping the design's no-break names together."""
        return Typesetter(self.no_break)


def ascent(style: TextStyle) -> float:
    """Distance from the top of a text block to its first baseline, in inches."""
    return style.size * 0.95 / 72


def support_bar(
    sheet: Sheet, x: float, baseline: float, value: int, scale: int, design: Design, color: str
) -> None:
    """Draw ``value`` on the 0-``scale`` support bar left of a label's first line."""
    height = design.body * 0.42 / 72
    top = baseline - design.body * 0.62 / 72
    sheet.rect(x, top, design.bar, height, TRACK)
    share = min(1.0, value / scale) if scale else 0.0
    sheet.rect(x, top, design.bar * share, height, color)


def draw_title(sheet: Sheet, setter: Typesetter, top: float, title: str, design: Design) -> float:
    """Set ``title`` across the figure from ``top``; return where the content starts."""
    if not title:
        return top
    style = design.title
    lines = setter.lines(title, design.width - 2 * design.margin, style)
    step = 1.5 * design.leading
    sheet.lines(design.margin, top + ascent(style), lines, style, step, "title")
    return top + ascent(style) + (len(lines) - 1) * step + design.leading


def draw_caption(
    sheet: Sheet, setter: Typesetter, top: float, texts: Sequence[str], design: Design
) -> float:
    """Set the key and provenance lines under a rule from ``top``; return the bottom."""
    inner = design.width - 2 * design.margin
    sheet.line([design.margin, design.margin + inner], [top, top], RULE, 0.5)
    style = design.caption
    leading = Typesetter.leading(style)
    baseline = top + leading
    for text in texts:
        if not text:
            continue
        lines = setter.lines(text, inner, style, balance=False)
        sheet.lines(design.margin, baseline, lines, style, leading, "caption", color=MUTED_INK)
        baseline += len(lines) * leading
    return baseline - leading + style.size * 0.3 / 72


def draw_note(
    sheet: Sheet,
    setter: Typesetter,
    x: float,
    baseline: float,
    text: str,
    width: float,
    design: Design,
) -> int:
    """Set a muted note (``none reported``) at ``baseline``; return its number of lines."""
    lines = setter.lines(text, width, design.muted)
    sheet.lines(x, baseline, lines, design.muted, design.leading, "note", color=MUTED_INK)
    return len(lines)


__all__ = ["BODY_PT", "INK", "PAGE_HEIGHT", "PAPER_WIDTH", "Design", "Provenance"]

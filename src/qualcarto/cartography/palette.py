# SPDX-License-Identifier: MIT
"""Colourblind-safe styles for the split values of a cartography figure.

The split facet (``polarity`` in the study: on-ramp, challenge) is drawn with a
colour *and* a marker, so that the figures read in greyscale and for readers
with any common colour-vision deficiency. Styles are assigned by the position
of a value in the facet's declared vocabulary, never by its name: the first
declared value gets the first style, and so on.

Colours are the Okabe-Ito palette (Okabe & Ito, 2008, "Color Universal Design").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

# Dark enough to sit on white paper as marker fills; yellow is last because it
# is hard to see on white.
SPLIT_COLORS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)
SPLIT_MARKERS: tuple[str, ...] = ("^", "o", "s", "D", "v", "P", "X", "*")

INK = "#222222"
MUTED_INK = "#555555"
RULE = "#B5B5B5"
TRACK = "#E4E4E4"  # the empty part of a support bar
UNSPLIT_COLOR = "#666666"
UNSPLIT_MARKER = "s"


@dataclass(frozen=True)
class SplitStyle:
    """How one split value is drawn: its label, colour and marker."""

    value: str
    color: str
    marker: str


def split_styles(order: Sequence[str]) -> dict[str, SplitStyle]:
    """Map each split value to a style by its position in the declared order.

    >>> styles = split_styles(["on-ramp", "challenge"])
    >>> styles["on-ramp"].marker, styles["challenge"].color
    ('^', '#D55E00')
    """
    if len(order) > len(SPLIT_COLORS):
        raise ValueError(
            f"at most {len(SPLIT_COLORS)} split values can be told apart, got {len(order)}"
        )
    return {
        value: SplitStyle(value, SPLIT_COLORS[i], SPLIT_MARKERS[i]) for i, value in enumerate(order)
    }


def style_for(styles: dict[str, SplitStyle], value: str | None) -> SplitStyle:
    """Return the style of a split value, or a neutral grey square when it has none."""
    if value is not None and value in styles:
        return styles[value]
    return SplitStyle(value or "", UNSPLIT_COLOR, UNSPLIT_MARKER)


# Triangles and diamonds look smaller than circles and squares of the same size.
_OPTICAL_SCALE = {"^": 1.2, "v": 1.2, "D": 0.9, "*": 1.3}


def marker_size(marker: str, size: float) -> float:
    """Size in points at which ``marker`` looks as large as a circle of ``size``."""
    return size * _OPTICAL_SCALE.get(marker, 1.0)

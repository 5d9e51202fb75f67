# SPDX-License-Identifier: MIT
"""A figure planned in inches from its top-left corner, drawn once its height is known.

The renderers measure every label first and only then know how tall the
figure must be. ``Sheet`` records what to draw with coordinates measured down
from the top edge and turns the plan into a matplotlib ``Figure`` of the final
size, so no label is placed before its room is known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from qualcarto.cartography.layout import (
    LINESPACING,
    TextMeasurer,
    TextStyle,
    new_figure,
    renderer_of,
)
from qualcarto.cartography.palette import INK
from qualcarto.cartography.palette import marker_size as scaled_marker

Draw = Callable[[Figure, float], None]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a marker in a colour, and its label."""

    label: str
    color: str
    marker: str


def _legend(
    fig: Figure,
    entries: Sequence[LegendEntry],
    title: str,
    style: TextStyle,
    marker_size: float,
    anchor: tuple[float, float],
    ncols: int,
) -> Legend:
    handles = [
        Line2D(
            [],
            [],
            color=e.color,
            marker=e.marker,
            linestyle="none",
            markersize=scaled_marker(e.marker, marker_size),
        )
        for e in entries
    ]
    return fig.legend(
        handles,
        [e.label for e in entries],
        loc="upper left",
        bbox_to_anchor=anchor,
        bbox_transform=fig.dpi_scale_trans,
        frameon=False,
        ncols=ncols,
        fontsize=style.size,
        title=title or None,
        title_fontsize=style.size,
        alignment="left",
        borderaxespad=0.0,
        borderpad=0.0,
        handletextpad=0.3,
        columnspacing=1.2,
    )


def legend_size(
    entries: Sequence[LegendEntry],
    title: str,
    style: TextStyle,
    marker_size: float,
    max_width: float,
) -> tuple[float, float, int]:
    """Return ``(width, height, ncols)`` in inches of the widest legend that fits."""
    for ncols in range(max(1, len(entries)), 0, -1):
        fig = new_figure(max_width + 1.0, 4.0)
        legend = _legend(fig, entries, title, style, marker_size, (0.0, 4.0), ncols)
        box = legend.get_window_extent(renderer_of(fig))
        width, height = box.width / fig.dpi, box.height / fig.dpi
        if width <= max_width or ncols == 1:
            return width, height, ncols
    raise AssertionError("unreachable")


@dataclass
class Sheet:
    """Drawing operations in inches measured from the top-left corner."""

    width: float
    ops: list[Draw] = field(default_factory=list)

    def text(
        self,
        x: float,
        top: float,
        text: str,
        style: TextStyle,
        ha: str = "left",
        color: str = INK,
    ) -> None:
        """Draw ``text`` with its top edge at ``top`` and its ``ha`` edge at ``x``."""

        def draw(fig: Figure, height: float) -> None:
            fig.text(
                x,
                height - top,
                text,
                transform=fig.dpi_scale_trans,
                fontsize=style.size,
                fontweight=style.weight,
                ha=ha,
                va="top",
                color=color,
                linespacing=LINESPACING,
            )

        if text:
            self.ops.append(draw)

    def paragraph(
        self,
        measurer: TextMeasurer,
        x: float,
        top: float,
        text: str,
        width: float,
        style: TextStyle,
    ) -> float:
        """Wrap ``text`` to ``width`` inches, draw it from ``(x, top)``; return its height."""
        wrapped, _, height = measurer.block(text, width, style)
        self.text(x, top, wrapped, style)
        return height

    def rect(
        self,
        x: float,
        top: float,
        w: float,
        h: float,
        fill: str | None,
        edge: str | None = None,
        lw: float = 0.5,
        rounded: bool = False,
    ) -> None:
        """Draw a rectangle whose top-left corner is at ``(x, top)``."""

        def draw(fig: Figure, height: float) -> None:
            common: dict[str, Any] = {
                "transform": fig.dpi_scale_trans,
                "facecolor": fill or "none",
                "edgecolor": edge or "none",
                "linewidth": lw,
                "zorder": 1,
            }
            if rounded:
                patch = FancyBboxPatch(
                    (x, height - top - h), w, h, boxstyle="round,pad=0,rounding_size=0.04", **common
                )
                fig.add_artist(patch)
            else:
                fig.add_artist(Rectangle((x, height - top - h), w, h, **common))

        self.ops.append(draw)

    def line(self, xs: Sequence[float], tops: Sequence[float], color: str, lw: float = 0.5) -> None:
        """Draw a polyline through points given as ``x`` and distance from the top."""

        def draw(fig: Figure, height: float) -> None:
            fig.add_artist(
                Line2D(
                    list(xs),
                    [height - t for t in tops],
                    color=color,
                    linewidth=lw,
                    transform=fig.dpi_scale_trans,
                    zorder=2,
                    solid_capstyle="butt",
                )
            )

        self.ops.append(draw)

    def marker(self, x: float, top: float, color: str, marker: str, size: float) -> None:
        """Draw one marker centred at ``(x, top)``; ``size`` is in points."""

        def draw(fig: Figure, height: float) -> None:
            fig.add_artist(
                Line2D(
                    [x],
                    [height - top],
                    color=color,
                    marker=marker,
                    markersize=size,
                    markeredgewidth=0.4,
                    markeredgecolor="white",
                    linestyle="none",
                    transform=fig.dpi_scale_trans,
                    zorder=3,
                )
            )

        self.ops.append(draw)

    def legend(
        self,
        x: float,
        top: float,
        entries: Sequence[LegendEntry],
        title: str,
        style: TextStyle,
        marker_size: float,
        ncols: int,
    ) -> None:
        """Draw a legend whose top-left corner is at ``(x, top)``."""

        def draw(fig: Figure, height: float) -> None:
            _legend(fig, entries, title, style, marker_size, (x, height - top), ncols)

        self.ops.append(draw)

    def figure(self, height: float, title: str = "") -> Figure:
        """Draw the plan on a new figure ``height`` inches tall."""
        fig = new_figure(self.width, height)
        for op in self.ops:
            op(fig, height)
        if title:
            fig.set_label(title)
        return fig

# SPDX-License-Identifier: MIT
"""A figure planned in inches from its top-left corner, drawn once its height is known.

The renderers set every label first and only then know how tall the figure
must be. ``Sheet`` records what to draw with coordinates measured down from
the top edge and turns the plan into a matplotlib ``Figure`` of the final
size. Text is drawn one line per artist at an exact baseline, so the leading
is the grid's and not the font's; each line carries an id (``gid``) naming its
role, its label and its line number (``item-12-0``), which the layout checks
and the app's hover notes read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from qualcarto.cartography.layout import new_figure
from qualcarto.cartography.palette import INK
from qualcarto.cartography.text import TextStyle

Draw = Callable[[Figure, float], None]


@dataclass
class Sheet:
    """Drawing operations in inches measured from the top-left corner."""

    width: float
    ops: list[Draw] = field(default_factory=list)
    labels: int = 0
    # The id prefix of a label's lines (``code-12-``) -> the code it shows.
    tips: dict[str, object] = field(default_factory=dict)

    def new_label(self) -> int:
        """A fresh label number, shared by the lines of one label."""
        self.labels += 1
        return self.labels

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: TextStyle,
        gid: str,
        ha: str = "left",
        color: str = INK,
    ) -> None:
        """Draw one line of ``text`` on ``baseline`` with its ``ha`` edge at ``x``."""

        def draw(fig: Figure, height: float) -> None:
            artist = fig.text(
                x,
                height - baseline,
                text,
                transform=fig.dpi_scale_trans,
                fontsize=style.size,
                fontweight=style.weight,
                fontstyle=style.style,
                ha=ha,
                va="baseline",
                color=color,
                parse_math=False,
            )
            artist.set_gid(gid)

        if text:
            self.ops.append(draw)

    def lines(
        self,
        x: float,
        baseline: float,
        lines: Sequence[str],
        style: TextStyle,
        leading: float,
        role: str,
        ha: str = "left",
        color: str = INK,
    ) -> int:
        """Draw a label's ``lines`` from ``baseline`` down, one ``leading`` apart.

        Returns the label number used in the lines' ids (``<role>-<label>-<line>``).
        """
        label = self.new_label()
        for number, line in enumerate(lines):
            self.text(
                x, baseline + number * leading, line, style, f"{role}-{label}-{number}", ha, color
            )
        return label

    def rect(self, x: float, top: float, w: float, h: float, fill: str) -> None:
        """Fill a rectangle whose top-left corner is at ``(x, top)``."""

        def draw(fig: Figure, height: float) -> None:
            fig.add_artist(
                Rectangle(
                    (x, height - top - h),
                    w,
                    h,
                    transform=fig.dpi_scale_trans,
                    facecolor=fill,
                    edgecolor="none",
                    linewidth=0,
                    zorder=1,
                )
            )

        if w > 0 and h > 0:
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
                    markeredgewidth=0,
                    linestyle="none",
                    transform=fig.dpi_scale_trans,
                    zorder=3,
                )
            )

        self.ops.append(draw)

    def figure(self, height: float, title: str = "") -> Figure:
        """Draw the plan on a new figure ``height`` inches tall."""
        fig = new_figure(self.width, height)
        for op in self.ops:
            op(fig, height)
        if title:
            fig.set_label(title)
        setattr(fig, TIPS_ATTRIBUTE, dict(self.tips))
        return fig


TIPS_ATTRIBUTE = "qualcarto_codes"


def figure_codes(fig: Figure) -> dict[str, object]:
    """The codes a figure shows, by the id prefix of their lines (``code-12-``)."""
    codes: dict[str, object] = getattr(fig, TIPS_ATTRIBUTE, {})
    return codes

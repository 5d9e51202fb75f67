# SPDX-License-Identifier: MIT
"""HTML pieces of the methods appendix: a frame as an escaped table, the discovery curve as SVG.

Pure: frames in, HTML text out; no files and no store.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd


def number_text(value: object) -> str:
    """A cell as text: three decimals at most, '–' when undefined, 'yes' for true, blank."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else ""
    if isinstance(value, float | np.floating):
        return "–" if math.isnan(float(value)) else f"{float(value):.3f}".rstrip("0").rstrip(".")
    if value is None or value is pd.NA:
        return ""
    return str(value)


def table_html(frame: pd.DataFrame, index: bool = False) -> str:
    """A DataFrame as an escaped HTML table (numbers to three decimals, '–' undefined)."""
    shown = frame.reset_index() if index else frame
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(number_text(v))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def curve_svg(discovery: pd.DataFrame, point: float | None, width: int = 640) -> str:
    """The code-discovery curve as an inline SVG: the study's order as a line, the
    random orders' range as a band and their median dashed; the saturation point marked."""
    if discovery.empty:
        return ""
    height, pad = 260, 44
    n = len(discovery)
    top = float(discovery[["codes", "max"]].to_numpy().max()) or 1.0

    def xy(i: float, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i - 1) / max(n - 1, 1)
        return x, height - pad - (height - 2 * pad) * v / top

    def path(values: pd.Series) -> str:
        return " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (xy(i + 1, float(v)) for i, v in enumerate(values.to_numpy()))
        )

    band = path(discovery["max"]) + " " + " ".join(reversed(path(discovery["min"]).split()))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="code discovery curve" '
        'font-family="sans-serif" font-size="11">',
        f'<polygon points="{band}" fill="#c6dbef" stroke="none"/>',
        f'<polyline points="{path(discovery["median"])}" fill="none" stroke="#6baed6" '
        'stroke-dasharray="4 3" stroke-width="1.5"/>',
        f'<polyline points="{path(discovery["codes"])}" fill="none" stroke="#08519c" '
        'stroke-width="2"/>',
    ]
    x0, y0 = xy(1, 0)
    x1, _ = xy(n, 0)
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#333"/>')
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{pad / 2}" stroke="#333"/>')
    step = max(1, n // 10)
    for i in range(1, n + 1, step):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{y0 + 14}" text-anchor="middle">{i}</text>')
    for v in (0, top / 2, top):
        _, y = xy(1, v)
        parts.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    if point is not None and not math.isnan(point):
        x, _ = xy(point, 0)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{pad / 2}" stroke="#d94801" '
            'stroke-dasharray="2 2"/>'
            f'<text x="{x + 4:.1f}" y="{pad / 2 + 10}" fill="#d94801">saturation</text>'
        )
    parts.append(
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">interviews</text>'
        f'<text x="12" y="{height / 2}" transform="rotate(-90 12 {height / 2})" '
        'text-anchor="middle">distinct codes</text></svg>'
    )
    return "".join(parts)

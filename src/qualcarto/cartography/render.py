# SPDX-License-Identifier: MIT
"""Write the cartography to files: figures as SVG, PNG or PDF, the map as JSON.

``save_figure`` and ``write_json`` are the only functions of the cartography
that write files. ``render_all`` draws the requested figures and writes them
with stable names into one folder: ``figure1`` (the grid), one figure per row
value (``figure2-model`` ... in the study), then the motivations and the
organizational models, numbered on from the rows (``figure8``, ``figure9`` in
the study); with ``fmt="json"`` it writes only ``map.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from qualcarto.cartography.grid import CartographyMap, map_to_dict
from qualcarto.cartography.render_grid import figure_grid, figure_row
from qualcarto.cartography.render_tree import figure_motivations, figure_organizations

FIGURE_FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
FORMATS: tuple[str, ...] = (*FIGURE_FORMATS, "json")
PNG_DPI = 300
FIGURE_KINDS: tuple[str, ...] = ("grid", "rows", "motivations", "organizations")
# The CLI's --figure values, after the study's numbering.
FIGURE_ALIASES: dict[str, str] = {
    "1": "grid",
    "2-7": "rows",
    "8": "motivations",
    "9": "organizations",
}

# Type 42 (TrueType) fonts in PDF: publishers reject Type 3. Paths in SVG keep
# the layout exact wherever the file is opened; a fixed hash salt and no dates
# make the files byte-stable between runs.
_NO_DATES: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {},
}


def save_figure(fig: Figure, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``fig`` to ``path`` as ``svg``, ``png`` (300 dpi) or ``pdf``; return the path.

    ``fmt=None`` takes the format from the file's suffix. Parent folders are created.
    """
    target = Path(path)
    chosen = (fmt or target.suffix.lstrip(".")).lower()
    if chosen not in FIGURE_FORMATS:
        raise ValueError(f"figure format must be one of {list(FIGURE_FORMATS)}, got {chosen!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"pdf.fonttype": 42, "svg.fonttype": "path", "svg.hashsalt": "qualcarto"}):
        fig.savefig(target, format=chosen, dpi=PNG_DPI, metadata=_NO_DATES[chosen])
    return target


def write_json(data: CartographyMap | Mapping[str, Any], path: str | Path) -> Path:
    """Write a map (or any JSON-ready mapping) as indented UTF-8 JSON; return the path."""
    payload = map_to_dict(data) if isinstance(data, CartographyMap) else dict(data)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def slug(value: str) -> str:
    """File-name form of a value: ``Non-technical`` -> ``non-technical``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def figure_kinds(figures: str | Iterable[str]) -> list[str]:
    """Resolve a figure selection (``"all"``, ``"1"``, ``"2-7"``, ``"rows"``, ...) to kinds."""
    chosen = [figures] if isinstance(figures, str) else list(figures)
    kinds: list[str] = []
    for item in chosen:
        names = FIGURE_KINDS if item == "all" else (FIGURE_ALIASES.get(item, item),)
        for name in names:
            if name not in FIGURE_KINDS:
                allowed = ["all", *FIGURE_ALIASES, *FIGURE_KINDS]
                raise ValueError(f"unknown figure {item!r}; choose from {allowed}")
            if name not in kinds:
                kinds.append(name)
    return kinds


def render_all(
    m: CartographyMap,
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    participants: pd.DataFrame | None,
    facet_orders: Mapping[str, Sequence[str]],
    out_dir: str | Path,
    fmt: str,
    figures: str | Iterable[str] = "all",
    *,
    titles: Mapping[str, str] | None = None,
    category_facet: str = "category",
    model_column: str = "organizational_model",
    model_facet: str = "org_model",
) -> list[Path]:
    """Draw the selected figures of a study and write them to ``out_dir``; return the paths.

    The motivations and organizations use the coders and minimum support the
    map was built with. ``titles`` maps ``"grid"``, a row value,
    ``"motivations"`` or ``"organizations"`` to a figure title. With
    ``figures="all"`` a figure the data cannot give (no ``category_facet`` in
    the codebook, no participants' models) is skipped with a warning; asked
    for by name, it raises ``ValueError``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    out = Path(out_dir)
    if fmt == "json":
        return [write_json(m, out / "map.json")]
    titles = titles or {}
    kinds = figure_kinds(figures)
    explicit = figures != "all"
    written: list[Path] = []
    number = 1
    if "grid" in kinds:
        fig = figure_grid(m, titles.get("grid"))
        written.append(save_figure(fig, out / f"figure{number}.{fmt}", fmt))
    number += 1
    for row in m.rows:
        if "rows" in kinds:
            fig = figure_row(m, row, titles.get(row))
            name = f"figure{number}-{slug(row) or number}.{fmt}"
            written.append(save_figure(fig, out / name, fmt))
        number += 1

    def unavailable(kind: str, why: str) -> None:
        if explicit:
            raise ValueError(f"cannot draw the {kind} figure: {why}")
        warnings.warn(f"skipping the {kind} figure: {why}", stacklevel=3)

    if "motivations" in kinds:
        if category_facet not in codes.columns or category_facet not in facet_orders:
            unavailable("motivations", f"the codebook declares no {category_facet!r} facet")
        else:
            fig = figure_motivations(
                codes,
                codings,
                facet_orders,
                category_facet,
                titles.get("motivations"),
                m.coders,
                m.min_support,
                m.show_empty,
            )
            written.append(save_figure(fig, out / f"figure{number}.{fmt}", fmt))
    number += 1
    if "organizations" in kinds:
        if participants is None or model_column not in participants.columns:
            unavailable("organizations", f"participants have no {model_column!r} column")
        else:
            fig = figure_organizations(
                codes,
                codings,
                participants,
                model_column,
                facet_orders,
                model_facet,
                titles.get("organizations"),
                m.coders,
            )
            written.append(save_figure(fig, out / f"figure{number}.{fmt}", fmt))
    return written

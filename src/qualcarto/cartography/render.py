# SPDX-License-Identifier: MIT
"""Write the cartography to files: figures as SVG, PNG or PDF, the map as JSON.

``save_figure`` and ``write_json`` are the only functions of the cartography
that write files. ``render_all`` draws the requested figures and writes them
with stable names into one folder: ``figure1`` (the one-page overview, or the
full grid), one figure per row value (``figure2-model`` ... in the study), then
the motivations and the organizational models, numbered on from the rows
(``figure8``, ``figure9`` in the study); with ``fmt="json"`` it writes only
``map.json``, which holds the map, its provenance and Figures 8 and 9 as data.
A figure with nothing to show is not written: a warning says why.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from qualcarto.cartography.design import Design, Provenance
from qualcarto.cartography.grid import CartographyMap, map_to_dict
from qualcarto.cartography.motivations import children, motivation_graph
from qualcarto.cartography.organizations import organization_graph
from qualcarto.cartography.render_grid import figure_grid, figure_overview, figure_row
from qualcarto.cartography.render_tree import draw_motivations, draw_organizations
from qualcarto.cartography.sheet import figure_codes

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

# Type 42 (TrueType) fonts in PDF: publishers reject Type 3. Real text in SVG
# (selectable, searchable, read aloud), set in the font the figure was measured
# with. A fixed hash salt and no dates make the files byte-stable between runs.
_NO_DATES: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {},
}


def save_figure(
    fig: Figure, path: str | Path, fmt: str | None = None, *, text_as_paths: bool = False
) -> Path:
    """Write ``fig`` to ``path`` as ``svg``, ``png`` (300 dpi) or ``pdf``; return the path.

    ``fmt=None`` takes the format from the file's suffix. Parent folders are created.
    SVG keeps its text as ``<text>`` unless ``text_as_paths``; SVG and PDF carry the
    figure's title (its label) as their title.
    """
    target = Path(path)
    chosen = (fmt or target.suffix.lstrip(".")).lower()
    if chosen not in FIGURE_FORMATS:
        raise ValueError(f"figure format must be one of {list(FIGURE_FORMATS)}, got {chosen!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    metadata = dict(_NO_DATES[chosen])
    if fig.get_label() and chosen in ("svg", "pdf"):
        metadata["Title"] = fig.get_label()
    rc: dict[str, Any] = {
        "pdf.fonttype": 42,
        "svg.fonttype": "path" if text_as_paths else "none",
        "svg.hashsalt": "qualcarto",
    }
    with mpl.rc_context(rc):  # type: ignore[arg-type]
        fig.savefig(target, format=chosen, dpi=PNG_DPI, metadata=metadata)
    return target


def svg_text(fig: Figure, notes: Mapping[str, str] | None = None, scale: float = 1.0) -> str:
    """``fig`` as SVG markup with real text, ``scale`` times its size (an inch is 72 pt).

    ``notes`` maps a code id to the note shown on hovering its label (an SVG
    ``<title>``); the note is escaped, so any text is safe.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "qualcarto"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    width, height = fig.get_figwidth() * 72 * scale, fig.get_figheight() * 72 * scale
    size = f'width="{width:.2f}pt" height="{height:.2f}pt"'
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', size, svg, count=1)
    codes = {prefix: str(code) for prefix, code in figure_codes(fig).items()}

    def titled(match: re.Match[str]) -> str:
        code = codes.get(match.group(2))
        if notes is None or code is None or code not in notes:
            return match.group(0)
        return f"{match.group(0)}<title>{html.escape(notes[code])}</title>"

    return re.sub(r'(<g id="((?:code)-\d+-)\d+">)', titled, svg)


def graph_to_dict(graph: nx.DiGraph) -> dict[str, Any]:
    """A tree graph (Figure 8 or 9) as nested JSON-ready data, children in order."""

    def node(name: str) -> dict[str, Any]:
        data = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in graph.nodes[name].items()
            if key != "order"
        }
        data["children"] = [node(child) for child in children(graph, name)]
        return data

    return node(graph.graph["root"])


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


def _empty_note(m: CartographyMap) -> str:
    return (
        f"no code has at least {m.min_support} supporting interview(s)"
        if m.min_support > 1
        else "no code was coded"
    )


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
    draw_titles: bool = True,
    full_grid: bool = False,
    design: Design | None = None,
    provenance: Provenance | None = None,
    category_facet: str = "category",
    model_column: str = "organizational_model",
    model_facet: str = "org_model",
) -> list[Path]:
    """Draw the selected figures of a study and write them to ``out_dir``; return the paths.

    Figure 1 is the one-page overview, or with ``full_grid`` every code in its cell.
    The motivations and organizations use the coders and minimum support the map
    was built with. ``titles`` maps ``"grid"``, a row value, ``"motivations"`` or
    ``"organizations"`` to a figure title; ``draw_titles=False`` draws none (the
    caption line stays). A figure with no code to show is skipped with a warning;
    with ``figures="all"`` so is a figure the data cannot give (no
    ``category_facet`` in the codebook, no participants' models), which raises
    ``ValueError`` when asked for by name.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    out = Path(out_dir)
    kinds = figure_kinds(figures)
    explicit = figures != "all"
    d = design or Design()

    def unavailable(kind: str, why: str) -> None:
        if explicit:
            raise ValueError(f"cannot draw the {kind} figure: {why}")
        warnings.warn(f"skipping the {kind} figure: {why}", stacklevel=3)

    motivations = organizations = None
    if "motivations" in kinds:
        if category_facet not in codes.columns or category_facet not in facet_orders:
            unavailable("motivations", f"the codebook declares no {category_facet!r} facet")
        else:
            motivations = motivation_graph(
                codes, codings, facet_orders, category_facet, m.coders, m.min_support, m.show_empty
            )
    if "organizations" in kinds:
        if participants is None or model_column not in participants.columns:
            unavailable("organizations", f"participants have no {model_column!r} column")
        else:
            organizations = organization_graph(
                codes, codings, participants, model_column, facet_orders, model_facet, m.coders
            )
    if fmt == "json":
        payload: dict[str, Any] = {"provenance": _provenance_dict(m, provenance), **map_to_dict(m)}
        if motivations is not None:
            payload["motivations"] = graph_to_dict(motivations)
        if organizations is not None:
            payload["organizations"] = graph_to_dict(organizations)
        return [write_json(payload, out / "map.json")]

    given = titles or {}

    def title(key: str) -> str | None:
        return given.get(key) if draw_titles else ""

    written: list[Path] = []

    def save(fig: Figure, name: str) -> None:
        written.append(save_figure(fig, out / f"{name}.{fmt}", fmt))

    number = 1
    if "grid" in kinds:
        if not m.codes():
            warnings.warn(f"skipping figure {number}: {_empty_note(m)}", stacklevel=2)
        else:
            draw = figure_grid if full_grid else figure_overview
            save(draw(m, title("grid"), d, provenance), f"figure{number}")
    number += 1
    for row in m.rows:
        name = f"figure{number}-{slug(row) or number}"
        if "rows" in kinds:
            if not any(cell.codes for cell in m.row_cells(row)):
                warnings.warn(f"skipping {name}: {_empty_note(m)} in row {row!r}", stacklevel=2)
            else:
                save(figure_row(m, row, title(row), d, provenance), name)
        number += 1
    if motivations is not None:
        if len(motivations) <= 1 + len(children(motivations, motivations.graph["root"])):
            warnings.warn(f"skipping figure {number}: {_empty_note(m)}", stacklevel=2)
        else:
            save(
                draw_motivations(motivations, title("motivations"), d, provenance),
                f"figure{number}",
            )
    number += 1
    if organizations is not None:
        if len(organizations) <= 1:
            warnings.warn(f"skipping figure {number}: no participant has a model", stacklevel=2)
        else:
            fig = draw_organizations(organizations, title("organizations"), d, provenance)
            save(fig, f"figure{number}")
    return written


def _provenance_dict(m: CartographyMap, provenance: Provenance | None) -> dict[str, Any]:
    known = (provenance or Provenance(coders=m.coders)).to_dict()
    return {
        **known,
        "rows": m.row_facet,
        "cols": m.col_facet,
        "split": m.split_facet,
        "min_support": m.min_support,
        "show_empty": m.show_empty,
    }

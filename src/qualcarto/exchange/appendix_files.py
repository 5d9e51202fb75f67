# SPDX-License-Identifier: MIT
"""Write the methods appendix to a folder: HTML, PDF, its tables as csv and its figures.

The HTML is ``qualcarto.reports.appendix.appendix_html``; the PDF is that page printed
by headless Chromium through Playwright (Debian's ``/usr/bin/chromium`` unless
``QUALCARTO_CHROMIUM`` names another; Playwright never downloads a browser here). The
cartography figures are the study's Figure 1 as SVG from ``qualcarto.cartography``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from qualcarto.cartography import (
    CartographyData,
    draw_map,
    figure_design,
    render_all,
    resolve_layout,
)
from qualcarto.cartography import provenance as figure_provenance
from qualcarto.errors import InputError, QualcartoError
from qualcarto.exchange.csv_safe import to_csv
from qualcarto.reports.appendix import Appendix, appendix_html, trend_table

CHROMIUM = "/usr/bin/chromium"


def cartography_figures(data: CartographyData, layer: tuple[str, ...], out: Path) -> list[Path]:
    """Figure 1 (the one-page overview) of ``layer``'s codings as SVG in ``out``."""
    layout = resolve_layout(data, None, None, None)
    m = draw_map(data, layout, coders=list(layer))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render_all(
            m,
            data.codes,
            data.codings,
            data.participants,
            data.facet_orders,
            out,
            "svg",
            "1",
            design=figure_design(data),
            provenance=figure_provenance(data, list(layer)),
        )


def appendix_tables(a: Appendix) -> dict[str, pd.DataFrame]:
    """Every table of the appendix by file stem, for csv."""
    tables: dict[str, pd.DataFrame] = {
        "participants": a.participants,
        "codebook-history": a.codebook_history,
        "process-coders": a.coders,
        "process-activity": a.activity,
        "process-reconciliation": a.reconciliation,
        "saturation": a.saturation,
        "discovery": a.discovery,
    }
    if len(a.calibration):
        tables["process-calibration"] = a.calibration
    if a.rounds:
        tables["agreement-rounds"] = trend_table(a.rounds)
    for i, r in enumerate(a.rounds, start=1):
        tables[f"agreement-round{i}-pooled"] = r.pooled
        tables[f"agreement-round{i}-per-code"] = r.per_code
    if a.anatomy is not None:
        tables["anatomy-confusion"] = a.anatomy.confusion.reset_index(names="code")
        tables["anatomy-swaps"] = a.anatomy.swaps
        tables["anatomy-boundaries"] = a.anatomy.boundaries
        tables["anatomy-tendencies"] = a.anatomy.tendencies
        tables["anatomy-concentration"] = a.anatomy.concentration
    return tables


def print_pdf(page: Path, target: Path) -> Path:
    """Print the HTML file ``page`` to ``target`` (A4) with headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise InputError(
            target, "printing a PDF needs Playwright (pip install playwright)"
        ) from exc
    browser_path = os.environ.get("QUALCARTO_CHROMIUM", CHROMIUM)
    if not Path(browser_path).exists():
        raise InputError(browser_path, "no Chromium here to print the PDF (use --no-pdf)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, headless=True)
        try:
            tab = browser.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.pdf(path=str(target), format="A4", print_background=True)
        finally:
            browser.close()
    return target


def write_appendix(
    a: Appendix,
    cartography: CartographyData | None,
    out: Path,
    *,
    pdf: bool = True,
    name: str = "appendix",
) -> tuple[Appendix, list[Path]]:
    """Write the appendix into ``out``; returns it with its figures, and the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    figures: list[Path] = []
    note = ""
    if cartography is not None and a.cartography_layer:
        try:
            figures = cartography_figures(cartography, a.cartography_layer, out / "figures")
        except (ValueError, QualcartoError) as exc:  # a codebook without a usable layout
            note = str(exc)
        written += figures
    a = Appendix(
        **{
            **a.__dict__,
            "figures": tuple(str(p.relative_to(out)) for p in figures),
            "cartography_note": note,
        }
    )
    for stem, frame in appendix_tables(a).items():
        target = out / "tables" / f"{stem}.csv"
        to_csv(frame, target)
        written.append(target)
    page = out / f"{name}.html"
    page.write_text(appendix_html(a), encoding="utf-8")
    written.append(page)
    if pdf:
        written.append(print_pdf(page, out / f"{name}.pdf"))
    return a, written


__all__ = ["appendix_tables", "cartography_figures", "print_pdf", "write_appendix"]

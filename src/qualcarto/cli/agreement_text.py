# SPDX-License-Identifier: MIT
"""The agreement report as text for a terminal: aligned columns that fit its width.

``qualcarto agreement`` prints these; csv, JSON and xlsx carry every column. A table
wider than the terminal leaves out, in this order, facet columns, the code name, the
segment counts and the intervals, and says which; the key and the coefficients stay.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pandas as pd

from qualcarto import __version__
from qualcarto.wording import counted

DASH = "–"
CITE = (
    "How to cite: qualcarto {version}; formulas, sources and a sentence for a methods "
    "section in docs/agreement.md"
)
LABELS = {
    "percent_agreement": "agree",
    "cohen_kappa": "kappa",
    "krippendorff_alpha": "alpha",
    "fleiss_kappa": "Fleiss",
    "brennan_prediger": "BP kappa",
    "unitized_alpha": "u-alpha",
}
LEGEND = {
    "agree": "agree = share of agreement",
    "kappa": "kappa = Cohen's kappa",
    "alpha": "alpha = Krippendorff's alpha (nominal)",
    "Fleiss": "Fleiss = Fleiss' kappa",
    "BP kappa": "BP kappa = Brennan-Prediger kappa, K = number of codes",
    "u-alpha": "u-alpha = Krippendorff's unitizing alpha",
}
FLAG = "flagged"  # agreement_data.FLAG_COLUMN (that module is imported only when run)
# Raw columns the terminal table leaves out (they are in csv and json).
HIDDEN = ("units", "transcript_id")


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return DASH
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _short(text: Any, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def table_text(
    frame: pd.DataFrame,
    coders: tuple[str, ...],
    header: list[str],
    unit: str,
    facets: tuple[str, ...] = (),
    width: int | None = None,
) -> str:
    """The readable table: 3 decimals, '–' for undefined, intervals as 'low–high'.

    With ``width``, columns are left out (see the module docstring) until the table fits.
    """
    shown = frame.drop(columns=[c for c in HIDDEN if c in frame.columns])
    for facet in [f for f in facets if f in shown]:
        shown[facet] = shown[facet].map(lambda v: "" if pd.isna(v) else _short(v, 24))
    if FLAG in shown:
        shown[FLAG] = shown.pop(FLAG).map({True: "below", False: ""})
    notes = []
    if unit == "segment" and "cohen_kappa" in shown and shown["cohen_kappa"].isna().all():
        shown = shown.drop(columns="cohen_kappa")
        notes.append(
            "Cohen's kappa is not reported at segment level: no count exists of segments "
            "that neither coder coded."
        )
    if "name" in shown:
        shown["name"] = shown["name"].map(lambda n: _short(n, 40))
    for low in [c for c in shown.columns if c.endswith("_ci_low")]:
        measure = low.removesuffix("_ci_low")
        high = shown.pop(f"{measure}_ci_high")
        shown[low] = [
            DASH if pd.isna(a) else f"{a:.3f}–{b:.3f}"
            for a, b in zip(shown[low], high, strict=True)
        ]
        shown = shown.rename(columns={low: f"{LABELS.get(measure, measure)} 95% CI"})
    undefined = bool(shown.select_dtypes("number").isna().to_numpy().any())
    labels = {c: _label(c, coders) for c in shown.columns}
    shown = shown.rename(columns=labels)
    left_out: list[str] = []
    if width is not None and len(shown):
        droppable = [labels[f] for f in reversed(facets) if f in labels]
        droppable += [labels["name"]] if "name" in labels else []
        droppable += [c for c in shown.columns if c.startswith(("segs ", "matched ", "coded "))]
        droppable += [c for c in shown.columns if c.endswith("95% CI")]
        shown, left_out = fit_columns(shown, width, droppable)
    body = _aligned(shown) if len(shown) else "(no rows)"
    above = [f"Intercoder agreement (qualcarto {__version__})", *header]
    if len(coders) == 2:
        above.append(f"a = {coders[0]}, b = {coders[1]}")
    above.append("; ".join(LEGEND[label] for label in LEGEND if label in labels.values()))
    if left_out:
        notes.append(
            f"Left out to fit {width} characters: {', '.join(left_out)} "
            "(--wide shows every column; --format csv writes them all)."
        )
    if undefined:
        notes.append(
            f"{DASH} = undefined for these data: chance agreement is 1 or expected "
            "disagreement is 0 (e.g. both coders used the code in every transcript), or "
            "nothing to compare."
        )
    below = [*notes, CITE.format(version=__version__)]
    if width is not None:
        above, below = _wrapped(above, width), _wrapped(below, width)
    return "\n".join([*above, "", body, "", *below, ""])


def _wrapped(lines: list[str], width: int) -> list[str]:
    """Prose lines broken at spaces to ``width``, continuations indented by two."""
    return [
        piece
        for line in lines
        for piece in textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False)
        or [""]
    ]


def fit_columns(
    frame: pd.DataFrame, width: int, droppable: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Leave out ``droppable`` columns, in order, until the aligned table fits ``width``.

    The code name is first narrowed (to 20 characters at least) before it goes. Returns
    the narrower frame and the columns left out.
    """
    left_out: list[str] = []
    for column in droppable:
        excess = _table_width(frame) - width
        if excess <= 0:
            break
        if column == "name":
            longest = int(frame["name"].map(lambda n: len(str(n))).max())
            narrow = longest - excess
            if narrow >= 20:
                frame = frame.assign(name=[_short(n, narrow) for n in frame["name"]])
                break
        frame = frame.drop(columns=column)
        left_out.append(column)
    return frame, left_out


def _table_width(frame: pd.DataFrame) -> int:
    cells = frame.map(_cell)
    widths = [max(len(str(name)), *(len(v) for v in cells[name])) for name in frame.columns]
    return sum(widths) + 2 * (len(widths) - 1)


def _aligned(frame: pd.DataFrame) -> str:
    """Text columns left-aligned, numbers right-aligned, two spaces between columns."""
    cells = frame.map(_cell)
    lines = []
    columns = []
    for name in frame.columns:
        values = [str(name), *cells[name]]
        width = max(len(v) for v in values)
        numeric = pd.api.types.is_numeric_dtype(frame[name]) or name.endswith("95% CI")
        columns.append([v.rjust(width) if numeric else v.ljust(width) for v in values])
    for row in zip(*columns, strict=True):
        lines.append("  ".join(row).rstrip())
    return "\n".join(lines)


def _label(column: str, coders: tuple[str, ...]) -> str:
    for stem, short in (("segments_", "segs "), ("matched_", "matched "), ("coded_", "coded ")):
        if column.startswith(stem):
            return short + column.removeprefix(stem)
    return LABELS.get(column, column.replace("_", " "))


def disagreement_text(frame: pd.DataFrame, header: list[str]) -> str:
    """Each unmatched segment with its excerpt and the other coder's nearest excerpt."""
    lines = [f"Disagreements (qualcarto {__version__})", *header]
    lines += [f"{counted(len(frame), 'segment')} without a match by another coder", ""]
    for row in frame.to_dict("records"):
        lines.append(f"{row['transcript']} · {row['code_id']} ({_short(row['name'], 60)})")
        lines.append(f"  {row['coder']} [{row['start']}, {row['end']}): {_short(row['text'], 200)}")
        if pd.isna(row["other_start"]):
            lines.append(f"  {row['other_coder']}: coded none of it with this code")
        else:
            lines.append(
                f"  {row['other_coder']} [{row['other_start']}, {row['other_end']}) "
                f"({row['other_overlap']:.0%} of the longer): {_short(row['other_text'], 200)}"
            )
    lines += ["", CITE.format(version=__version__), ""]
    return "\n".join(lines)

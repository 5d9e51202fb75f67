# SPDX-License-Identifier: MIT
"""``qualcarto agreement``: the intercoder agreement report, as a table, csv, JSON or xlsx.

The command gathers the codings through ``qualcarto.agreement_data`` and prints one of
its tables; every figure comes from ``qualcarto.agreement``. What was measured (coders,
unit, overlap rule, codebook versions) is stamped on every output.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click
import pandas as pd

from qualcarto import __version__
from qualcarto.cli import store_session

BY_CHOICES = ("code", "transcript", "transcript-code", "pair")
FORMAT_CHOICES = ("table", "csv", "json", "xlsx")
FLAG_CHOICES = (
    "auto", "cohen_kappa", "krippendorff_alpha", "fleiss_kappa", "brennan_prediger",
    "unitized_alpha",
)  # fmt: skip
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


@click.command("agreement")
@click.argument("more_coders", nargs=-1, metavar="[CODER]...")
@click.option(
    "--coders", "coders", multiple=True, metavar="A B [C ...]", help="Coders to compare (2+)."
)
@click.option(
    "--unit",
    type=click.Choice(["char", "segment", "document"]),
    default="segment",
    show_default=True,
    help="Unit of analysis (docs/agreement.md, section 2).",
)
@click.option(
    "--overlap",
    type=float,
    default=0.9,
    show_default=True,
    help="Segments match when they share this share of the longer span.",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Resamples of transcripts for 95% intervals per code (0: none; try 1000).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option(
    "--by",
    type=click.Choice(BY_CHOICES),
    default="code",
    show_default=True,
    help="One row per code, per transcript, per transcript and code, or per coder pair.",
)
@click.option("--disagreements", is_flag=True, help="List the segments without a match instead.")
@click.option(
    "--codebook-version", type=int, default=None, help="Only codings made under this version."
)
@click.option("--transcript", "transcripts", multiple=True, help="Only these (repeatable).")
@click.option("--code", "codes", multiple=True, help="Only these codes (repeatable).")
@click.option(
    "--flag-below",
    type=float,
    default=0.6,
    show_default=True,
    help="Flag codes whose chance-corrected coefficient is below this (Landis & Koch 1977).",
)
@click.option(
    "--flag-on",
    type=click.Choice(FLAG_CHOICES),
    default="auto",
    show_default=True,
    help="Coefficient to flag on; auto: kappa (2 coders), alpha (3+), BP kappa (segment).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="xlsx: every table as a sheet of one workbook, with an About sheet (needs -o).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File.")
@click.pass_context
def agreement(
    ctx: click.Context,
    more_coders: tuple[str, ...],
    coders: tuple[str, ...],
    unit: str,
    overlap: float,
    bootstrap: int,
    seed: int,
    by: str,
    disagreements: bool,
    codebook_version: int | None,
    transcripts: tuple[str, ...],
    codes: tuple[str, ...],
    flag_below: float,
    flag_on: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Measure how far coders agree, per code, per transcript or per coder pair.

    Name the coders after --coders (or as arguments). The table states the unit, the
    overlap rule, the coders and the codebook version(s) the codings were made under;
    '–' marks a coefficient that is undefined for the data. --disagreements lists each
    segment the other coder did not match, beside that coder's nearest excerpt. Codes
    whose chance-corrected coefficient is below --flag-below are flagged. --format xlsx
    -o FILE writes every table (per code, per transcript, coder pairs, disagreements)
    into one workbook with an About sheet.

    Example: qualcarto agreement --coders linaker2025 auto --unit char --bootstrap 1000
    """
    from qualcarto import agreement_data as service

    names = [*coders, *more_coders]
    if bootstrap and (by != "code" or disagreements):
        raise click.UsageError("--bootstrap gives intervals per code; use it with --by code")
    if fmt == "xlsx" and (output is None or by != "code" or disagreements):
        raise click.UsageError(
            "--format xlsx writes every table into one workbook: name it with -o FILE, "
            "without --by or --disagreements"
        )
    with store_session(ctx) as session:
        data = service.agreement_data(
            session,
            names,
            codebook_version=codebook_version,
            transcripts=transcripts or None,
            codes=codes or None,
        )
    header = service.describe(data, unit, overlap, bootstrap, seed)
    if fmt == "xlsx" and output is not None:
        _xlsx(output, data, unit, overlap, bootstrap, seed, flag_below, flag_on)
        return
    stamp: dict[str, Any] = {
        "coders": list(data.coders),
        "unit": unit,
        "overlap": overlap,
        "codebook_versions": list(data.codebook_versions),
    }
    if disagreements:
        frame = service.disagreements(data, overlap)
    elif by == "code":
        frame = service.code_table(data, unit, overlap, bootstrap, seed, flag_below, flag_on)
        measure = service.flag_measure(unit, len(data.coders), flag_on)
        header.append(service.flag_note(measure, flag_below))
        stamp.update(flag_on=measure, flag_below=flag_below)
    elif by == "pair":
        frame = service.pair_table(data, unit, overlap)
    else:
        frame = service.transcript_table(data, unit, overlap, by_code=by == "transcript-code")
    if fmt == "csv":
        text = _csv(frame, stamp)
    elif fmt == "json":
        text = _json(frame, data, stamp, header, by, disagreements, bootstrap, seed)
    elif disagreements:
        text = _disagreement_text(frame, header)
    else:
        text = _table_text(frame, data.coders, header, unit, facets=data.facets)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(frame)} rows to {output}")
    else:
        click.echo(text, nl=False)


def _xlsx(
    output: Path,
    data: Any,
    unit: str,
    overlap: float,
    bootstrap: int,
    seed: int,
    flag_below: float,
    flag_on: str,
) -> None:
    from qualcarto.agreement_workbook import about_rows, agreement_tables
    from qualcarto.exchange.agreement_xlsx import write_agreement_workbook

    tables = agreement_tables(data, unit, overlap, bootstrap, seed, flag_below, flag_on)
    about = about_rows(data, unit, overlap, bootstrap, seed, flag_below, flag_on)
    sheets = write_agreement_workbook(output, data, tables, about)
    click.echo(f"wrote {len(sheets)} sheets ({', '.join(sheets)}) to {output}")


def _csv(frame: pd.DataFrame, stamp: dict[str, Any]) -> str:
    """The table with what was measured in the last columns of every row."""
    stamped = frame.copy()
    for key, value in stamp.items():
        stamped[key] = ";".join(map(str, value)) if isinstance(value, list) else value
    from qualcarto.exchange.csv_safe import to_csv

    return str(to_csv(stamped))


def _json(
    frame: pd.DataFrame,
    data: Any,
    stamp: dict[str, Any],
    header: list[str],
    by: str,
    disagreements: bool,
    bootstrap: int,
    seed: int,
) -> str:
    rows = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
    payload = {
        "qualcarto": __version__,
        **stamp,
        "coder_kinds": data.coder_kinds,
        "transcripts": len(data.lengths),
        "codings": len(data.codings),
        "table": "disagreements" if disagreements else by,
        "bootstrap": bootstrap,
        "seed": seed,
        "about": header,
        "cite": "docs/agreement.md",
        "rows": rows,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return DASH
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _short(text: Any, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _table_text(
    frame: pd.DataFrame,
    coders: tuple[str, ...],
    header: list[str],
    unit: str,
    facets: tuple[str, ...] = (),
) -> str:
    """The readable table: 3 decimals, '–' for undefined, intervals as 'low–high'."""
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
    body = _aligned(shown) if len(shown) else "(no rows)"
    lines = [f"Intercoder agreement (qualcarto {__version__})", *header]
    if len(coders) == 2:
        lines.append(f"a = {coders[0]}, b = {coders[1]}")
    legend = [LEGEND[label] for label in LEGEND if label in labels.values()]
    lines += ["; ".join(legend), "", body, ""]
    if undefined:
        notes.append(
            f"{DASH} = undefined for these data: chance agreement is 1 or expected "
            "disagreement is 0 (e.g. both coders used the code in every transcript), or "
            "nothing to compare."
        )
    lines += [*notes, CITE.format(version=__version__), ""]
    return "\n".join(lines)


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


def _disagreement_text(frame: pd.DataFrame, header: list[str]) -> str:
    """Each unmatched segment with its excerpt and the other coder's nearest excerpt."""
    lines = [f"Disagreements (qualcarto {__version__})", *header]
    lines += [f"{len(frame)} segments without a match by another coder", ""]
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

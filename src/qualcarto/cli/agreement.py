# SPDX-License-Identifier: MIT
"""``qualcarto agreement``: the intercoder agreement report, as a table, csv, JSON or xlsx.

The command gathers the codings through ``qualcarto.agreement_data`` (tables from ``qualcarto.agreement``) and prints one of
its tables; every figure comes from ``qualcarto.agreement``. What was measured (coders,
unit, overlap rule, codebook versions) is stamped on every output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qualcarto import __version__
from qualcarto.cli.common import RAW_CSV_HELP, store_session
from qualcarto.wording import counted

if TYPE_CHECKING:
    import pandas as pd

BY_CHOICES = ("code", "transcript", "transcript-code", "pair", "unitizing")
FORMAT_CHOICES = ("table", "csv", "json", "xlsx")
FLAG_CHOICES = (
    "auto", "cohen_kappa", "krippendorff_alpha", "fleiss_kappa", "brennan_prediger",
    "unitized_alpha",
)  # fmt: skip


@click.command("agreement")
@click.argument("more_coders", nargs=-1, metavar="[CODER]...")
@click.option(
    "--coders", "coders", multiple=True, metavar="A B [C ...]", help="Coders to compare (2+)."
)
@click.option(
    "--unit",
    type=click.Choice(["char", "segment", "document", "turn", "qa"]),
    default="segment",
    show_default=True,
    help="Unit of analysis; turn: speaker turns, qa: question-answer pairs (docs/agreement.md).",
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
    help="One row per code, per transcript, per transcript and code, per coder pair; "
    "unitizing: the uα family of Krippendorff et al. (2016).",
)
@click.option("--disagreements", is_flag=True, help="List the segments without a match instead.")
@click.option(
    "--codebook-version", type=int, default=None, help="Only codings made under this version."
)
@click.option("--transcript", "transcripts", multiple=True, help="Only these (repeatable).")
@click.option("--group", default=None, metavar="NAME", help="Only this transcript group's.")
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
@click.option(
    "--wide", is_flag=True, help="Every column, however wide (default: fit the terminal)."
)
@click.option("--raw", is_flag=True, help=RAW_CSV_HELP)
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
    group: str | None,
    codes: tuple[str, ...],
    flag_below: float,
    flag_on: str,
    fmt: str,
    wide: bool,
    raw: bool,
    output: Path | None,
) -> None:
    """Measure how far coders agree, per code, per transcript or per coder pair.

    Name the coders after --coders (or as arguments). The table states the unit, the
    overlap rule, the coders and the codebook version(s) the codings were made under;
    '–' marks a coefficient that is undefined for the data. --disagreements lists each
    segment the other coder did not match, beside that coder's nearest excerpt. Codes
    whose chance-corrected coefficient is below --flag-below are flagged. --format xlsx
    -o FILE writes every table (per code, per transcript, coder pairs, disagreements)
    into one workbook with an About sheet. The table fits the terminal's width, leaving
    out facets, names and counts first (--wide keeps every column).

    Example: qualcarto agreement --coders linaker2025 auto --unit char --bootstrap 1000
    """
    from qualcarto import agreement as tables
    from qualcarto.agreement_data import agreement_data, unit_data
    from qualcarto.cli.agreement_text import disagreement_text, table_text

    names = [*coders, *more_coders]
    if bootstrap and (by != "code" or disagreements):
        raise click.UsageError("--bootstrap gives intervals per code; use it with --by code")
    if fmt == "xlsx" and (output is None or by != "code" or disagreements):
        raise click.UsageError(
            "--format xlsx writes every table into one workbook: name it with -o FILE, "
            "without --by or --disagreements"
        )
    with store_session(ctx, read_only=True) as session:
        data = agreement_data(
            session,
            names,
            codebook_version=codebook_version,
            transcripts=transcripts or None,
            codes=codes or None,
            group=group,
        )
        measured, core = unit_data(session, data, unit)
    options = tables.ReportOptions(core, overlap, bootstrap, seed, flag_below, flag_on)
    header = tables.describe(measured, options)
    if fmt == "xlsx" and output is not None:
        _xlsx(output, measured, options, data)
        return
    stamp: dict[str, Any] = {
        "coders": list(data.coders),
        **({"group": group} if group else {}),
        "unit": unit,
        "overlap": overlap,
        "codebook_versions": list(data.codebook_versions),
    }
    if disagreements:
        frame = tables.disagreements(data, overlap)  # coded segments, whatever the unit
    elif by == "code":
        frame = tables.code_table(measured, options)
        measure = tables.flag_measure(core, len(data.coders), flag_on)
        header.append(tables.flag_note(measure, flag_below))
        stamp.update(flag_on=measure, flag_below=flag_below)
    elif by == "pair":
        frame = tables.pair_table(measured, options)
    elif by == "unitizing":  # on the text itself, whatever the unit
        with tables.plain_errors():
            frame = tables.unitizing_family(data.codings, data.lengths, data.coders)
        header = [line for line in header if not line.startswith("unit:")]
        header.append("unit: the text as a continuum (Krippendorff et al. 2016; docs/agreement.md)")
    else:
        frame = tables.transcript_table(measured, options, by_code=by == "transcript-code")
    if fmt == "csv":
        text = _csv(frame, stamp, raw=raw)
    elif fmt == "json":
        text = _json(frame, data, stamp, header, by, disagreements, bootstrap, seed)
    elif disagreements:
        text = disagreement_text(frame, header)
    elif by == "unitizing":
        shown = frame.assign(alpha=frame["alpha"].map(lambda a: "–" if a != a else f"{a:.3f}"))
        text = "".join(f"{line}\n" for line in header) + shown.to_string(index=False) + "\n"
    else:
        width = None if wide else shutil.get_terminal_size().columns
        text = table_text(frame, data.coders, header, core, facets=data.facets, width=width)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {counted(len(frame), 'row')} to {output}")
    else:
        click.echo(text, nl=False)


def _xlsx(output: Path, data: Any, options: Any, segments: Any) -> None:
    from qualcarto.agreement import about_rows, agreement_tables
    from qualcarto.exchange.agreement_xlsx import write_agreement_workbook

    tables = agreement_tables(data, options, segments)
    about = about_rows(data, options)
    sheets = write_agreement_workbook(output, data, tables, about)
    click.echo(f"wrote {counted(len(sheets), 'sheet')} ({', '.join(sheets)}) to {output}")


def _csv(frame: pd.DataFrame, stamp: dict[str, Any], *, raw: bool = False) -> str:
    """The table with what was measured in the last columns of every row."""
    stamped = frame.copy()
    for key, value in stamp.items():
        stamped[key] = ";".join(map(str, value)) if isinstance(value, list) else value
    from qualcarto.exchange.csv_safe import to_csv

    return str(to_csv(stamped, raw=raw))


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

# SPDX-License-Identifier: MIT
"""``qualcarto agreement --format xlsx`` and the flag column of the per-code table.

The workbook is read back with openpyxl and every sheet compared cell by cell with the
csv the same command prints, so the workbook can only add layout, never other figures.
Flags are checked against the pure ``agreement_report`` and the threshold given.
"""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app_study import HOSTILE_TRANSCRIPT, build_study
from qualcarto import __version__
from qualcarto.agreement import agreement_report
from qualcarto.cli import main
from qualcarto.coding import add_coding, codings_frame
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import get_transcript, transcripts_frame

TRIO = ["ana", "ben", "lena"]
STAMP = ["coders", "unit", "overlap", "codebook_versions", "flag_on", "flag_below"]
FORMULA_LIKE = "=\"window.__pwned='img'\""
CODINGS = [  # (transcript, words, code, coder)
    ("P1", "We asked the centre", "access", "ana"),
    ("P1", "We asked the centre", "access", "ben"),
    ("P1", "We asked the centre", "access", "lena"),
    ("P1", "It took months", "docs", "ana"),
    ("P1", "Then we wrote everything down", "docs", "ben"),
    ("P2", "<b>not bold</b>", "money", "ana"),
    ("P2", "<b>not bold</b>", "money", "ben"),
    ("P2", FORMULA_LIKE, "docs", "ben"),
    ("P2", "Yes, all of it shows", "docs", "lena"),
]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The tiny study (facets stage and polarity) coded by three people, partly alike."""
    assert FORMULA_LIKE in HOSTILE_TRANSCRIPT
    study = build_study(tmp_path_factory.mktemp("agreement-workbook"))
    engine = connect(study)
    with session_scope(engine) as session:
        for transcript, words, code, coder in CODINGS:
            start = get_transcript(session, transcript).text.index(words)
            add_coding(session, transcript, start, start + len(words), code, coder)
    engine.dispose()
    return study


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, "agreement", *args])
    out, err = capsys.readouterr()
    return code, out, err


def csv_table(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> pd.DataFrame:
    code, out, _ = run(url, capsys, *args, "--format", "csv", "--raw")
    assert code == 0
    frame = pd.read_csv(StringIO(out))
    return frame.drop(columns=[c for c in STAMP if c in frame.columns])


def sheet_frame(ws: Worksheet) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=list(rows[0]), dtype=object)


def assert_same_cells(sheet: pd.DataFrame, csv: pd.DataFrame) -> None:
    assert list(sheet.columns) == list(csv.columns)
    assert len(sheet) == len(csv)
    for column in csv.columns:
        if pd.api.types.is_numeric_dtype(csv[column]) and not pd.api.types.is_bool_dtype(
            csv[column]
        ):
            got = sheet[column].astype(object).where(sheet[column].notna(), np.nan).astype(float)
            assert np.allclose(got, csv[column].astype(float), equal_nan=True, atol=0), column
        else:
            expected = [None if pd.isna(v) else v for v in csv[column]]
            assert sheet[column].tolist() == expected, column


def pure(url: str, coders: list[str], **options: Any) -> pd.DataFrame:
    engine = connect(url)
    with session_scope(engine) as session:
        codings = codings_frame(session, coders)
        frame = transcripts_frame(session)
    engine.dispose()
    lengths = dict(zip(frame["transcript_id"], frame["length"], strict=True))
    return agreement_report(codings, lengths, coders, **options)


@pytest.mark.parametrize("unit", ["segment", "char"])
def test_the_workbook_holds_every_table_with_the_csv_figures(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, unit: str
) -> None:
    target = tmp_path / "agreement.xlsx"
    common = ["--coders", *TRIO, "--unit", unit]
    code, out, _ = run(url, capsys, *common, "--format", "xlsx", "-o", str(target))
    assert code == 0 and str(target) in out
    wb = load_workbook(target)
    assert wb.sheetnames == ["About", "Per code", "Per transcript", "Coder pairs", "Disagreements"]
    for title, args in [
        ("Per code", []),
        ("Per transcript", ["--by", "transcript"]),
        ("Coder pairs", ["--by", "pair"]),
        ("Disagreements", ["--disagreements"]),
    ]:
        assert_same_cells(sheet_frame(wb[title]), csv_table(url, capsys, *common, *args))
    quote = [c for c in wb["Disagreements"]["G"] if c.value == FORMULA_LIKE]
    assert quote and all(c.data_type == "s" for c in quote)  # text, never a formula


def test_the_about_sheet_stamps_what_was_measured(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "agreement.xlsx"
    run(url, capsys, "--coders", "ana", "ben", "--unit", "document", "--overlap", "0.8",
        "--flag-below", "0.667", "--format", "xlsx", "-o", str(target))  # fmt: skip
    wb = load_workbook(target)
    about = {name: value for name, value in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["coders"] == "ana (human), ben (human)"
    assert (about["unit"], about["overlap"], about["codebook versions"]) == ("document", "0.8", "1")
    assert about["tool version"] == f"qualcarto {__version__}"
    assert datetime.fromisoformat(str(about["generated at"])).tzinfo is not None
    assert (about["flag measure"], about["flag below"]) == ("Cohen's kappa", "0.667")
    assert "Coder pairs" not in wb.sheetnames  # two coders: no pair table


def test_flagged_rows_are_shaded_in_the_workbook(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "agreement.xlsx"
    run(url, capsys, "--coders", "ana", "ben", "--format", "xlsx", "-o", str(target))
    ws = load_workbook(target)["Per code"]
    header = [c.value for c in ws[1]]
    column = chr(ord("A") + header.index("flagged"))
    rules = [(str(r.sqref), rule.formula) for r in ws.conditional_formatting for rule in r.rules]
    assert rules == [(f"A2:{chr(ord('A') + len(header) - 1)}{ws.max_row}", [f"${column}2=TRUE"])]
    flagged = sheet_frame(ws)["flagged"].tolist()
    assert True in flagged and False in flagged


@pytest.mark.parametrize(
    ("coders", "unit", "flag_on", "measure"),
    [
        (["ana", "ben"], "segment", "auto", "brennan_prediger"),
        (["ana", "ben"], "char", "auto", "cohen_kappa"),
        (["ana", "ben"], "document", "krippendorff_alpha", "krippendorff_alpha"),
        (TRIO, "char", "auto", "krippendorff_alpha"),
        (TRIO, "segment", "unitized_alpha", "unitized_alpha"),
    ],
)
@pytest.mark.parametrize("below", ["0.6", "0.9"])
def test_codes_below_the_threshold_are_flagged(
    url: str,
    capsys: pytest.CaptureFixture[str],
    coders: list[str],
    unit: str,
    flag_on: str,
    measure: str,
    below: str,
) -> None:
    args = ["--coders", *coders, "--unit", unit, "--flag-on", flag_on, "--flag-below", below]
    code, out, _ = run(url, capsys, *args, "--format", "json")
    payload = json.loads(out)
    assert code == 0 and (payload["flag_on"], payload["flag_below"]) == (measure, float(below))
    expected = pure(url, coders, unit=unit)[measure]
    got = [row["flagged"] for row in payload["rows"]]
    assert got == (expected < float(below)).tolist()


def test_the_table_shows_facets_and_marks_flagged_codes(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(url, capsys, "--coders", "ana", "ben", "--unit", "char", "--wide")
    expected = pure(url, ["ana", "ben"], unit="char").set_index("code_id")["cohen_kappa"]
    assert code == 0 and "flagged: codes whose Cohen's kappa is below 0.6" in out
    header = next(line for line in out.splitlines() if line.startswith("code id"))
    assert "stage" in header and "polarity" in header
    lines = {line.split()[0]: line for line in out.splitlines() if line[:6] in ("access", "docs  ")}
    assert sorted(lines) == ["access", "docs"]
    assert "early" in lines["access"] and "challenge" in lines["access"]
    assert "late" in lines["docs"] and "on-ramp" in lines["docs"]
    for code_id, line in lines.items():
        assert line.endswith("below") == bool(expected[code_id] < 0.6), line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "name it with -o FILE"),
        (["--format", "xlsx", "-o", "x.xlsx", "--by", "pair"], "without --by or --disagreements"),
        (["--flag-on", "cohen_kappa"], "--flag-on cohen_kappa is not reported at unit segment"),
        (["--flag-below", "nan"], "--flag-below must be a number"),
    ],
)
def test_bad_report_options_are_one_line(
    url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(url, capsys, "--coders", "ana", "ben", *args)
    assert code == 2 and not out and message in err

# SPDX-License-Identifier: MIT
"""The workbook, the tidy csv and the graph files, read back and compared structurally."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select, update

from qualcarto.coding import add_coding
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.exchange import study_data, write_graph, write_tidy_csv, write_workbook
from qualcarto.memos import write_memo
from qualcarto.reports import code_by_transcript, cooccurrence
from qualcarto.store import Coding, session_scope
from qualcarto.transcripts import get_transcript
from qualcarto.users import add_user


@pytest.fixture
def coded(study: Engine) -> Engine:
    """The tiny study with overlapping codings by two coders, one memo and a formula-like quote."""
    with session_scope(study) as session:
        text = get_transcript(session, "P1").text
        months = text.index("It took months")
        wrote = text.index("Then we wrote")
        add_coding(session, "P1", months, months + 20, "access", "ana", "slow centre")
        add_coding(session, "P1", months + 5, wrote + 13, "docs", "ana")
        add_coding(session, "P1", months, months + 20, "money", "ben")
        add_user(session, "consensus", "coder", kind="reference")
        add_coding(session, "P1", months, months + 20, "access", "consensus")
    return study


def test_study_data_narrows_to_coders_or_the_consensus_layer(coded: Engine) -> None:
    with session_scope(coded) as session:
        everyone = study_data(session)
        ana = study_data(session, ["ana"])
        consensus = study_data(session, consensus=True)
        with pytest.raises(NotFoundError):
            study_data(session, ["nobody"])
        with pytest.raises(ValidationError):
            study_data(session, ["ana"], consensus=True)
    assert set(everyone.codings["coder"]) == {"ana", "ben", "consensus"}
    assert set(ana.codings["coder"]) == {"ana"}
    assert list(consensus.codings["coder"]) == ["consensus"]
    assert consensus.layer == "consensus"


def test_consensus_without_its_coder_is_a_clear_error(study: Engine) -> None:
    with session_scope(study) as session, pytest.raises(NotFoundError, match="consensus"):
        study_data(session, consensus=True)


def test_workbook_sheets_hold_the_matrices_cell_for_cell(coded: Engine, tmp_path: Path) -> None:
    with session_scope(coded) as session:
        data = study_data(session, ["ana", "ben"])
    path = tmp_path / "study.xlsx"
    titles = write_workbook(data, path)
    book = load_workbook(path)
    assert book.sheetnames == titles
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["study"] == data.project
    assert about["codebook version"] == str(data.codebook_version)
    assert about["coders"] == "ana, ben"
    counts = book["Codings per transcript"]
    expected = code_by_transcript(data.codings, data.codes, data.transcripts)
    rows = {row[0]: row[2:] for row in counts.iter_rows(min_row=2, values_only=True)}
    for code in expected.index:
        assert list(rows[code]) == list(expected.loc[code])
    assert counts.freeze_panes == "C2"
    assert counts.auto_filter.ref.startswith("A1:")
    assert counts.conditional_formatting  # the heat map
    overlap = book["Co-occurrence overlap"]
    table = cooccurrence(data.codings, data.codes)
    header = [c.value for c in overlap[1]]
    row = next(r for r in overlap.iter_rows(min_row=2, values_only=True) if r[0] == "access")
    assert row[header.index("docs")] == table.at["access", "docs"] == 1


def test_workbook_colours_codes_wraps_quotes_and_keeps_formulas_as_text(
    coded: Engine, tmp_path: Path
) -> None:
    with session_scope(coded) as session:
        session.execute(update(Coding).where(Coding.code_id == "docs").values(memo="=HYPERLINK(1)"))
        data = study_data(session)
    path = tmp_path / "study.xlsx"
    write_workbook(data, path)
    book = load_workbook(path)
    quotes = book["Excerpts"]
    header = [c.value for c in quotes[1]]
    rows = list(quotes.iter_rows(min_row=2))
    assert len(rows) == len(data.codings)
    access = next(r for r in rows if r[header.index("code_id")].value == "access")
    assert access[header.index("code")].fill.fgColor.rgb.endswith("0072B2")
    assert access[header.index("text")].alignment.wrap_text
    memos = [r[header.index("memo")] for r in rows]
    formula_like = next(c for c in memos if c.value == "=HYPERLINK(1)")
    assert formula_like.data_type == "s"


def test_tidy_csv_loads_back_into_pandas_one_row_per_coding(coded: Engine, tmp_path: Path) -> None:
    with session_scope(coded) as session:
        data = study_data(session)
    path = tmp_path / "codings.csv"
    assert write_tidy_csv(data, path) == len(data.codings)
    frame = pd.read_csv(path, keep_default_na=False)
    assert len(frame) == len(data.codings)
    assert {"project", "coder", "code_name", "code_path", "stage", "polarity"} <= set(frame.columns)
    by_id = frame.set_index(["coder", "code_id"])
    assert (
        by_id.loc[("ana", "access"), "text"]
        == data.codings.set_index(["coder", "code_id"]).loc[("ana", "access"), "text"]
    )  # emoji and RTL text survive
    assert by_id.loc[("ana", "access"), "stage"] == "early"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_with_networkx(coded: Engine, tmp_path: Path, fmt: str) -> None:
    with session_scope(coded) as session:
        data = study_data(session, ["ana", "ben"])
    path = tmp_path / f"codes.{fmt}"
    written = write_graph(data, path, fmt, "transcript")  # type: ignore[arg-type]
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(loaded.nodes) == set(written.nodes) == {"access", "docs", "money"}
    assert loaded.number_of_edges() == written.number_of_edges()
    assert (
        float(loaded.edges["access", "docs"]["weight"]) == written.edges["access", "docs"]["weight"]
    )
    node = loaded.nodes["access"]
    assert node["stage"] == "early"
    assert int(node["codings"]) == 1


def test_a_coder_with_no_codings_exports_an_empty_workbook_in_one_line(
    study: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ana has coded nothing yet: every matrix is zeros, never a traceback."""
    from qualcarto.cli import main

    out = tmp_path / "ana.xlsx"
    assert main(["--db", str(study.url), "export", "xlsx", str(out), "--coder", "ana"]) == 0
    assert "(0 codings)" in capsys.readouterr().out
    sheet = load_workbook(out)["Coded characters"]
    cells = [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]
    numbers = [cell for cell in cells if isinstance(cell, int | float)]
    assert numbers and set(numbers) == {0}


def test_the_fast_sheet_writes_every_kind_of_value_as_openpyxl_reads_it(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    from qualcarto.exchange.xlsx import EXCEL_TEXT_LIMIT, Cells, write_frame

    frame = pd.DataFrame(
        {
            "n": [1, 2**53 + 1, -7],
            "x": [0.1, float("nan"), 1e-300],
            "flag": [True, False, None],
            "when": [datetime(2025, 1, 2, 3, 4, 5), None, None],
            "text": ["  padded ", "=SUM(A1)", "Zoe\u0308 \U0001f44b \u05ea\u05dc bell\x07"],
            "memo": ["", "x" * (EXCEL_TEXT_LIMIT + 5), None],
        }
    )
    wb = Workbook(write_only=True)
    write_frame(wb, Cells(), "T", frame, {"memo": 60})
    wb.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["T"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [1, 2**53 + 1, -7]
    assert [r[1].value for r in rows] == [0.1, None, 1e-300]
    assert [r[2].value for r in rows] == [True, False, None]
    assert rows[0][3].value == datetime(2025, 1, 2, 3, 4, 5)
    assert [r[4].value for r in rows] == [
        "  padded ",
        "=SUM(A1)",
        "Zoe\u0308 \U0001f44b \u05ea\u05dc bell",
    ]
    assert all(r[4].data_type == "s" for r in rows)  # text, never a formula
    assert rows[0][5].value is None and rows[2][5].value is None
    assert len(rows[1][5].value) == EXCEL_TEXT_LIMIT and rows[1][5].alignment.wrap_text
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_memos_travel_in_the_workbook_sheet_and_the_tidy_memo_column(
    coded: Engine, tmp_path: Path
) -> None:
    with session_scope(coded) as session:
        slow = session.scalars(
            select(Coding).where(Coding.code_id == "access", Coding.memo == "slow centre")
        ).one()
        on_coding = write_memo(
            session, "ben", "=odd start, see [[code:docs]]", subject="coding", coding_id=slow.id
        )
        journal = write_memo(session, "ana", "Day one", title="Journal")
        everyone = study_data(session)
        only_ana = study_data(session, ["ana"])
    path = tmp_path / "study.xlsx"
    write_workbook(everyone, path)
    sheet = load_workbook(path)["Memos"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert header[:6] == ["memo_id", "subject", "author", "title", "about", "text"]
    assert sorted((r["memo_id"], r["author"], r["about"] or "", r["text"]) for r in rows) == [
        (on_coding.id, "ben", f"coding {slow.id}", "=odd start, see [[code:docs]]"),
        (journal.id, "ana", "", "Day one"),
    ]
    tidy = tmp_path / "codings.csv"
    write_tidy_csv(everyone, tidy, raw=True)
    frame = pd.read_csv(tidy, keep_default_na=False)
    noted = frame[(frame["coder"] == "ana") & (frame["code_id"] == "access")]
    assert list(noted["memo"]) == [
        f"slow centre\n\n[memo {on_coding.id}, ben] =odd start, see [[code:docs]]"
    ]
    assert list(only_ana.memos["memo_id"]) == [journal.id]  # ana's layer: ana's memos
    assert only_ana.coding_memos == {}

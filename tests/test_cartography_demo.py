# SPDX-License-Identifier: MIT
"""The cartography of the demo study: the paper's cells, the CLI's files, and live figures.

The reference is the paper itself (section 5 of Linåker et al. 2025, in the shared
seeds): its ``5.x.y Stage: Type Collaborations`` headings name a cell and the
``Challenge:`` / ``On-ramp:`` paragraphs under a heading are that cell's themes. The
table is parsed here from the paper's text alone, not from the codebook file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from conftest import copy_demo
from qualcarto.cartography import draw_map, resolve_layout
from qualcarto.cartography_data import cartography_data
from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import connect, session_scope
from qualcarto.transcripts import get_transcript
from shared_material import paper_text

HEADING = re.compile(r"^5\.\d\.\d (?P<stage>[\w-]+): (?P<type>.+) Collaborations\s*$")
THEME = re.compile(r"^(?P<polarity>Challenge|On-ramp): (?P<text>.+)$")
STAGES = ("pre-training", "post-training", "post-release")
TYPES = ("model", "data", "software", "evaluation", "non-technical", "compute")


def paper_themes(text: str) -> list[tuple[str, str, str, str]]:
    """(stage, collab type, polarity, paragraph) for every theme paragraph of section 5."""
    start = text.index("\n5 Collaboration Challenges and On-ramps")
    end = text.index("\n6 Motivations", start)
    themes: list[tuple[str, str, str, str]] = []
    cell: tuple[str, str] | None = None
    for line in text[start:end].splitlines():
        if heading := HEADING.match(line):
            cell = (heading["stage"].lower(), heading["type"].lower())
        elif (theme := THEME.match(line)) and cell is not None:
            themes.append((*cell, theme["polarity"].lower(), theme["text"]))
    return themes


def names_paragraph(name: str, paragraph: str) -> bool:
    """A codebook name is the paragraph's opening words, ending at a word boundary."""
    return paragraph.startswith(name) and paragraph[len(name) : len(name) + 1] in ("", ".", " ")


@pytest.fixture(scope="module")
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("cartography-demo"))


@pytest.fixture(scope="module")
def paper() -> list[tuple[str, str, str, str]]:
    return paper_themes(paper_text())


def run_cli(db: Path, *args: str) -> None:
    assert main(["--db", f"sqlite:///{db}", "cartography", *args]) == 0


def pdf_text(path: Path) -> str:
    """The PDF's text with whitespace folded, read by poppler (as a reader's viewer would)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("reading the PDF needs poppler-utils (pdftotext)")
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True)
    return " ".join(done.stdout.decode("utf-8").split())


def test_the_paper_table_covers_every_cell_the_paper_fills(paper) -> None:
    assert {stage for stage, *_ in paper} == set(STAGES)
    assert {kind for _, kind, *_ in paper} == set(TYPES)
    assert {polarity for *_, polarity, _ in paper} == {"challenge", "on-ramp"}


def test_the_reference_layer_puts_each_section_5_theme_in_the_papers_cell_and_nothing_else(
    demo_db, paper
) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    with session_scope(engine) as session:
        data = cartography_data(session, ["linaker2025"])
    engine.dispose()
    m = draw_map(data, resolve_layout(data))
    assert (m.row_facet, m.col_facet, m.split_facet) == ("collab_type", "stage", "polarity")

    placed = [
        (cell.col, cell.row, code.split, code.name) for cell in m.cells for code in cell.codes
    ]
    unmatched = list(paper)
    for stage, kind, polarity, name in placed:
        found = [
            t for t in unmatched if t[:3] == (stage, kind, polarity) and names_paragraph(name, t[3])
        ]
        assert len(found) == 1, (
            f"{name!r} on the map at {stage}/{kind}/{polarity} is not the paper's"
        )
        unmatched.remove(found[0])
    assert unmatched == [], "themes of the paper missing from the map"
    assert len(placed) == len(paper)


def test_the_json_map_has_the_documented_shape(demo_db, tmp_path) -> None:
    run_cli(demo_db, "--coder", "linaker2025", "--out", str(tmp_path), "--format", "json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.json"]
    data = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert set(data) == {"provenance", "rows", "cols", "cells", "motivations", "organizations"}
    assert data["provenance"]["coders"] == ["linaker2025"]
    assert data["provenance"]["rows"] == "collab_type"
    assert (data["rows"], data["cols"]) == (list(TYPES), list(STAGES))
    assert [(c["row"], c["col"]) for c in data["cells"]] == [(r, c) for r in TYPES for c in STAGES]
    for cell in data["cells"]:
        assert cell["interviews"] >= max([0, *(code["interviews"] for code in cell["codes"])])
    codes = [code for cell in data["cells"] for code in cell["codes"]]
    assert codes and all(
        set(code) == {"id", "name", "split", "interviews", "excerpts", "participants"}
        for code in codes
    )
    for code in codes:
        assert code["split"] in ("on-ramp", "challenge")
        assert code["interviews"] == len(code["participants"]) <= code["excerpts"]


def test_all_figures_are_written_with_stable_names_and_the_svg_parses(demo_db, tmp_path) -> None:
    run_cli(demo_db, "--coder", "linaker2025", "--out", str(tmp_path), "--format", "svg")
    rows = [f"figure{i + 2}-{kind}.svg" for i, kind in enumerate(TYPES)]
    expected = ["figure1.svg", *rows, "figure8.svg", "figure9.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)
    for path in tmp_path.iterdir():
        assert ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(("fmt", "figure", "written"), [("png", "8", "figure8.png"),
                                                        ("pdf", "9", "figure9.pdf")])  # fmt: skip
def test_png_at_300_dpi_and_pdf_open(demo_db, tmp_path, fmt, figure, written) -> None:
    run_cli(demo_db, "--figure", figure, "--out", str(tmp_path), "--format", fmt)
    assert [p.name for p in tmp_path.iterdir()] == [written]
    if fmt == "png":
        with Image.open(tmp_path / written) as image:
            image.load()
            assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)
    else:
        assert "Organizational models" in pdf_text(tmp_path / written)


def test_titles_go_to_the_pdf_metadata_or_away_and_the_caption_stays(demo_db, tmp_path) -> None:
    args = ["--coder", "linaker2025", "--figure", "1", "--format", "pdf"]
    run_cli(demo_db, *args, "--out", str(tmp_path / "t"))
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "t" / "figure1.pdf")], capture_output=True, text=True, check=True
    ).stdout
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    title = title.split(":", 1)[1].strip()
    assert title and title in pdf_text(tmp_path / "t" / "figure1.pdf")
    run_cli(demo_db, *args, "--no-title", "--out", str(tmp_path / "n"))
    untitled = pdf_text(tmp_path / "n" / "figure1.pdf")
    assert title not in untitled
    assert "Layer: linaker2025" in untitled and "N = " in untitled


def test_a_row_left_empty_by_min_support_is_skipped_with_a_note(demo_db, tmp_path, capsys) -> None:
    engine = connect(f"sqlite:///{demo_db}")
    with session_scope(engine) as session:
        data = cartography_data(session, ["linaker2025"])
    engine.dispose()
    m = draw_map(data, resolve_layout(data))
    most = max(code.interviews for code in m.codes())
    args = ["--coder", "linaker2025", "--figure", "2-7", "--min-support", str(most)]
    run_cli(demo_db, *args, "--out", str(tmp_path))
    strict = draw_map(data, resolve_layout(data), min_support=most)
    kept = [row for row in strict.rows if any(cell.codes for cell in strict.row_cells(row))]
    assert len(list(tmp_path.iterdir())) == len(kept)
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert len(notes) == len(strict.rows) - len(kept)


def test_figure_1_alone_writes_only_figure_1(demo_db, tmp_path) -> None:
    run_cli(demo_db, "--figure", "1", "--out", str(tmp_path), "--format", "pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["figure1.pdf"]
    assert "Post-release" in pdf_text(tmp_path / "figure1.pdf")


def test_a_bad_facet_is_one_line_naming_the_facets(demo_db, tmp_path, capsys) -> None:
    status = main(["--db", f"sqlite:///{demo_db}", "cartography", "--rows", "colour",
                   "--out", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "'colour' is not a facet" in err and "collab_type" in err
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_the_figure_changes_when_the_coding_changes(demo_db, tmp_path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    args = ["--coder", "ana", "--figure", "1", "--full-grid", "--format", "pdf"]
    run_cli(db, *args, "--out", str(tmp_path / "before"))
    name = "Network firewalls create international collaboration barriers"
    before = tmp_path / "before" / "figure1.pdf"
    assert not before.exists() or name not in pdf_text(before)

    engine = connect(f"sqlite:///{db}")
    with session_scope(engine) as session:
        text = get_transcript(session, "I1").text
        end = text.index("\n", 20)
        add_coding(session, "I1", 0, end, "rel-model-firewalls", "ana")
    engine.dispose()

    run_cli(db, *args, "--out", str(tmp_path / "after"))
    assert f"{name} (n=1)" in pdf_text(tmp_path / "after" / "figure1.pdf")

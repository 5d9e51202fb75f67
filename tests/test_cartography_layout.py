# SPDX-License-Identifier: MIT
"""Typesetting of the cartography: no word split, one leading, headers on one baseline,
no empty figure, on the demo study's default and swapped layouts and on its machine layer."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_demo
from qualcarto.cartography import (
    CartographyData,
    TextStyle,
    Typesetter,
    build_map,
    draw_map,
    figure_design,
    figure_grid,
    figure_motivations,
    figure_organizations,
    figure_overview,
    figure_row,
    motivation_graph,
    off_baseline,
    organization_graph,
    provenance,
    render_all,
    resolve_layout,
    split_words,
    text_lines,
    uneven_leading,
)
from qualcarto.cartography.render_grid import heading, plural
from qualcarto.cartography.sheet import Sheet
from qualcarto.cartography_data import cartography_data
from qualcarto.codebook.files import parse_codebook
from qualcarto.errors import InputError
from qualcarto.store import connect, read_scope

ROOT = Path(__file__).resolve().parents[1]
BODY = TextStyle(7.5)
LAYOUTS = {"default": (None, None), "swapped": ("stage", "collab_type")}


@pytest.fixture(scope="module")
def demo(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, CartographyData]:
    """The demo study's frames for its reference layer and its machine layer."""
    db = copy_demo(demo_template, tmp_path_factory.mktemp("layout"))
    engine = connect(f"sqlite:///{db}")
    with read_scope(engine) as session:
        layers = {coder: cartography_data(session, [coder]) for coder in ("linaker2025", "auto")}
    engine.dispose()
    return layers


def figures(data: CartographyData, rows: str | None, cols: str | None) -> dict[str, object]:
    """Every figure of ``data`` in a layout, with the words each was asked to show."""
    m = draw_map(data, resolve_layout(data, rows, cols))
    d, origin = figure_design(data), provenance(data, m.coders)
    heads = [heading(v) for v in (*m.rows, *m.cols)] + [heading(plural(s)) for s in m.splits]
    heads += [*m.splits, *map(plural, m.splits), *map(str, range(len(m.codes()) + 1))]
    words = [c.name for c in m.codes()] + [f"(n={c.interviews})" for c in m.codes()] + heads
    drawn = {
        "overview": figure_overview(m, None, d, origin),
        "grid": figure_grid(m, None, d, origin),
    }
    for row in m.rows:
        if any(cell.codes for cell in m.row_cells(row)):
            drawn[f"row {row}"] = figure_row(m, row, None, d, origin)
    motivations = motivation_graph(data.codes, data.codings, data.facet_orders)
    organizations = organization_graph(
        data.codes, data.codings, data.participants, facet_orders=data.facet_orders
    )
    for graph in (motivations, organizations):
        for node in graph.nodes:
            words.append(str(graph.nodes[node]["label"]))
            words.append(f"(n={graph.nodes[node].get('interviews')})")
    drawn["motivations"] = figure_motivations(
        data.codes, data.codings, data.facet_orders, design=d, provenance=origin
    )
    drawn["organizations"] = figure_organizations(
        data.codes, data.codings, data.participants, facet_orders=data.facet_orders, design=d
    )
    return {"figures": drawn, "words": words, "map": m}


CASES = [(layer, layout) for layer in ("linaker2025", "auto") for layout in LAYOUTS]


@pytest.fixture(scope="module", params=CASES, ids=[f"{a}-{b}" for a, b in CASES])
def drawn(request: pytest.FixtureRequest, demo: dict[str, CartographyData]) -> dict[str, object]:
    layer, layout = request.param
    return figures(demo[layer], *LAYOUTS[layout])


def test_no_figure_splits_a_word(drawn: dict) -> None:
    for name, fig in drawn["figures"].items():
        fragments = split_words(fig, drawn["words"], roles=("code", "col", "row", "group"))
        assert fragments == [], name


def test_every_label_steps_down_by_one_leading(drawn: dict) -> None:
    for name, fig in drawn["figures"].items():
        assert uneven_leading(fig) == [], name


def test_column_headers_share_one_baseline(drawn: dict) -> None:
    for name, fig in drawn["figures"].items():
        assert off_baseline(fig, "col") == [], name


def test_every_figure_shows_codes_and_the_overview_fits_a_page_at_7_pt(drawn: dict) -> None:
    for name, fig in drawn["figures"].items():
        assert any(line.role == "code" for line in text_lines(fig)) or name == "overview", name
        assert min(line.size for line in text_lines(fig)) >= 7.0, name
    width, height = drawn["figures"]["overview"].get_size_inches()
    assert width <= 9.0 and height <= 9.0 and min(width, height) <= 7.0
    m = drawn["map"]
    empty = [cell for cell in m.cells if not cell.codes]
    lines = [line.text for line in text_lines(drawn["figures"]["overview"])]
    assert lines.count("none reported") == len(empty)


def test_no_empty_figure_is_written_a_warning_says_why(demo, tmp_path: Path) -> None:
    data = demo["linaker2025"]
    m = draw_map(data, resolve_layout(data))
    most = max(code.interviews for code in m.codes())
    strict = draw_map(data, resolve_layout(data), min_support=most)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frames = (data.codes, data.codings, data.participants, data.facet_orders)
        written = render_all(strict, *frames, tmp_path, "svg", "2-7")
    kept = {row for row in strict.rows if any(cell.codes for cell in strict.row_cells(row))}
    assert len(written) == len(kept) < len(strict.rows)
    assert len(caught) == len(strict.rows) - len(kept)
    assert all(f"at least {most}" in str(w.message) for w in caught)


# The checks themselves catch each defect.


def _sheet_figure(defect: str):
    sheet = Sheet(3.0)
    lead = Typesetter.leading(BODY)
    sheet.lines(0.1, 0.3, ["Pre-training"], BODY, lead, "col")
    sheet.lines(1.5, 0.3 + (0.02 if defect == "header" else 0), ["Post-release"], BODY, lead, "col")
    lines = ["Expanding language for", "underrepresented groups"]
    if defect == "word":
        lines = ["Expanding language for", "underrepre", "sented groups"]
    sheet.lines(0.1, 0.6, lines, BODY, lead, "code")
    step = lead * (1.4 if defect == "leading" else 1.0)
    sheet.lines(1.5, 0.6, ["Community-driven", "feedback (n=2)"], BODY, step, "code")
    return sheet.figure(1.2)


WORDS = ["Expanding language for underrepresented groups", "Community-driven feedback (n=2)"]


def test_the_checks_pass_a_clean_figure_and_catch_each_defect() -> None:
    clean = _sheet_figure("")
    assert split_words(clean, WORDS, ("code",)) == []
    assert uneven_leading(clean) == off_baseline(clean) == []
    assert split_words(_sheet_figure("word"), WORDS, ("code",)) == ["underrepre", "sented"]
    assert uneven_leading(_sheet_figure("leading"))
    assert off_baseline(_sheet_figure("header")) == ["Post-release"]


# The text engine.

names = st.lists(
    st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=18),
    min_size=1,
    max_size=14,
).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(text=names, width=st.floats(0.6, 3.0), count=st.integers(0, 17))
def test_lines_never_split_a_word_and_keep_the_order(text: str, width: float, count: int) -> None:
    setter = Typesetter()
    tail = f"(n={count})"
    width = max(width, setter.min_width(text, BODY, tail))
    lines = setter.lines(text, width, BODY, tail)
    assert " ".join(lines).split() == [*text.split(), tail]
    assert all(setter.width(line, BODY) <= width for line in lines)
    assert len(lines) == setter.count_lines(text, width, BODY, tail)


def test_the_count_may_start_a_line_and_names_stay_together() -> None:
    setter = Typesetter(no_break=["LM Evaluation Harness"])
    text = "Shared benchmarks for underrepresented languages"
    width = setter.width("underrepresented languages", BODY) * 1.03
    lines = setter.lines(text, width, BODY, "(n=2)")
    assert "underrepresented" in " ".join(lines).split()
    assert lines[-1].endswith("(n=2)")
    project = "EleutherAI: Pythia; GPT-NeoX; LM Evaluation Harness"
    narrow = setter.width("LM Evaluation Harness", BODY) * 1.05
    assert "LM Evaluation Harness" in setter.lines(project, narrow, BODY)


def test_breaks_are_balanced_not_greedy() -> None:
    setter = Typesetter()
    text = "Collaborative reproduction of existing models for broader access"
    width = setter.width(text, BODY) * 0.6
    lines = setter.lines(text, width, BODY)
    widths = [setter.width(line, BODY) for line in lines]
    assert len(lines) == 2 and min(widths) > 0.6 * max(widths)


def test_a_word_wider_than_any_page_is_refused_not_split() -> None:
    word = "Supercalifragilisticexpialidocious" * 6
    code = {"code_id": "w", "name": f"A {word}", "parent": None, "path": "", "status": "active"}
    codes = pd.DataFrame([{**code, "stage": "pre", "kind": "x"}])
    codings = pd.DataFrame(
        [{"coder": "a", "code_id": "w", "transcript_id": 1, "participant_id": "P1"}]
    )
    m = build_map(codes, codings, {"stage": ["pre"], "kind": ["x"]}, "kind", "stage", None)
    with pytest.raises(ValueError, match="longest words"):
        figure_grid(m)


def test_codes_are_ordered_by_support_then_name_and_a_cell_counts_its_own_interviews() -> None:
    base = {"parent": None, "path": "", "status": "active", "stage": "pre", "kind": "x"}
    codes = pd.DataFrame(
        [{**base, "code_id": cid, "name": name} for cid, name in [("a", "Alpha"), ("b", "Beta")]]
    )
    codings = pd.DataFrame(
        [
            {"coder": "c", "code_id": cid, "transcript_id": t, "participant_id": f"P{t}"}
            for cid, t in [("a", 1), ("b", 1), ("b", 2)]
        ]
    )
    m = build_map(codes, codings, {"stage": ["pre"], "kind": ["x"]}, "kind", "stage", None)
    (cell,) = m.cells
    assert [c.name for c in cell.codes] == ["Beta", "Alpha"]
    assert cell.interviews == len(set(codings["transcript_id"]))


def test_the_codebook_declares_facet_labels_and_no_break_names() -> None:
    book = (ROOT / "codebook" / "linaker2025.yaml").read_text(encoding="utf-8")
    parsed = parse_codebook(book, "linaker2025.yaml").settings["cartography"]
    assert isinstance(parsed["labels"], dict) and isinstance(parsed["no_break"], list)
    bad = book.replace("  no_break: [", "  no_break: {x: [", 1).replace(
        "FineWeb 2]\n", "FineWeb 2]}\n", 1
    )
    with pytest.raises(InputError, match="no_break is a list"):
        parse_codebook(bad, "bad.yaml")

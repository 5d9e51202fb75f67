# SPDX-License-Identifier: MIT
"""The cartography figures: layout (no text overlaps or leaves the page), styles, files."""

from __future__ import annotations

import json
import random
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.lines import Line2D

from qualcarto.cartography import (
    build_map,
    figure_grid,
    figure_motivations,
    figure_organizations,
    figure_overview,
    figure_row,
    map_to_dict,
    render_all,
    save_figure,
    text_outside,
    text_overlaps,
    write_json,
)
from qualcarto.cartography.design import Design
from qualcarto.cartography.layout import new_figure, text_lines
from qualcarto.coding import CODINGS_COLUMNS as CODING_COLUMNS

REPO = Path(__file__).resolve().parents[1]
DEMO_CODEBOOK = REPO / "codebook" / "linaker2025.yaml"
DEMO_PARTICIPANTS = REPO / "transcripts" / "participants.csv"
DEMO = yaml.safe_load(DEMO_CODEBOOK.read_text(encoding="utf-8"))


def codes_from_codebook(data):
    """The ``codes`` frame of a codebook file, built here from the YAML alone."""
    by_id = {c["id"]: c for c in data["codes"]}

    def path(code):
        names = [code["name"]]
        while code.get("parent"):
            code = by_id[code["parent"]]
            names.insert(0, code["name"])
        return " > ".join(names)

    return pd.DataFrame(
        [
            {
                "code_id": c["id"],
                "name": c["name"],
                "parent": c.get("parent"),
                "path": path(c),
                "status": c.get("status", "active"),
                "color": c.get("color"),
                "definition": c.get("definition"),
                **{facet: (c.get("facets") or {}).get(facet) for facet in data["facets"]},
            }
            for c in data["codes"]
        ]
    )


def seeded_codings(codes, participant_ids, seed=7):
    """One to five interviews per code, the same every run."""
    rng = random.Random(seed)
    rows = []
    for i, code_id in enumerate(codes["code_id"]):
        for participant in rng.sample(participant_ids, 1 + i % 5):
            rows.append(
                {
                    "coding_id": len(rows),
                    "transcript_id": f"t-{participant}",
                    "transcript": participant,
                    "participant_id": participant,
                    "coder": "linaker2025" if i % 7 else "auto",
                    "code_id": code_id,
                    "start": 0,
                    "end": 10,
                    "text": "excerpt",
                    "memo": None,
                    "codebook_version": 1,
                    "created_at": None,
                }
            )
    return pd.DataFrame(rows, columns=CODING_COLUMNS)


@pytest.fixture(scope="module")
def demo_study():
    codes = codes_from_codebook(DEMO)
    participants = pd.read_csv(DEMO_PARTICIPANTS).rename(columns={"id": "participant_id"})
    codings = seeded_codings(codes, sorted(participants["participant_id"]))
    orders = DEMO["facets"]
    defaults = DEMO["cartography"]
    m = build_map(codes, codings, orders, defaults["rows"], defaults["cols"], defaults["split"])
    return {
        "codes": codes,
        "codings": codings,
        "participants": participants,
        "orders": orders,
        "map": m,
    }


@pytest.fixture(scope="module")
def demo_figures(demo_study):
    s = demo_study
    figures = {
        "grid": figure_overview(
            s["map"],
            "Cartography of Open Collaboration in Open Source AI across 14 Open LLM Initiatives",
        ),
        "full": figure_grid(s["map"]),
    }
    for row in s["map"].rows:
        figures[f"row:{row}"] = figure_row(s["map"], row)
    figures["motivations"] = figure_motivations(s["codes"], s["codings"], s["orders"])
    figures["organizations"] = figure_organizations(
        s["codes"], s["codings"], s["participants"], facet_orders=s["orders"]
    )
    return figures


FIGURE_IDS = [
    "grid",
    "full",
    *(f"row:{row}" for row in DEMO["facets"]["collab_type"]),
    "motivations",
    "organizations",
]


@pytest.fixture
def small_study():
    """Two stages x two types with a very long name, a long word and non-ASCII text."""
    long_name = (
        "Grant-funded research groups contribute significant framework improvements "
        "upstream across many releases Supercalifragilisticexpialidocious"
    )
    rows = [
        ("a", "Données partagées — communauté", "pre", "model", "on-ramp", None),
        ("b", long_name, "pre", "model", "challenge", None),
        ("c", "Hub access", "post", "data", "on-ramp", None),
        ("d", "Nobody coded this", "post", "model", "challenge", None),
        ("e", "Peer recognition", None, None, None, "social"),
    ]
    codes = pd.DataFrame(
        [
            {
                "code_id": cid,
                "name": name,
                "parent": None,
                "path": name,
                "status": "active",
                "color": None,
                "definition": "",
                "stage": stage,
                "collab_type": kind,
                "polarity": polarity,
                "category": category,
                "org_model": None,
            }
            for cid, name, stage, kind, polarity, category in rows
        ]
    )
    codings = seeded_codings(codes[codes["code_id"] != "d"], ["P1", "P2", "P3", "P4", "P5"])
    participants = pd.DataFrame(
        {
            "participant_id": ["P1", "P2"],
            "organization": ["Åcme", "Bee"],
            "organization_type": ["Company", "Grassroots"],
            "region": ["EU", "Africa"],
            "organizational_model": ["company", "grassroots"],
            "projects": ["X; Y", "Z"],
        }
    )
    orders = {
        "stage": ["pre", "post"],
        "collab_type": ["model", "data"],
        "polarity": ["on-ramp", "challenge"],
        "category": ["social"],
        "org_model": ["company", "grassroots"],
    }
    m = build_map(codes, codings, orders, "collab_type", "stage", "polarity", show_empty=True)
    return {
        "codes": codes,
        "codings": codings,
        "participants": participants,
        "orders": orders,
        "map": m,
    }


def assert_clean_layout(fig):
    for dpi in (100, 300):
        fig.set_dpi(dpi)
        assert text_overlaps(fig) == [], f"overlapping text at {dpi} dpi"
        assert text_outside(fig) == [], f"text leaving the figure at {dpi} dpi"
    fig.set_dpi(100)


def figure_text(fig):
    return " ".join(" ".join(t.get_text().split()) for t in fig.texts)


@pytest.mark.parametrize("name", FIGURE_IDS)
def test_every_demo_figure_keeps_its_text_apart_and_on_the_page(demo_figures, name):
    fig = demo_figures[name]
    assert fig.get_size_inches()[0] == pytest.approx(7.0)
    assert_clean_layout(fig)


@pytest.mark.parametrize("kind", ["grid", "row", "motivations", "organizations"])
def test_small_study_figures_with_long_names_keep_their_text_apart(small_study, kind):
    s = small_study
    fig = {
        "grid": lambda: figure_grid(s["map"]),
        "row": lambda: figure_row(s["map"], "model"),
        "motivations": lambda: figure_motivations(s["codes"], s["codings"], s["orders"]),
        "organizations": lambda: figure_organizations(s["codes"], s["codings"], s["participants"]),
    }[kind]()
    assert_clean_layout(fig)


def test_the_full_grid_lists_every_demo_code_with_its_interview_count(demo_study, demo_figures):
    text = figure_text(demo_figures["full"])
    codes = demo_study["map"].codes()
    assert len(codes) == 58  # the paper's on-ramps and challenges
    for code in codes:
        assert f"{' '.join(code.name.split())} (n={code.interviews})" in text


def test_long_names_are_wrapped_and_the_figure_grows_to_fit(small_study):
    m = small_study["map"]
    fig = figure_grid(m, title="")
    lines = text_lines(fig)
    label = next(line.label for line in lines if "Supercali" in line.text)
    assert len([line for line in lines if line.label == label]) >= 2
    fewer = build_map(
        small_study["codes"],
        small_study["codings"].iloc[:0],
        small_study["orders"],
        "collab_type",
        "stage",
        "polarity",
    )
    assert figure_grid(fewer, title="").get_size_inches()[1] < fig.get_size_inches()[1]


def test_crowded_columns_get_more_width(demo_study, demo_figures):
    def header_x(fig):
        return [line.x for line in text_lines(fig) if line.role == "col"]

    pre, post, release = header_x(demo_figures["full"])
    widths = {"pre-training": post - pre, "post-training": release - post}
    crowded = {
        col: sum(len(c.codes) for c in demo_study["map"].cells if c.col == col) for col in widths
    }
    busiest = max(crowded, key=crowded.__getitem__)
    assert widths[busiest] == max(widths.values())


def test_split_values_are_labelled_and_differ_by_colour_and_marker_in_the_codebook_order(
    small_study,
):
    fig = figure_grid(small_study["map"])
    groups = [line.text for line in text_lines(fig) if line.role == "group"]
    assert groups[:2] == ["On-ramps", "Challenges"]
    markers = {
        (a.get_marker(), a.get_color())
        for a in fig.artists
        if isinstance(a, Line2D) and a.get_marker() not in (None, "None", "")
    }
    assert markers == {("^", "#0072B2"), ("o", "#D55E00")}

    reordered = {**small_study["orders"], "polarity": ["challenge", "on-ramp"]}
    m = build_map(
        small_study["codes"], small_study["codings"], reordered, "collab_type", "stage", "polarity"
    )
    fig = figure_grid(m)
    groups = [line.text for line in text_lines(fig) if line.role == "group"]
    assert groups[:2] == ["Challenges", "On-ramps"]
    challenge = next(a for a in fig.artists if isinstance(a, Line2D) and a.get_marker() == "^")
    assert challenge.get_color() == "#0072B2"


def test_the_layout_checks_catch_overlapping_and_escaping_text():
    fig = new_figure(3.0, 2.0)
    fig.text(0.1, 0.5, "first label")
    fig.text(0.12, 0.5, "second label")
    fig.text(0.9, 0.1, "runs off the right edge")
    fig.text(0.1, 0.9, "")  # empty text is ignored
    assert text_overlaps(fig) == [("first label", "second label")]
    assert text_outside(fig) == ["runs off the right edge"]


def test_a_tree_with_many_groups_wraps_into_tiers_and_stays_clean():
    categories = [f"category number {i}" for i in range(8)]
    codes = pd.DataFrame(
        [
            {
                "code_id": f"m{i}-{j}",
                "name": f"Motivation {j} of category {i}",
                "parent": None,
                "path": "",
                "status": "active",
                "color": None,
                "definition": "",
                "category": cat,
            }
            for i, cat in enumerate(categories)
            for j in range(i % 3 + 1)
        ]
    )
    codings = seeded_codings(codes, ["P1", "P2", "P3", "P4", "P5"])
    fig = figure_motivations(codes, codings, {"category": categories})
    assert_clean_layout(fig)


label_words = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x17F),
    min_size=1,
    max_size=30,
)
labels = st.lists(label_words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(labels, min_size=1, max_size=8),
    fontsize=st.sampled_from([7.0, 7.5, 8.0]),
    data=st.data(),
)
def test_any_names_in_any_cells_keep_the_grid_clean(names, fontsize, data):
    cells = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(["pre", "post"]),
                st.sampled_from(["x", "y", "z"]),
                st.sampled_from(["up", "down"]),
            ),
            min_size=len(names),
            max_size=len(names),
        )
    )
    codes = pd.DataFrame(
        [
            {
                "code_id": f"c{i}",
                "name": name,
                "parent": None,
                "path": name,
                "status": "active",
                "color": None,
                "definition": "",
                "stage": stage,
                "kind": kind,
                "polarity": polarity,
            }
            for i, (name, (stage, kind, polarity)) in enumerate(zip(names, cells, strict=True))
        ]
    )
    codings = seeded_codings(codes, ["P1", "P2", "P3", "P4", "P5"])
    orders = {"stage": ["pre", "post"], "kind": ["x", "y", "z"], "polarity": ["up", "down"]}
    m = build_map(codes, codings, orders, "kind", "stage", "polarity")
    fig = figure_grid(m, title=" ".join(names)[:300], design=Design(body=fontsize))
    assert_clean_layout(fig)
    words = {w for name in names for w in name.split()}
    words |= {f"(n={code.interviews})" for code in m.codes()}
    drawn = [w for line in text_lines(fig) if line.role == "code" for w in line.text.split()]
    assert [w for w in drawn if w not in words] == []


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def read_pdf(path):
    """Return the page count and first page width (pt), with pypdf or poppler."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    try:
        from pypdf import PdfReader
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        reader = PdfReader(str(path))
        return len(reader.pages), float(reader.pages[0].mediabox.width)
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        pages = int(
            next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
        )
        size = next(line for line in info.splitlines() if line.startswith("Page size:"))
        return pages, float(size.split()[2])
    pytest.fail("reading the PDF needs pypdf (pip install pypdf) or poppler-utils (pdfinfo)")


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_saved_figures_open_at_paper_size(small_study, tmp_path, fmt):
    fig = figure_grid(small_study["map"])
    width_in, height_in = fig.get_size_inches()
    path = save_figure(fig, tmp_path / "nested" / f"figure1.{fmt}", fmt)
    if fmt == "svg":
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert float(root.get("width").removesuffix("pt")) == pytest.approx(width_in * 72, 0.01)
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        hub = next(c for c in small_study["map"].codes() if c.name == "Hub access")
        assert f"Hub access (n={hub.interviews})" in texts  # real text, not glyph outlines
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    elif fmt == "png":
        width_px, height_px = png_size(path)
        assert width_px == round(width_in * 300)
        assert abs(height_px - height_in * 300) <= 1
    else:
        pages, width_pt = read_pdf(path)
        assert (pages, width_pt) == (1, pytest.approx(width_in * 72, 0.01))
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-r", "30", "-png", "-singlefile", str(path), str(tmp_path / "page")],
                check=True,
                capture_output=True,
            )
            assert png_size(tmp_path / "page.png")[0] == round(width_in * 30)


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_saved_vector_files_are_byte_stable(small_study, tmp_path, fmt):
    fig = figure_row(small_study["map"], "model")
    first = save_figure(fig, tmp_path / f"a.{fmt}").read_bytes()
    second = save_figure(fig, tmp_path / f"b.{fmt}").read_bytes()
    assert first == second


def test_render_all_writes_every_figure_with_stable_names(small_study, tmp_path):
    s = small_study
    written = render_all(
        s["map"], s["codes"], s["codings"], s["participants"], s["orders"], tmp_path, "svg"
    )
    assert [p.name for p in written] == [
        "figure1.svg",
        "figure2-model.svg",
        "figure3-data.svg",
        "figure4.svg",
        "figure5.svg",
    ]
    for path in written:
        ET.parse(path)


@pytest.mark.parametrize(
    ("figures", "names"),
    [
        ("1", ["figure1.png"]),
        ("2-7", ["figure2-model.png", "figure3-data.png"]),
        (["8", "grid"], ["figure1.png", "figure4.png"]),
        ("organizations", ["figure5.png"]),
    ],
)
def test_render_all_draws_only_the_figures_asked_for(small_study, tmp_path, figures, names):
    s = small_study
    written = render_all(
        s["map"], s["codes"], s["codings"], s["participants"], s["orders"], tmp_path, "png", figures
    )
    assert sorted(p.name for p in written) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_json_format_writes_only_the_map(small_study, tmp_path):
    s = small_study
    written = render_all(
        s["map"], s["codes"], s["codings"], s["participants"], s["orders"], tmp_path, "json"
    )
    assert [p.name for p in written] == ["map.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["map.json"]
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert {k: data[k] for k in ("rows", "cols", "cells")} == map_to_dict(s["map"])
    assert data["provenance"]["split"] == "polarity"
    assert [c["label"] for c in data["motivations"]["children"]] == ["social"]
    assert data["organizations"]["interviewees"] == 2
    assert "Données partagées — communauté" in written[0].read_text(encoding="utf-8")
    assert json.loads(write_json(data, tmp_path / "again.json").read_text("utf-8")) == data


def test_figures_the_data_cannot_give_are_skipped_aloud_or_refused(small_study, tmp_path):
    s = small_study
    codes = s["codes"].drop(columns="category")
    with pytest.warns(UserWarning) as warned:
        written = render_all(s["map"], codes, s["codings"], None, s["orders"], tmp_path, "svg")
    assert [str(w.message).split(":")[0] for w in warned] == [
        "skipping the motivations figure",
        "skipping the organizations figure",
    ]
    assert [p.name for p in written] == ["figure1.svg", "figure2-model.svg", "figure3-data.svg"]
    with pytest.raises(ValueError, match="motivations"):
        render_all(s["map"], codes, s["codings"], None, s["orders"], tmp_path, "svg", "8")


@pytest.mark.parametrize(
    ("fmt", "figures", "message"),
    [("gif", "all", "format"), ("svg", "10", "unknown figure")],
)
def test_unknown_formats_and_figures_are_refused(small_study, tmp_path, fmt, figures, message):
    s = small_study
    with pytest.raises(ValueError, match=message):
        render_all(
            s["map"],
            s["codes"],
            s["codings"],
            s["participants"],
            s["orders"],
            tmp_path,
            fmt,
            figures,
        )


def test_row_figure_refuses_a_value_that_is_not_a_row(small_study):
    with pytest.raises(ValueError, match="not a row"):
        figure_row(small_study["map"], "compute")

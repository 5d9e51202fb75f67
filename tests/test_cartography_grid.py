# SPDX-License-Identifier: MIT
"""The cartography map as data: placement, support, filters, the JSON shape, the graphs."""

from __future__ import annotations

import doctest
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcarto.cartography import (
    build_map,
    map_to_dict,
    motivation_graph,
    organization_graph,
    split_styles,
    support_table,
)
from qualcarto.cartography import palette as palette_module
from qualcarto.cartography import support as support_module
from qualcarto.cartography.motivations import children
from qualcarto.coding import CODINGS_COLUMNS as CODING_COLUMNS
from shared_material import paper_text

REPO = Path(__file__).resolve().parents[1]
FACETS = ("stage", "collab_type", "polarity", "category", "org_model")


def code(code_id, name, parent=None, status="active", **facets):
    row = {
        "code_id": code_id,
        "name": name,
        "parent": parent,
        "path": name,
        "status": status,
        "color": None,
        "definition": f"definition of {name}",
    }
    row.update({facet: facets.get(facet) for facet in FACETS})
    return row


def codings_frame(rows):
    """Codings from (coder, code_id, transcript_id, participant_id) tuples."""
    records = [
        {
            "coding_id": i,
            "transcript_id": transcript,
            "transcript": f"interview {transcript}",
            "participant_id": participant,
            "coder": coder,
            "code_id": code_id,
            "start": 0,
            "end": 5,
            "text": "Ünïcode excerpt",
            "memo": None,
            "codebook_version": 1,
            "created_at": "2025-01-01",
        }
        for i, (coder, code_id, transcript, participant) in enumerate(rows)
    ]
    return pd.DataFrame(records, columns=CODING_COLUMNS)


@pytest.fixture
def facet_orders():
    return {
        "stage": ["pre-training", "post-release"],
        "collab_type": ["model", "data"],
        "polarity": ["on-ramp", "challenge"],
        "category": ["social", "economic"],
        "org_model": ["single-company", "grassroots"],
    }


@pytest.fixture
def tiny_codebook():
    """Two stages x two types; a grouping code, a retired code, motivations, org models."""
    return pd.DataFrame(
        [
            code("pre", "Pre-training", stage="pre-training"),
            code(
                "pre-model", "Pre-training: model", "pre", stage="pre-training", collab_type="model"
            ),
            code(
                "secrets",
                "Secrets guarded",
                "pre-model",
                stage="pre-training",
                collab_type="model",
                polarity="challenge",
            ),
            code(
                "reproduce",
                "Reproduce models",
                "pre-model",
                stage="pre-training",
                collab_type="model",
                polarity="on-ramp",
            ),
            code(
                "advisors",
                "Advisors help",
                "pre-model",
                stage="pre-training",
                collab_type="model",
                polarity="on-ramp",
            ),
            code(
                "donnees",
                "Données partagées — communauté",
                stage="pre-training",
                collab_type="data",
                polarity="on-ramp",
            ),
            code(
                "hub", "Hub access", stage="post-release", collab_type="model", polarity="on-ramp"
            ),
            code(
                "unused",
                "Nobody coded this",
                stage="post-release",
                collab_type="data",
                polarity="challenge",
            ),
            code(
                "old",
                "Retired theme",
                status="retired",
                stage="post-release",
                collab_type="data",
                polarity="on-ramp",
            ),
            code("mot", "Motivations"),
            code("mot-social", "Social motivations", "mot", category="social"),
            code("peers", "Peer recognition", "mot-social", category="social"),
            code("passion", "Personal passion", "mot-social", category="social"),
            code("career", "Career advancement", "mot", category="economic"),
            code("org-company", "Single company projects", org_model="single-company"),
            code("org-grass", "Grassroots projects", org_model="grassroots"),
        ]
    )


@pytest.fixture
def two_coder_codings():
    return codings_frame(
        [
            ("ana", "secrets", "t1", "I1"),
            ("ana", "secrets", "t1", "I1"),
            ("ana", "secrets", "t2", "I2"),
            ("ben", "secrets", "t3", "I10"),
            ("ana", "reproduce", "t1", "I1"),
            ("ben", "advisors", "t2", "I2"),
            ("ana", "donnees", "t3", "I10"),
            ("ana", "hub", "t1", "I1"),
            ("ben", "hub", "t1", "I1"),
            ("ana", "peers", "t1", "I1"),
            ("ana", "passion", "t2", "I2"),
            ("ben", "passion", "t3", "I10"),
            ("ana", "career", "t3", "I10"),
            ("ana", "org-company", "t1", "I1"),
            ("ana", "not-in-codebook", "t1", "I1"),
        ]
    )


@pytest.fixture
def paper_map(tiny_codebook, two_coder_codings, facet_orders):
    return build_map(
        tiny_codebook, two_coder_codings, facet_orders, "collab_type", "stage", "polarity"
    )


def placed(m):
    return {c.id: (cell.row, cell.col) for cell in m.cells for c in cell.codes}


def test_cells_cover_the_vocabularies_in_row_major_order(paper_map, facet_orders):
    assert paper_map.rows == tuple(facet_orders["collab_type"])
    assert paper_map.cols == tuple(facet_orders["stage"])
    assert [(c.row, c.col) for c in paper_map.cells] == list(
        itertools.product(facet_orders["collab_type"], facet_orders["stage"])
    )


@pytest.mark.parametrize(
    ("code_id", "cell"),
    [
        ("secrets", ("model", "pre-training")),
        ("reproduce", ("model", "pre-training")),
        ("donnees", ("data", "pre-training")),
        ("hub", ("model", "post-release")),
    ],
)
def test_each_code_sits_in_the_cell_its_facets_name(paper_map, code_id, cell):
    assert placed(paper_map)[code_id] == cell


def test_grouping_motivation_and_uncoded_codes_stay_off_the_map(paper_map):
    assert set(placed(paper_map)) == {"secrets", "reproduce", "advisors", "donnees", "hub"}


def test_support_counts_distinct_interviews_excerpts_and_participants(paper_map):
    secrets = next(c for c in paper_map.codes() if c.id == "secrets")
    assert (secrets.interviews, secrets.excerpts) == (3, 4)
    assert secrets.participants == ("I1", "I10", "I2")  # sorted as strings
    assert secrets.label == "Secrets guarded (n=3)"


def test_codes_in_a_cell_follow_the_split_order_then_name(paper_map):
    cell = paper_map.cell("model", "pre-training")
    assert [c.name for c in cell.codes] == ["Advisors help", "Reproduce models", "Secrets guarded"]
    assert [c.split for c in cell.codes] == ["on-ramp", "on-ramp", "challenge"]


def test_split_order_comes_from_the_codebook_not_from_names(
    tiny_codebook, two_coder_codings, facet_orders
):
    reordered = {**facet_orders, "polarity": ["challenge", "on-ramp"]}
    m = build_map(tiny_codebook, two_coder_codings, reordered, "collab_type", "stage", "polarity")
    assert [c.split for c in m.cell("model", "pre-training").codes] == [
        "challenge",
        "on-ramp",
        "on-ramp",
    ]
    first = split_styles(reordered["polarity"])["challenge"]
    assert (first.color, first.marker) == ("#0072B2", "^")
    assert split_styles(facet_orders["polarity"])["challenge"].marker == "o"


@pytest.mark.parametrize(
    ("coders", "expected"),
    [
        (None, {"secrets": 3, "reproduce": 1, "advisors": 1, "donnees": 1, "hub": 1}),
        (["ana"], {"secrets": 2, "reproduce": 1, "donnees": 1, "hub": 1}),
        (["ben"], {"secrets": 1, "advisors": 1, "hub": 1}),
        ([], {}),
    ],
)
def test_coders_filter_the_codings(
    tiny_codebook, two_coder_codings, facet_orders, coders, expected
):
    m = build_map(
        tiny_codebook,
        two_coder_codings,
        facet_orders,
        "collab_type",
        "stage",
        "polarity",
        coders=coders,
    )
    assert {c.id: c.interviews for c in m.codes()} == expected
    assert m.coders == (None if coders is None else tuple(coders))


@pytest.mark.parametrize(("min_support", "expected"), [(1, 5), (2, 1), (3, 1), (4, 0)])
def test_min_support_hides_thinly_supported_codes(
    tiny_codebook, two_coder_codings, facet_orders, min_support, expected
):
    m = build_map(
        tiny_codebook,
        two_coder_codings,
        facet_orders,
        "collab_type",
        "stage",
        "polarity",
        min_support=min_support,
    )
    assert len(m.codes()) == expected


def test_show_empty_adds_uncoded_active_codes_but_not_retired_ones(
    tiny_codebook, two_coder_codings, facet_orders
):
    m = build_map(
        tiny_codebook,
        two_coder_codings,
        facet_orders,
        "collab_type",
        "stage",
        "polarity",
        show_empty=True,
    )
    unused = m.cell("data", "post-release").codes
    assert [(c.id, c.interviews, c.excerpts, c.participants) for c in unused] == [
        ("unused", 0, 0, ())
    ]


def test_retired_code_still_shows_when_it_was_coded(tiny_codebook, facet_orders):
    codings = codings_frame([("ana", "old", "t1", "I1")])
    m = build_map(tiny_codebook, codings, facet_orders, "collab_type", "stage", "polarity")
    assert [c.id for c in m.codes()] == ["old"]


def test_any_facets_can_be_rows_and_columns(tiny_codebook, two_coder_codings, facet_orders):
    m = build_map(tiny_codebook, two_coder_codings, facet_orders, "stage", "polarity", None)
    assert m.rows == ("pre-training", "post-release")
    assert m.cols == ("on-ramp", "challenge")
    assert placed(m)["secrets"] == ("pre-training", "challenge")
    assert placed(m)["hub"] == ("post-release", "on-ramp")
    assert {c.split for c in m.codes()} == {None}


def test_without_a_split_a_code_grouping_its_own_cell_is_left_out(
    tiny_codebook, two_coder_codings, facet_orders
):
    codings = pd.concat(
        [two_coder_codings, codings_frame([("ana", "pre-model", "t1", "I1")])], ignore_index=True
    )
    m = build_map(tiny_codebook, codings, facet_orders, "collab_type", "stage", None)
    assert "pre-model" not in placed(m)
    assert "secrets" in placed(m)


def test_map_to_dict_has_exactly_the_documented_shape(paper_map):
    data = map_to_dict(paper_map)
    assert list(data) == ["rows", "cols", "cells"]
    assert data["rows"] == ["model", "data"]
    assert all(list(cell) == ["row", "col", "interviews", "codes"] for cell in data["cells"])
    first = data["cells"][0]["codes"][0]
    assert list(first) == ["id", "name", "split", "interviews", "excerpts", "participants"]
    assert first == {
        "id": "advisors",
        "name": "Advisors help",
        "split": "on-ramp",
        "interviews": 1,
        "excerpts": 1,
        "participants": ["I2"],
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda codes, codings, orders: (codes.drop(columns="stage"), codings, orders), "stage"),
        (lambda codes, codings, orders: (codes, codings.drop(columns="coder"), orders), "coder"),
        (
            lambda codes, codings, orders: (
                codes,
                codings,
                {k: v for k, v in orders.items() if k != "polarity"},
            ),
            "no declared order",
        ),
        (
            lambda codes, codings, orders: (
                codes.assign(polarity=codes["polarity"].replace("challenge", "barrier")),
                codings,
                orders,
            ),
            "outside its declared vocabulary",
        ),
        (
            lambda codes, codings, orders: (pd.concat([codes, codes.head(1)]), codings, orders),
            "more than once",
        ),
    ],
)
def test_bad_input_gets_a_precise_error(
    tiny_codebook, two_coder_codings, facet_orders, change, message
):
    codes, codings, orders = change(tiny_codebook, two_coder_codings, facet_orders)
    with pytest.raises(ValueError, match=message):
        build_map(codes, codings, orders, "collab_type", "stage", "polarity")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"rows": "stage", "cols": "stage"}, ValueError),
        ({"min_support": -1}, ValueError),
        ({"coders": "ana"}, TypeError),
    ],
)
def test_bad_arguments_are_refused(tiny_codebook, two_coder_codings, facet_orders, kwargs, error):
    arguments = {"rows": "collab_type", "cols": "stage", "split": "polarity", **kwargs}
    with pytest.raises(error):
        build_map(tiny_codebook, two_coder_codings, facet_orders, **arguments)


CODE_IDS = ["secrets", "reproduce", "advisors", "donnees", "hub", "unused"]
coding_rows = st.lists(
    st.tuples(
        st.sampled_from(["ana", "ben", "cy"]),
        st.sampled_from([*CODE_IDS, "peers", "nowhere"]),
        st.sampled_from(["t1", "t2", "t3", "t4"]),
        st.sampled_from(["I1", "I2", "I3", "Ï4"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=coding_rows)
def test_support_equals_distinct_transcripts_and_no_coding_is_lost(rows):
    codebook = pd.DataFrame(
        [
            code(
                cid,
                cid.title(),
                stage="pre-training",
                collab_type="model",
                polarity=("on-ramp" if i % 2 else "challenge"),
            )
            for i, cid in enumerate(CODE_IDS)
        ]
    )
    orders = {
        "stage": ["pre-training"],
        "collab_type": ["model"],
        "polarity": ["on-ramp", "challenge"],
    }
    codings = codings_frame(rows)
    m = build_map(codebook, codings, orders, "collab_type", "stage", "polarity")
    for entry in m.codes():
        mine = codings[codings["code_id"] == entry.id]
        assert entry.interviews == mine["transcript_id"].nunique()
        assert entry.excerpts == len(mine)
        assert list(entry.participants) == sorted(set(mine["participant_id"]))
    on_map = codings[codings["code_id"].isin(CODE_IDS)]
    assert sum(c.excerpts for c in m.codes()) == len(on_map)
    assert len({c.id for c in m.codes()}) == len(m.codes())


@settings(max_examples=40, deadline=None)
@given(rows=coding_rows, min_support=st.integers(0, 4))
def test_raising_min_support_only_removes_codes(rows, min_support):
    codebook = pd.DataFrame(
        [
            code(cid, cid, stage="pre-training", collab_type="model", polarity="on-ramp")
            for cid in CODE_IDS
        ]
    )
    orders = {"stage": ["pre-training"], "collab_type": ["model"], "polarity": ["on-ramp"]}
    codings = codings_frame(rows)
    lower = build_map(
        codebook, codings, orders, "collab_type", "stage", "polarity", min_support=min_support
    )
    higher = build_map(
        codebook, codings, orders, "collab_type", "stage", "polarity", min_support=min_support + 1
    )
    assert set(higher.codes()) <= set(lower.codes())
    assert all(c.interviews >= min_support + 1 for c in higher.codes())


def test_support_table_skips_missing_transcripts_and_participants():
    codings = codings_frame([("ana", "c", None, None), ("ana", "c", "t1", "I1")])
    row = support_table(codings).loc["c"]
    assert (row.interviews, row.excerpts, row.participants) == (1, 2, ("I1",))


def test_motivation_tree_has_categories_in_order_named_by_their_grouping_code(
    tiny_codebook, two_coder_codings, facet_orders
):
    graph = motivation_graph(tiny_codebook, two_coder_codings, facet_orders)
    root = graph.graph["root"]
    categories = children(graph, root)
    assert [graph.nodes[n]["label"] for n in categories] == ["Social motivations", "economic"]
    social = [graph.nodes[n]["label"] for n in children(graph, categories[0])]
    assert social == ["Personal passion", "Peer recognition"]  # most interviews first
    assert graph.nodes["code:passion"]["excerpts"] == 2
    assert graph.nodes[categories[0]]["interviews"] == 3  # t1, t2, t3
    assert graph.nodes[categories[0]]["participants"] == ("I1", "I10", "I2")
    assert graph.nodes[root]["interviews"] == 3
    assert all(graph.in_degree(n) == 1 for n in graph if n != root)


def test_motivation_tree_filters_like_the_map(tiny_codebook, two_coder_codings, facet_orders):
    graph = motivation_graph(tiny_codebook, two_coder_codings, facet_orders, coders=["ben"])
    assert [graph.nodes[n]["label"] for n in graph if graph.nodes[n]["kind"] == "item"] == [
        "Personal passion"
    ]


@pytest.fixture
def participants():
    return pd.DataFrame(
        {
            "participant_id": ["I1", "I2", "I10", "I4"],
            "organization": ["Åcme Labs", "Åcme Labs", "Grass Co-op", "Nowhere"],
            "organization_type": ["Company", "Company", "Grassroots", None],
            "region": ["Europe", "Europe", "Africa", "Asia"],
            "organizational_model": ["single-company", "single-company", "grassroots", None],
            "projects": ["Model A; Tool B", "Model A", ["Corpus C"], None],
        }
    )


def test_organization_tree_groups_participants_by_model(
    tiny_codebook, two_coder_codings, participants, facet_orders
):
    graph = organization_graph(
        tiny_codebook, two_coder_codings, participants, facet_orders=facet_orders
    )
    models = children(graph, graph.graph["root"])
    assert [graph.nodes[n]["label"] for n in models] == [
        "Single company projects",
        "Grassroots projects",
    ]
    company = graph.nodes[models[0]]
    assert (company["interviewees"], company["participants"], company["excerpts"]) == (
        2,
        ("I1", "I2"),
        1,
    )
    [acme] = children(graph, models[0])
    assert graph.nodes[acme]["label"] == "Åcme Labs: Model A; Tool B"
    listed = [p for n in models for o in children(graph, n) for p in graph.nodes[o]["participants"]]
    assert sorted(listed) == ["I1", "I10", "I2"]  # I4 has no model


def test_organization_tree_orders_unknown_models_after_declared_ones(tiny_codebook, participants):
    extra = pd.concat(
        [
            participants,
            pd.DataFrame(
                [
                    {
                        "participant_id": "I9",
                        "organization": "Zed",
                        "organizational_model": "Another model",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    graph = organization_graph(
        tiny_codebook,
        codings_frame([]),
        extra,
        facet_orders={"org_model": ["grassroots", "single-company"]},
    )
    labels = [graph.nodes[n]["label"] for n in children(graph, graph.graph["root"])]
    assert labels == ["Grassroots projects", "Single company projects", "Another model"]


@pytest.mark.parametrize("module", [support_module, palette_module])
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


# The paper's section 5 as a table: each "5.x.y <Stage>: <Type> Collaborations" heading,
# then one "Challenge: <theme>." or "On-ramp: <theme>." paragraph per theme (58 in all).
# Kept here so the check runs on a fresh clone; the next test re-reads it from the paper.
PAPER_SECTION_5 = """
model         | pre-training  | challenge | Organizations guard pre-training methods as competitive secrets
model         | pre-training  | challenge | Resource-intensity limits spontaneous collaboration opportunities
model         | pre-training  | challenge | Technical complexity restricts participation to experts
model         | pre-training  | challenge | Fast-paced development cycles prevent sustained collaborations
model         | pre-training  | on-ramp   | Collaborative reproduction of existing models for broader access
model         | pre-training  | on-ramp   | Strategic partnerships between foundation model and specialized model developers
model         | pre-training  | on-ramp   | External domain experts contribute specialized knowledge through advisory roles
data          | pre-training  | challenge | Copyright restrictions and legal complexity constrain dataset sharing
data          | pre-training  | challenge | Data curation receives disproportionately less attention than model training
data          | pre-training  | challenge | Reluctance to share datasets due to high investment costs
data          | pre-training  | on-ramp   | Building upon established foundational datasets (e.g., CommonCrawl or The Pile)
data          | pre-training  | on-ramp   | Contribute specialized datasets to address ecosystem gaps
data          | pre-training  | on-ramp   | Crowdsourced annotation improves dataset quality through distributed expertise
data          | pre-training  | on-ramp   | Community projects collect culturally specific data for underrepresented languages
data          | pre-training  | on-ramp   | Strategic partnerships enable access to high-quality regional language data
data          | pre-training  | on-ramp   | Universities and companies form data-expertise partnerships
data          | pre-training  | on-ramp   | Community develops shared standards for trusted dataset licensing
software      | pre-training  | challenge | Technical complexity limits external contributions to core development teams
software      | pre-training  | challenge | Multiple competing frameworks fragment community effort and collaboration
software      | pre-training  | challenge | Internal tool dependencies limit portability and open source value
software      | pre-training  | on-ramp   | Open source LLM training frameworks reduce barriers to model training
software      | pre-training  | on-ramp   | Users contribute specialized capabilities developed for internal needs
software      | pre-training  | on-ramp   | Collaborating on portability across technical environments
software      | pre-training  | on-ramp   | Community identifies and documents fixes for critical software issues
evaluation    | pre-training  | on-ramp   | Open source evaluation frameworks enable consistent model comparison across community
evaluation    | pre-training  | on-ramp   | Creation of benchmarks for low- and medium-resource languages
evaluation    | pre-training  | on-ramp   | Speakers of low- or medium-resource languages contribute language expertise to evaluation datasets
evaluation    | pre-training  | on-ramp   | Unified leaderboards integrate diverse evaluation resources for comprehensive assessment of LLMs
non-technical | pre-training  | on-ramp   | Shared documentation of training experiences reduces community experimentation costs
non-technical | pre-training  | on-ramp   | Content (e.g., blogs) can amplify a project's visibility
compute       | pre-training  | challenge | Compute requirements constrain open collaboration
compute       | pre-training  | on-ramp   | Institutional partnerships with public supercomputing infrastructure can enable LLM training
compute       | pre-training  | on-ramp   | Research credit programs enable academic access to enterprise-level infrastructure
compute       | pre-training  | on-ramp   | Vendor partnerships can provide specialized resources and enable technical optimization
model         | post-training | on-ramp   | Sharing intermediate checkpoints with trusted partners for testing
data          | post-training | on-ramp   | Sharing specialized post-training datasets with the community
evaluation    | post-training | on-ramp   | Developers use community benchmark suites for comprehensive model assessment
evaluation    | post-training | on-ramp   | Community leaderboards enable transparent model performance comparisons
model         | post-release  | challenge | Network firewalls create international collaboration barriers
model         | post-release  | challenge | Approval-based licensing discriminates against certain regions and organizations
model         | post-release  | on-ramp   | Platforms like Hugging Face Hub democratize LLM access
model         | post-release  | on-ramp   | Government and enterprise partnerships enable customized model deployment
model         | post-release  | on-ramp   | Adapting LLMs for local languages and contexts
model         | post-release  | on-ramp   | Community-driven feedback
model         | post-release  | on-ramp   | Development of derivative models
model         | post-release  | on-ramp   | Creating apps or demos to showcase model capabilities
model         | post-release  | on-ramp   | Open LLM projects can catalyze follow-up community-driven initiatives
model         | post-release  | on-ramp   | Partnerships on domain-specific applications
data          | post-release  | on-ramp   | LLM releases can catalyze community efforts to expand language coverage
data          | post-release  | on-ramp   | Creation of specialized datasets for emerging use cases
data          | post-release  | on-ramp   | Creating data collection platforms can enable long-term community engagement
software      | post-release  | challenge | Resource constraints limit the ability to make open-sourced software generalizable
software      | post-release  | on-ramp   | Grant-funded research groups contribute significant framework improvements upstream
software      | post-release  | on-ramp   | External users provide testing feedback and performance improvements
software      | post-release  | on-ramp   | Framework adaptation and tool development
evaluation    | post-release  | on-ramp   | Developers use shared evaluation tools to benchmark and compare LLM capabilities
evaluation    | post-release  | on-ramp   | Continuous benchmarking
non-technical | post-release  | on-ramp   | Research on open artifacts provides valuable feedback to original developers
"""


def paper_table():
    return [
        tuple(part.strip() for part in line.split("|"))
        for line in PAPER_SECTION_5.strip().splitlines()
    ]


def demo_codes():
    data = yaml.safe_load((REPO / "codebook" / "linaker2025.yaml").read_text(encoding="utf-8"))
    records = [
        code(
            c["id"],
            c["name"],
            c.get("parent"),
            c.get("status", "active"),
            **(c.get("facets") or {}),
        )
        for c in data["codes"]
    ]
    return pd.DataFrame(records), data["facets"], data["cartography"]


def test_the_demo_codebook_puts_every_paper_theme_in_the_papers_cell_and_nothing_else():
    codes, orders, defaults = demo_codes()
    m = build_map(
        codes,
        codings_frame([]),
        orders,
        defaults["rows"],
        defaults["cols"],
        defaults["split"],
        show_empty=True,
    )
    on_map = sorted((cell.row, cell.col, c.split, c.name) for cell in m.cells for c in cell.codes)
    assert on_map == sorted(paper_table())


def test_the_section_5_table_is_what_the_paper_says():
    heading = re.compile(r"^5\.\d\.\d (Pre-training|Post-training|Post-release): (\S+) Collab")
    theme = re.compile(r"^(Challenge|On-ramp): (.*)$")
    paragraphs, cell = [], None
    for line in paper_text().splitlines():
        if found := heading.match(line):
            cell = (found.group(2).lower(), found.group(1).lower())
        elif line.startswith("6 "):
            cell = None
        elif (found := theme.match(line)) and cell:
            paragraphs.append((*cell, found.group(1).lower(), found.group(2)))
    table = paper_table()
    assert len(paragraphs) == len(table) == 58
    for row, col, polarity, name in table:
        matches = [p for p in paragraphs if p[3].startswith(name)]
        assert [p[:3] for p in matches] == [(row, col, polarity)], name

# SPDX-License-Identifier: MIT
"""The motivations tree (the study's Figure 8) as a ``networkx`` graph.

``motivation_graph`` builds a three-level tree: a root, one node per value of a
category facet (``category``: social, economic, technological in the study) in
its declared order, and under each category the codes carrying that value,
with their support. Drawing lives in ``render_tree``.

Node ids are strings: ``"root"``, ``"category:<value>"`` and ``"code:<code_id>"``.
Every node has ``kind`` (root/group/item), ``label``, ``interviews``,
``excerpts``, ``participants`` and ``order`` (its rank among its siblings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx
import pandas as pd

from qualcarto.cartography.grid import grouping_codes
from qualcarto.cartography.support import (
    CODE_COLUMNS,
    check_vocabulary,
    declared_order,
    filter_coders,
    plain,
    require_columns,
    support_of,
    support_table,
)

ROOT = "root"


def add_node(graph: nx.DiGraph, node: str, parent: str | None, **attrs: object) -> None:
    """Add ``node`` under ``parent``, ranking it after its existing siblings."""
    order = 0 if parent is None else graph.out_degree(parent)
    graph.add_node(node, order=order, **attrs)
    if parent is not None:
        graph.add_edge(parent, node)


def children(graph: nx.DiGraph, node: str) -> list[str]:
    """Return the children of ``node`` in their ``order``."""
    return sorted(graph.successors(node), key=lambda child: graph.nodes[child]["order"])


def _by_support(item: Mapping[str, object]) -> tuple[int, str]:
    return (-int(str(item["interviews"])), str(item["label"]).casefold())


def motivation_graph(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    facet_orders: Mapping[str, Sequence[str]],
    category_facet: str = "category",
    coders: Sequence[str] | None = None,
    min_support: int = 1,
    show_empty: bool = False,
    root_label: str = "Motivations",
) -> nx.DiGraph:
    """Build the tree root -> categories -> motivation codes, with support.

    A motivation is a code with a value for ``category_facet``; a code whose
    children share its value groups them and names the category (``Social
    motivations``), else the value does. Categories come
    in the facet's declared order; the motivations of a category by interviews
    (most first), then name. A category's support counts the distinct
    interviews and participants behind any of its shown motivations. Filtering
    (``coders``, ``min_support``, ``show_empty``) is as in ``build_map``;
    categories left without motivations are dropped unless ``show_empty``.
    """
    require_columns(codes, (*CODE_COLUMNS, category_facet), "codes")
    order = declared_order(category_facet, facet_orders)
    check_vocabulary(codes, category_facet, order)
    support = support_table(codings, coders)

    carrying = codes[codes[category_facet].notna()]
    grouping = grouping_codes(carrying, [category_facet])
    labels = {
        str(value): str(name)
        for value, name in zip(
            carrying.loc[grouping, category_facet], carrying.loc[grouping, "name"], strict=True
        )
    }
    motivations = carrying[~grouping]
    by_category: dict[str, list[dict[str, object]]] = {value: [] for value in order}
    for record in motivations.to_dict("records"):
        interviews, excerpts, participants = support_of(support, record["code_id"])
        coded = excerpts > 0
        if not ((coded and interviews >= min_support) or (show_empty and not coded)):
            continue
        if not coded and record["status"] == "retired":
            continue
        by_category[str(record[category_facet])].append(
            {
                "code_id": plain(record["code_id"]),
                "label": str(record["name"]),
                "interviews": interviews,
                "excerpts": excerpts,
                "participants": participants,
            }
        )

    kept_ids = {m["code_id"] for items in by_category.values() for m in items}
    group_of = {
        plain(cid): f"category:{value}"
        for cid, value in zip(motivations["code_id"], motivations[category_facet], strict=True)
        if plain(cid) in kept_ids
    }
    scoped = filter_coders(codings, coders)
    scoped = scoped[scoped["code_id"].map(lambda cid: plain(cid) in group_of)]
    grouped = support_table(
        scoped.assign(code_id=scoped["code_id"].map(lambda cid: group_of[plain(cid)]))
    )
    overall = support_table(scoped.assign(code_id=ROOT))

    graph = nx.DiGraph(root=ROOT, facet=category_facet)
    interviews, excerpts, participants = support_of(overall, ROOT)
    add_node(
        graph,
        ROOT,
        None,
        kind="root",
        label=root_label,
        interviews=interviews,
        excerpts=excerpts,
        participants=participants,
    )
    for value in order:
        items = by_category[value]
        if not items and not show_empty:
            continue
        node = f"category:{value}"
        interviews, excerpts, participants = support_of(grouped, node)
        add_node(
            graph,
            node,
            ROOT,
            kind="group",
            label=labels.get(value, value),
            value=value,
            interviews=interviews,
            excerpts=excerpts,
            participants=participants,
        )
        for item in sorted(items, key=_by_support):
            add_node(graph, f"code:{item['code_id']}", node, kind="item", **item)
    return graph

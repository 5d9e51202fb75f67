# SPDX-License-Identifier: MIT
"""The organizational models (the study's Figure 9) as a ``networkx`` graph.

``organization_graph`` groups the interviewees' organizations by the
organizational model recorded as a participant attribute (column
``organizational_model`` by default) and builds the tree root -> models ->
organizations (with their projects). Models are ordered by the codebook: the
declared vocabulary of the model facet when there is one, else the order of
the codes whose names match the models, else alphabetically. A model that
matches a code (by model-facet value, name or id) is labelled with that code's
name and carries its support from the codings. Drawing lives in ``render_tree``.

Node ids are strings: ``"root"``, ``"model:<name>"`` and
``"org:<model>/<organization>"``; every node has ``kind``, ``label``,
``interviewees`` (distinct participants), ``participants`` and ``order``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from qualcarto.cartography.motivations import ROOT, add_node
from qualcarto.cartography.support import (
    CODE_COLUMNS,
    plain,
    require_columns,
    support_of,
    support_table,
)

PARTICIPANT_COLUMNS: tuple[str, ...] = ("participant_id", "organization")


def normalized(name: object) -> str:
    """Fold case, hyphens, underscores and spacing so labels written differently match."""
    return re.sub(r"[\s_\-]+", " ", str(name)).strip().casefold()


def projects_text(value: object) -> str:
    """Render a ``projects`` cell (``"a; b"``, a list, or missing) as ``"a; b"``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value).strip()


def _model_codes(codes: pd.DataFrame, model_facet: str) -> dict[str, tuple[int, Any, str]]:
    """Map each normalized name, id and facet value of a model code to (rank, id, name).

    When some codes carry ``model_facet`` only they are models; else any code may be.
    """
    if model_facet in codes.columns and codes[model_facet].notna().any():
        codes = codes[codes[model_facet].notna()]
    keys: dict[str, tuple[int, Any, str]] = {}
    for rank, record in enumerate(codes.to_dict("records")):
        candidates = [record["name"], record["code_id"], record.get(model_facet)]
        for key in candidates:
            if projects_text(key):
                keys.setdefault(
                    normalized(key), (rank, plain(record["code_id"]), str(record["name"]))
                )
    return keys


def organization_graph(
    codes: pd.DataFrame,
    codings: pd.DataFrame,
    participants: pd.DataFrame,
    model_column: str = "organizational_model",
    facet_orders: Mapping[str, Sequence[str]] | None = None,
    model_facet: str = "org_model",
    coders: Sequence[str] | None = None,
    root_label: str = "Organizational models",
) -> nx.DiGraph:
    """Build the tree root -> organizational models -> organizations and projects.

    Every participant with a model and an organization appears under exactly
    one model; participants without a model are left out of the figure.
    """
    require_columns(codes, CODE_COLUMNS, "codes")
    if "participant_id" not in participants.columns and "id" in participants.columns:
        participants = participants.rename(columns={"id": "participant_id"})
    require_columns(participants, (*PARTICIPANT_COLUMNS, model_column), "participants")
    support = support_table(codings, coders)
    code_keys = _model_codes(codes, model_facet)
    vocabulary = [normalized(v) for v in (facet_orders or {}).get(model_facet, [])]

    placed = participants[participants[model_column].notna() & participants["organization"].notna()]
    models: dict[str, list[dict[Any, Any]]] = {}
    for record in placed.to_dict("records"):
        models.setdefault(str(record[model_column]).strip(), []).append(record)

    def model_rank(model: str) -> tuple[int, int, str]:
        key = normalized(model)
        vocab_rank = vocabulary.index(key) if key in vocabulary else len(vocabulary)
        code_rank = code_keys[key][0] if key in code_keys else len(code_keys)
        return (vocab_rank, code_rank, key)

    everyone = tuple(sorted({str(r["participant_id"]) for rs in models.values() for r in rs}))
    graph = nx.DiGraph(root=ROOT, column=model_column)
    add_node(
        graph,
        ROOT,
        None,
        kind="root",
        label=root_label,
        interviewees=len(everyone),
        participants=everyone,
    )
    for model in sorted(models, key=model_rank):
        members = models[model]
        _, code_id, label = code_keys.get(normalized(model), (0, None, model))
        interviews, excerpts, _ = support_of(support, code_id)
        ids = tuple(sorted({str(r["participant_id"]) for r in members}))
        model_node = f"model:{model}"
        add_node(
            graph,
            model_node,
            ROOT,
            kind="group",
            label=label,
            value=model,
            code_id=code_id,
            interviewees=len(ids),
            participants=ids,
            interviews=interviews,
            excerpts=excerpts,
        )
        by_org: dict[str, list[dict[Any, Any]]] = {}
        for record in members:
            by_org.setdefault(str(record["organization"]).strip(), []).append(record)
        for organization in sorted(by_org, key=lambda o: (o.casefold(), o)):
            rows = by_org[organization]
            projects: list[str] = []
            for record in rows:
                for project in projects_text(record.get("projects")).split(";"):
                    if project.strip() and project.strip() not in projects:
                        projects.append(project.strip())
            org_ids = tuple(sorted({str(r["participant_id"]) for r in rows}))
            types = sorted({projects_text(r.get("organization_type")) for r in rows} - {""})
            add_node(
                graph,
                f"org:{model}/{organization}",
                model_node,
                kind="item",
                label=f"{organization}: {'; '.join(projects)}" if projects else organization,
                organization=organization,
                projects="; ".join(projects),
                organization_type=", ".join(types),
                interviewees=len(org_ids),
                participants=org_ids,
            )
    return graph

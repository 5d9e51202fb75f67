# SPDX-License-Identifier: MIT
"""qualcarto to qualcarto through a ``.qdpx``: nothing lost, the standard part still valid.

The sidecar (``qualcarto.json``) carries what REFI-QDA cannot: code ids, keywords,
facets, cartography settings, user roles, machine layers and coding origins; groups,
typed attributes and memos travel in standard elements. ``--positions utf16`` counts
positions the way NVivo and QualCoder do.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import Engine, select

from conftest import copy_demo
from qualcarto.codebook import get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.exchange import study_data
from qualcarto.exchange.refi_export import write_qdpx
from qualcarto.exchange.refi_import import import_refi
from qualcarto.memos import add_memo_text
from qualcarto.store import Memo, Participant, Transcript, User, connect, session_scope
from qualcarto.study import create_study
from qualcarto.transcripts.attributes import attribute_types, define_attribute, set_participants
from qualcarto.transcripts.groups import add_to_group, list_groups
from shared_material import refi_schema


def project_xsd() -> etree.XMLSchema:
    """The REFI-QDA project schema from ``../shared/refi``, read when a test runs."""
    schema: etree.XMLSchema = refi_schema("Project.xsd")
    return schema


def snapshot(engine: Engine) -> dict[str, Any]:
    """Everything the round trip must keep, in comparable form."""
    with session_scope(engine) as session:
        book = version_codebook(get_version(session))
        codings = codings_frame(session)
        return {
            "codes": [
                (c.id, c.name, c.parent, c.keywords, c.facets, c.include, c.status)
                for c in book.codes
            ],
            "facets": book.facets,
            "settings": book.settings,
            "users": sorted(
                (u.name, u.role, u.kind)
                for u in session.scalars(select(User))
                if u.name in set(codings["coder"]) | {"ana", "ben", "lena"}
            ),
            "codings": sorted(
                codings[["transcript", "coder", "code_id", "start", "end", "memo", "origin"]]
                .astype(str)
                .itertuples(index=False, name=None)
            ),
            "groups": list_groups(session),
            # an attribute nobody declared is Text; the import declares it so
            "types": {k: v for k, v in attribute_types(session).items() if v != "Text"},
            "attributes": {p.key: p.attributes for p in session.scalars(select(Participant))},
            "memos": sorted(
                (m.subject, m.code_id or "", m.title, m.text) for m in session.scalars(select(Memo))
            ),
        }


@pytest.fixture(scope="module")
def trip(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("trip")
    demo = connect(f"sqlite:///{copy_demo(demo_template, folder)}")
    with session_scope(demo) as session:
        ids = list(session.scalars(select(Transcript.id).order_by(Transcript.name)))
        add_to_group(session, "wave 1", ids[:3], actor="lena")
        define_attribute(session, "years", "Integer", "years in the project", actor="lena")
        people = {p.key: dict(p.attributes) for p in session.scalars(select(Participant))}
        first = sorted(people)[0]
        people[first]["years"] = 7
        set_participants(session, people, actor="lena")
        lena = session.scalars(select(User).where(User.name == "lena")).one()
        code = version_codebook(get_version(session)).codes[0].id
        participant = session.scalars(select(Participant).where(Participant.key == first)).one()
        add_memo_text(session, lena, "Why this code exists.", "code", code_id=code, title="origin")
        add_memo_text(session, lena, "Week one: pilot done.", "project", title="Journal")
        add_memo_text(
            session, lena, "Joined late.", "participant", participant_id=participant.id, title="bio"
        )
    first_file, second_file = folder / "first.qdpx", folder / "second.qdpx"
    with session_scope(demo) as session:
        write_qdpx(session, study_data(session), first_file)
    fresh = connect(f"sqlite:///{folder / 'fresh.db'}", create=True)
    with session_scope(fresh) as session:
        create_study(session, "empty")
    with session_scope(fresh) as session:
        import_refi(session, first_file, actor="tester")
    with session_scope(fresh) as session:
        write_qdpx(session, study_data(session), second_file)
    yield {"demo": demo, "fresh": fresh, "first": first_file, "second": second_file}
    demo.dispose()
    fresh.dispose()


def test_the_round_trip_keeps_everything_and_gives_the_same_file(trip: dict[str, Any]) -> None:
    before, after = snapshot(trip["demo"]), snapshot(trip["fresh"])
    for key in before:
        assert after[key] == before[key], key
    assert any(kind == "machine" for _, _, kind in after["users"])  # a machine layer stays one
    assert after["types"]["years"] == "Integer"
    assert trip["first"].read_bytes() == trip["second"].read_bytes()


def test_the_standard_part_is_schema_valid_and_the_sidecar_is_beside_it(
    trip: dict[str, Any],
) -> None:
    with zipfile.ZipFile(trip["first"]) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        sidecar = json.loads(archive.read("qualcarto.json"))
    schema = project_xsd()
    assert schema.validate(etree.ElementTree(root)), schema.error_log
    assert sidecar["format"] == "qualcarto-qdpx-sidecar"
    ns = {"q": "urn:QDA-XML:project:1.0"}
    assert root.xpath("//q:Set[@name='wave 1']/q:MemberSource", namespaces=ns)
    assert root.xpath("//q:Variable[@name='years'][@typeOfVariable='Integer']", namespaces=ns)
    assert root.xpath("//q:IntegerValue[text()='7']", namespaces=ns)
    assert root.xpath("//q:Code/q:NoteRef", namespaces=ns)
    assert root.xpath("/q:Project/q:NoteRef", namespaces=ns)


def test_utf16_positions_count_an_emoji_as_two(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 's.db'}", create=True)
    text = "I1: 🤖 bots help. Compute is scarce.\n"
    source = tmp_path / "P1.txt"
    source.write_text(text, encoding="utf-8")
    from qualcarto.codebook import Codebook, CodeDef, publish
    from qualcarto.coding import add_coding
    from qualcarto.transcripts import import_transcripts
    from qualcarto.users import add_user

    with session_scope(engine) as session:
        create_study(session, "s")
        add_user(session, "ana", "coder", "long enough pw")
        publish(session, Codebook(codes=(CodeDef(id="compute", name="compute"),)), "v1")
        import_transcripts(session, [source])
        start = text.index("Compute")
        add_coding(session, "P1", start, start + 7, "compute", "ana")
    with session_scope(engine) as session:
        write_qdpx(session, study_data(session), tmp_path / "u.qdpx", positions="utf16")
        report = write_qdpx(session, study_data(session), tmp_path / "c.qdpx")
    assert any("--positions utf16" in w for w in report.warnings)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    for name, shift in (("u.qdpx", 1), ("c.qdpx", 0)):
        with zipfile.ZipFile(tmp_path / name) as archive:
            root = etree.fromstring(archive.read("project.qde"))
        (selection,) = root.xpath("//q:PlainTextSelection", namespaces=ns)
        assert int(selection.get("startPosition")) == start + shift
    # Reading the UTF-16 file back lands on the same characters.
    fresh = connect(f"sqlite:///{tmp_path / 'f.db'}", create=True)
    with session_scope(fresh) as session:
        create_study(session, "f")
    with session_scope(fresh) as session:
        import_refi(session, tmp_path / "u.qdpx")
        assert list(codings_frame(session)["text"]) == ["Compute"]
    engine.dispose()
    fresh.dispose()


def test_the_demo_graph_defaults_to_turns_and_gexf_carries_graphmls_metadata(
    trip: dict[str, Any], tmp_path: Path
) -> None:
    import networkx as nx

    from qualcarto.exchange import write_graph
    from qualcarto.exchange.tables import gexf_metadata

    with session_scope(trip["demo"]) as session:
        demo = study_data(session)
    # The demo's coders put several codes on one passage: overlap is the default scope.
    assert write_graph(demo, tmp_path / "d.graphml", "graphml").graph["scope"] == "overlap"
    # Drop each coding that overlaps an earlier one of its coder: with no overlaps left,
    # codes can only meet in a speaker turn, so turns are the default.
    kept, reach = [], {}
    for index, row in demo.codings.sort_values(["coder", "transcript", "start"]).iterrows():
        key = (row["coder"], row["transcript"])
        if row["start"] >= reach.get(key, -1):
            kept.append(index)
            reach[key] = row["end"]
    data = dataclasses.replace(demo, codings=demo.codings.loc[kept].reset_index(drop=True))
    graphml = write_graph(data, tmp_path / "g.graphml", "graphml")
    gexf = write_graph(data, tmp_path / "g.gexf", "gexf")
    assert graphml.graph["scope"] == "turn"
    assert "no coder's codings overlap" in graphml.graph["scope_reason"]
    assert graphml.number_of_edges() > 0
    assert write_graph(data, tmp_path / "o.graphml", "graphml", "overlap").number_of_edges() == 0
    read_back = {  # networkx's reader adds empty defaults the writer does not write
        k: v
        for k, v in nx.read_graphml(tmp_path / "g.graphml").graph.items()
        if k not in ("node_default", "edge_default")
    }
    assert gexf_metadata(tmp_path / "g.gexf") == read_back == gexf.graph
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == gexf.number_of_edges()

# SPDX-License-Identifier: MIT
"""REFI-QDA out and in: schema-valid exports, the demo round trip, and other tools' files.

The schemas and the sample files are read from ``../shared/refi`` (never copied into this
repository) through ``shared_material``, when a test runs.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from sqlalchemy import Engine, select

from conftest import copy_demo
from qualcarto.codebook import codes_frame, get_version, version_codebook
from qualcarto.coding import add_coding, codings_frame
from qualcarto.exchange import study_data
from qualcarto.exchange.positions import on_word_boundaries
from qualcarto.exchange.refi_export import write_qdc, write_qdpx
from qualcarto.exchange.refi_import import import_refi
from qualcarto.store import Memo, User, connect, session_scope
from qualcarto.study import create_study
from qualcarto.transcripts import get_transcript
from shared_material import refi_sample, refi_samples, refi_schema

# The sample projects in ../shared/refi/samples, named here so that a plain clone collects
# the same tests (each then skips, naming its file) and a new sample is noticed.
SAMPLE_FILES = (
    "atlasti-win-23.2.3_blank.qdpx",
    "atlasti-win-23.2.3_codes.qdpx",
    "maxqda-24.7_ICLS_Conf_Themes_just10.qdpx",
    "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx",
    "nvivo-mac-15.0_qc-reimport.qdpx",
    "nvivo-win-12.6_oltas.qdpx",
    "qc-1.3.2_demo.qdpx",
    "qualcoder-4.0beta_codebook.qdc",
    "qualcoder-4.0beta_refi_demo.qdpx",
    "taguette-1.4.1_uto_tag_codebook.qdc",
    "taguette-1.5.2_codebook.qdc",
)
COLOR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
REFS = ("CodeRef", "NoteRef", "SourceRef", "VariableRef", "MemberCode")


def fresh_store(path: Path) -> Engine:
    engine = connect(f"sqlite:///{path}", create=True)
    with session_scope(engine) as session:
        create_study(session, "study")
    return engine


def project_root(qdpx: Path) -> etree._Element:
    with zipfile.ZipFile(qdpx) as archive:
        return etree.fromstring(archive.read("project.qde"))


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def check_references(root: etree._Element, texts: dict[str, str]) -> None:
    """The rules the XSD cannot state (research note section 7)."""
    guids = [e.get("guid").lower() for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids)), "GUIDs are unique"
    known = set(guids)
    for element in root.iter():
        if local(element) in REFS:
            assert element.get("targetGUID").lower() in known
        for attribute in ("creatingUser",):
            if element.get(attribute):
                assert element.get(attribute).lower() in known
        if element.get("color"):
            assert COLOR.fullmatch(element.get("color"))
        if local(element) == "TextSource":
            text = texts[element.get("plainTextPath").removeprefix("internal://")]
            for selection in element:
                if local(selection) == "PlainTextSelection":
                    start, end = (
                        int(selection.get("startPosition")),
                        int(selection.get("endPosition")),
                    )
                    assert 0 <= start < end <= len(text)
                    assert text[start:end] == selection.get("name")


@pytest.fixture(scope="module")
def round_trip(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """The demo study plus a second coder's memos, exported, imported afresh, exported again."""
    folder = tmp_path_factory.mktemp("round-trip")
    demo = connect(f"sqlite:///{copy_demo(demo_template, folder)}")
    with session_scope(demo) as session:
        transcript = get_transcript(session, "I3")
        first = codings_frame(session, ["linaker2025"], ["I3"]).iloc[0]
        add_coding(
            session,
            "I3",
            int(first["start"]),
            int(first["end"]),
            str(first["code_id"]),
            "ana",
            "echoes I3 \U0001f914",
        )
        ana = session.scalars(select(User).where(User.name == "ana")).one()
        session.add(
            Memo(transcript_id=transcript.id, author_id=ana.id, text="Long answer on\ncompute.")
        )
    first_file, second_file = folder / "first.qdpx", folder / "second.qdpx"
    with session_scope(demo) as session:
        write_qdpx(session, study_data(session), first_file)
    fresh = fresh_store(folder / "fresh.db")
    with session_scope(fresh) as session:
        import_refi(session, first_file, actor="tester")
    with session_scope(fresh) as session:
        write_qdpx(session, study_data(session), second_file)
    yield {
        "first": first_file,
        "second": second_file,
        "demo": folder / "demo.db",
        "fresh": folder / "fresh.db",
    }
    demo.dispose()
    fresh.dispose()


def test_export_is_valid_against_the_project_schema_and_its_references_resolve(
    round_trip: dict[str, Path],
) -> None:
    schema = refi_schema("Project.xsd")
    root = project_root(round_trip["first"])
    assert schema.validate(etree.ElementTree(root)), schema.error_log
    with zipfile.ZipFile(round_trip["first"]) as archive:
        texts = {
            name.removeprefix("sources/"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("sources/") and name.endswith(".txt")
        }
    assert all(not t.startswith("\ufeff") and "\r" not in t for t in texts.values())
    check_references(root, texts)


def test_demo_round_trip_gives_the_same_file(round_trip: dict[str, Path]) -> None:
    assert round_trip["first"].read_bytes() == round_trip["second"].read_bytes()


def test_demo_round_trip_keeps_codes_coders_spans_and_memos(round_trip: dict[str, Path]) -> None:
    frames = {}
    for name in ("demo", "fresh"):
        engine = connect(f"sqlite:///{round_trip[name]}")
        with session_scope(engine) as session:
            codes = codes_frame(session)
            codings = codings_frame(session).merge(codes[["code_id", "path"]], on="code_id")
            coders = sorted(session.scalars(select(User.name)))
            memos = sorted(session.scalars(select(Memo.text)))
        engine.dispose()
        frames[name] = (codes, codings, coders, memos)
    (codes_a, codings_a, coders_a, memos_a), (codes_b, codings_b, coders_b, memos_b) = (
        frames.values()
    )
    columns = [c for c in codes_a.columns if c not in ("code_id", "parent")]  # ids are new
    assert columns == [c for c in codes_b.columns if c not in ("code_id", "parent")]
    pd.testing.assert_frame_equal(codes_a[columns], codes_b[columns])  # facets included
    assert coders_a == coders_b
    spans = ["transcript", "coder", "path", "start", "end", "text", "memo"]
    key = ["transcript", "coder", "path", "start", "end"]
    pd.testing.assert_frame_equal(
        codings_a[spans].sort_values(key).reset_index(drop=True),
        codings_b[spans].sort_values(key).reset_index(drop=True),
    )
    assert memos_a == memos_b


def test_qdc_is_valid_and_round_trips_names_hierarchy_colours_and_facets(
    study: Engine, tmp_path: Path
) -> None:
    schema = refi_schema("Codebook.xsd")
    path = tmp_path / "codebook.qdc"
    with session_scope(study) as session:
        write_qdc(session, path)
        before = version_codebook(get_version(session))
    assert schema.validate(etree.parse(str(path))), schema.error_log
    fresh = fresh_store(tmp_path / "fresh.db")
    with session_scope(fresh) as session:
        import_refi(session, path)
        after = version_codebook(get_version(session))
    fresh.dispose()
    assert [before.path(c.id) for c in before.codes] == [after.path(c.id) for c in after.codes]
    assert [(c.color, c.definition, c.facets) for c in before.codes] == [
        (c.color, c.definition, c.facets) for c in after.codes
    ]
    assert after.facets == before.facets


def nvivo_like(path: Path, text: str, word: str, copies: int = 1) -> tuple[int, int]:
    """A .qdpx the way NVivo for Windows writes it: BOM, CRLF, positions in UTF-16 units.

    ``copies`` selections of ``word``, each coded with the same code by the same user.
    """
    raw = text.replace("\n", "\r\n")
    start = len(raw[: raw.index(word)].encode("utf-16-le")) // 2
    end = start + len(word.encode("utf-16-le")) // 2
    ns = "urn:QDA-XML:project:1.0"
    root = etree.Element(f"{{{ns}}}Project", nsmap={None: ns}, name="nvivo-like", origin="NVivo 12")
    users = etree.SubElement(root, f"{{{ns}}}Users")
    etree.SubElement(
        users, f"{{{ns}}}User", guid="11111111-1111-1111-1111-111111111111", name="Kiss Anna"
    )
    codes = etree.SubElement(etree.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    etree.SubElement(
        codes,
        f"{{{ns}}}Code",
        guid="22222222-2222-2222-2222-222222222222",
        name="greeting",
        isCodable="true",
    )
    sources = etree.SubElement(root, f"{{{ns}}}Sources")
    source = etree.SubElement(
        sources,
        f"{{{ns}}}TextSource",
        guid="33333333-3333-3333-3333-333333333333",
        name="P9",
        plainTextPath="internal://33333333-3333-3333-3333-333333333333.txt",
    )
    for copy in range(copies):
        selection = etree.SubElement(
            source,
            f"{{{ns}}}PlainTextSelection",
            guid=f"44444444-4444-4444-4444-44444444444{copy}",
            name="",
            startPosition=str(start),
            endPosition=str(end),
        )
        coding = etree.SubElement(
            selection,
            f"{{{ns}}}Coding",
            guid=f"55555555-5555-5555-5555-55555555555{copy}",
            creatingUser="11111111-1111-1111-1111-111111111111",
        )
        etree.SubElement(
            coding, f"{{{ns}}}CodeRef", targetGUID="22222222-2222-2222-2222-222222222222"
        )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8")
        )
        archive.writestr(
            "Sources/33333333-3333-3333-3333-333333333333.txt",
            b"\xef\xbb\xbf" + raw.encode("utf-8"),
        )
    return start, end


def test_emoji_and_crlf_survive_import_and_round_trip(tmp_path: Path) -> None:
    text = "I: Hi \U0001f44b\U0001f3fd there.\nP9: Zoe\u0308 says hello \U0001f605 again.\n"
    start, end = nvivo_like(tmp_path / "nvivo.qdpx", text, "hello")
    first = fresh_store(tmp_path / "a.db")
    with session_scope(first) as session:
        report = import_refi(session, tmp_path / "nvivo.qdpx")
        coded = codings_frame(session)
        write_qdpx(session, study_data(session), tmp_path / "again.qdpx")
    assert "UTF-16" in report.reading and "CRLF counted as two" in report.reading
    assert list(coded["text"]) == ["hello"]
    assert (int(coded["start"][0]), int(coded["end"][0])) != (start, end)  # it was converted
    assert list(coded["coder"]) == ["Kiss_Anna"]
    second = fresh_store(tmp_path / "b.db")
    with session_scope(second) as session:
        import_refi(session, tmp_path / "again.qdpx")
        again = codings_frame(session)
    assert again[["start", "end", "text"]].equals(coded[["start", "end", "text"]])
    first.dispose()
    second.dispose()


def test_a_span_the_project_codes_twice_with_one_code_is_kept_once(tmp_path: Path) -> None:
    nvivo_like(tmp_path / "twice.qdpx", "I: Hi there.\nP9: Zoe says hello again.\n", "hello", 2)
    engine = fresh_store(tmp_path / "a.db")
    with session_scope(engine) as session:
        report = import_refi(session, tmp_path / "twice.qdpx")
        coded = codings_frame(session)
    engine.dispose()
    assert list(coded["text"]) == ["hello"]
    assert report.codings == 1
    assert any("1 exact duplicate coding(s)" in w for w in report.warnings)


def test_importing_the_same_project_twice_adds_nothing(study: Engine, tmp_path: Path) -> None:
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 11, "access", "ana", "first words")
        write_qdpx(session, study_data(session), tmp_path / "p.qdpx")
    engine = fresh_store(tmp_path / "fresh.db")
    with session_scope(engine) as session:
        first = import_refi(session, tmp_path / "p.qdpx")
    with session_scope(engine) as session:
        before = len(codings_frame(session))
        report = import_refi(session, tmp_path / "p.qdpx")
        assert len(codings_frame(session)) == before == first.codings
    engine.dispose()
    assert report.codings == 0 and report.transcripts == [] and report.users == []


def sample_counts(path: Path) -> dict[str, int]:
    """Counts read straight from a sample's XML, to compare an import against."""
    if path.suffix == ".qdc":
        root = etree.parse(str(path)).getroot()
    else:
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
            root = etree.fromstring(archive.read(name))
    return {
        tag: sum(1 for e in root.iter() if local(e) == tag)
        for tag in ("Code", "Coding", "TextSource")
    }


@pytest.fixture(scope="module")
def imported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Engine, object]]]:
    """Each sample imported once into its own fresh store, on first use."""
    folder = tmp_path_factory.mktemp("samples")

    class Lazy(dict):  # type: ignore[type-arg]
        def __missing__(self, name: str) -> tuple[Engine, object]:
            engine = fresh_store(folder / f"{name}.db")
            with session_scope(engine) as session:
                report = import_refi(session, refi_sample(name))
            self[name] = (engine, report)
            return self[name]

    lazy = Lazy()
    yield lazy
    for engine, _ in lazy.values():
        engine.dispose()


def test_the_sample_list_names_every_sample_in_the_folder() -> None:
    found = [p.name for p in refi_samples("*") if p.suffix in (".qdpx", ".qdc")]
    assert found == sorted(SAMPLE_FILES)


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_imports_its_codes_and_codings(name: str, imported: dict) -> None:
    expected = sample_counts(refi_sample(name))
    engine, _ = imported[name]
    with session_scope(engine) as session:
        codes = codes_frame(session) if expected["Code"] else pd.DataFrame()
        codings = codings_frame(session)
        users = list(session.scalars(select(User.name)))
    assert len(codes) == expected["Code"]
    assert len(codings) <= expected["Coding"]
    assert "ATLAS.ti" not in users  # the tool's system user is not a coder
    if name.startswith(("nvivo-win", "nvivo-mac-12", "qc-", "qualcoder-4.0beta_refi")):
        assert len(codings) == expected["Coding"]


@pytest.mark.parametrize(
    "name", ["nvivo-win-12.6_oltas.qdpx", "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx"]
)
def test_nvivo_selections_land_on_word_boundaries(name: str, imported: dict) -> None:
    engine, report = imported[name]
    with session_scope(engine) as session:
        codings = codings_frame(session)
        texts = {t: get_transcript(session, t).text for t in set(codings["transcript"])}
    on_words = sum(
        on_word_boundaries(texts[r.transcript], r.start, r.end) for r in codings.itertuples()
    )
    assert on_words >= 0.95 * len(codings)
    assert "UTF-16" in report.reading  # type: ignore[attr-defined]


def test_qualcoder_spans_match_their_names_and_dangling_case_is_a_warning(imported: dict) -> None:
    engine, report = imported["qualcoder-4.0beta_refi_demo.qdpx"]
    with zipfile.ZipFile(refi_sample("qualcoder-4.0beta_refi_demo.qdpx")) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    names = sorted(
        e.get("name") for e in root.iter() if local(e) == "PlainTextSelection" and e.get("name")
    )
    with session_scope(engine) as session:
        codings = codings_frame(session)
        memos = list(session.scalars(select(Memo.text)))
    assert sorted(codings["text"]) == names
    assert any("refers to source" in w for w in report.warnings)  # type: ignore[attr-defined]
    assert memos and codings["memo"].str.len().sum() > 0


def test_flattened_hierarchies_keep_their_names(imported: dict) -> None:
    engine, _ = imported["taguette-1.5.2_codebook.qdc"]
    with session_scope(engine) as session:
        codes = codes_frame(session)
    root = etree.parse(str(refi_sample("taguette-1.5.2_codebook.qdc"))).getroot()
    assert sorted(codes["name"]) == sorted(e.get("name") for e in root.iter() if local(e) == "Code")
    assert codes["parent"].isna().all()

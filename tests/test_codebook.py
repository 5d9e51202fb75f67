# SPDX-License-Identifier: MIT
"""The codebook: validation that names file, line and code; versions; diffs; no coding lost."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from conftest import TINY_CODEBOOK
from qualcarto.codebook import (
    Codebook,
    CodeDef,
    diff_codebooks,
    dump_codebook,
    get_version,
    parse_codebook,
    publish,
    publish_codebook,
    version_codebook,
)
from qualcarto.coding import add_coding, codings_frame
from qualcarto.errors import InputError, ValidationError
from qualcarto.store import AuditEvent, Coding, session_scope


def _tiny_with(extra: str) -> str:
    return TINY_CODEBOOK + extra


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  - id: access\n    name: Again\n",
            r"code 'access': duplicate id \(first at line 9\)",
        ),
        (
            "  - id: orphan\n    name: Orphan\n    parent: nowhere\n",
            r"code 'orphan': parent 'nowhere' does not exist",
        ),
        (
            "  - id: bad\n    name: Bad\n    facets: {stage: middle}\n",
            r"code 'bad': facet stage='middle' is not in its vocabulary",
        ),
        (
            "  - id: bad\n    name: Bad\n    facets: {mood: happy}\n",
            r"code 'bad': facet 'mood' is not declared",
        ),
        ("  - id: bad\n    name: Bad\n    color: red\n", r"code 'bad': color 'red' is not #RRGGBB"),
        ("  - id: bad id\n    name: Bad\n", r"code 'bad id': id must be"),
        (
            "  - id: bad\n    name: Bad\n    merged_into: ghost\n",
            r"code 'bad': merged_into 'ghost' does not exist",
        ),
        (
            "  - id: bad\n    name: Bad\n    colour: '#000000'\n",
            r"code 'bad': unknown field\(s\) colour",
        ),
        ("  - id: bad\n", r"code 'bad': 'id' and 'name' are required"),
    ],
)
def test_an_invalid_codebook_is_refused_naming_file_line_and_code(extra: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^codebook\.yaml: line 25: " + message):
        parse_codebook(_tiny_with(extra), "codebook.yaml")


def test_a_parent_cycle_is_refused_with_the_loop_shown() -> None:
    text = _tiny_with(
        "  - id: x\n    name: X\n    parent: y\n  - id: y\n    name: Y\n    parent: x\n"
    )
    with pytest.raises(InputError, match=r"parent cycle x -> y -> x"):
        parse_codebook(text, "codebook.yaml")


def test_yaml_aliases_are_refused() -> None:
    text = 'codes: &a\n  - id: x\n    name: "X"\nfacets: {}\nother: *a\n'
    with pytest.raises(InputError, match="anchors/aliases are not allowed"):
        parse_codebook(text, "bomb.yaml")


def test_a_codebook_exports_back_to_an_equal_codebook() -> None:
    book = parse_codebook(TINY_CODEBOOK, "codebook.yaml")
    assert parse_codebook(dump_codebook(book), "again.yaml") == book


def _v2(path: Path) -> Path:
    """Rename 'access', merge 'money' into 'access', split 'docs' into two codes."""
    data = yaml.safe_load(TINY_CODEBOOK)
    codes = {c["id"]: c for c in data["codes"]}
    codes["access"]["name"] = "Access to compute and clusters"
    codes["money"]["merged_into"] = "access"
    codes["docs"]["status"] = "retired"
    data["codes"] += [
        {
            "id": "docs-logs",
            "name": "Training logs",
            "parent": "themes",
            "split_from": "docs",
            "facets": {"stage": "late", "polarity": "on-ramp"},
        },
        {
            "id": "docs-blogs",
            "name": "Blog posts",
            "parent": "themes",
            "split_from": "docs",
            "facets": {"stage": "late", "polarity": "on-ramp"},
        },
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_v2_that_renames_merges_and_splits_migrates_every_coding(
    study: Engine, tmp_path: Path
) -> None:
    with session_scope(study) as session:
        for start, code in ((0, "access"), (20, "money"), (40, "docs"), (60, "money")):
            add_coding(session, "P1", start, start + 10, code, "ana")
        v1_id = get_version(session).id
    with session_scope(study) as session:
        result = publish_codebook(session, _v2(tmp_path / "v2.yaml"), "abductive round 2")
    assert result.number == 2
    assert result.diff.renamed == [
        ("access", "Access to compute", "Access to compute and clusters")
    ]
    assert result.diff.merged == [("money", "access")]
    assert result.diff.split == [("docs", ["docs-logs", "docs-blogs"])]
    assert result.diff.added == ["docs-logs", "docs-blogs"]
    assert result.migrated == {"money->access": 2, "docs->docs-logs": 1}
    with session_scope(study) as session:
        codings = session.scalars(select(Coding).order_by(Coding.start)).all()
        assert [c.code_id for c in codings] == ["access", "access", "docs-logs", "access"]
        assert [c.original_code_id for c in codings] == ["access", "money", "docs", "money"]
        assert {c.codebook_version_id for c in codings} == {v1_id}
        assert version_codebook(get_version(session)).by_id()["money"].status == "retired"
        with pytest.raises(ValidationError, match=r"code 'money' is retired .*use 'access'"):
            add_coding(session, "P1", 0, 3, "money", "ana")


def test_publishing_an_unchanged_codebook_makes_no_new_version(
    study: Engine, codebook_file: Path
) -> None:
    with session_scope(study) as session:
        result = publish_codebook(session, codebook_file, "again")
    assert result.unchanged and result.number == 1


def test_codes_left_out_of_a_new_file_are_kept_as_retired(study: Engine, tmp_path: Path) -> None:
    data = yaml.safe_load(TINY_CODEBOOK)
    data["codes"] = [c for c in data["codes"] if c["id"] != "money"]
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with session_scope(study) as session:
        add_coding(session, "P1", 0, 4, "money", "ben")
        result = publish_codebook(session, path, "drop funding")
    assert result.diff.retired == ["money"]
    with session_scope(study) as session:
        assert session.scalars(select(Coding.code_id)).one() == "money"


# --- property: no sequence of codebook edits loses a coding -------------------------------

EDITS = st.lists(
    st.tuples(
        st.sampled_from(["rename", "merge", "split", "retire", "drop", "move", "redefine"]),
        st.integers(0, 50),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=6,
)


def _apply(book: Codebook, edit: tuple[str, int, int], step: int) -> Codebook:
    kind, i, j = edit
    active = [c for c in book.codes if c.active and c.id != "themes"]
    if not active:
        return book
    code = active[i % len(active)]
    other = active[j % len(active)]
    codes = list(book.codes)
    at = codes.index(code)
    if kind == "rename":
        codes[at] = CodeDef(**{**vars(code), "name": f"{code.name} {step}"})
    elif kind == "redefine":
        codes[at] = CodeDef(**{**vars(code), "definition": f"definition {step}"})
    elif kind == "merge" and other.id != code.id:
        codes[at] = CodeDef(**{**vars(code), "merged_into": other.id, "status": "retired"})
    elif kind == "split":
        codes[at] = CodeDef(**{**vars(code), "status": "retired"})
        codes += [
            CodeDef(
                id=f"{code.id}-s{step}{n}", name=f"part {n}", parent="themes", split_from=code.id
            )
            for n in (1, 2)
        ]
    elif kind == "retire":
        codes[at] = CodeDef(**{**vars(code), "status": "retired"})
    elif kind == "drop":
        codes.pop(at)
    elif kind == "move":
        codes[at] = CodeDef(**{**vars(code), "parent": None})
    return book.with_codes(codes)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS)
def test_no_sequence_of_codebook_edits_loses_a_coding(
    study: Engine, edits: list[tuple[str, int, int]]
) -> None:
    with session_scope(study) as session:
        session.execute(Coding.__table__.delete())
        book = version_codebook(get_version(session))
        for n, code in enumerate(c for c in book.codes if c.active and c.id != "themes"):
            add_coding(session, "P1", n, n + 5, code.id, "ana")
        before = codings_frame(session)[["coding_id", "start", "end", "text"]]
    for step, edit in enumerate(edits):
        with session_scope(study) as session:
            book = version_codebook(get_version(session))
            publish(
                session,
                _apply(book, edit, step).with_codes([c for c in _apply(book, edit, step).codes]),
                f"edit {step}",
            )
    with session_scope(study) as session:
        after = codings_frame(session)
        latest = version_codebook(get_version(session)).by_id()
        assert session.scalar(select(func.count()).select_from(Coding)) == len(before)
        assert after[["coding_id", "start", "end", "text"]].equals(before)
        for code_id in after["code_id"]:
            assert code_id in latest
            assert latest[code_id].active or not latest[code_id].merged_into


def test_diff_of_identical_codebooks_is_empty() -> None:
    book = parse_codebook(TINY_CODEBOOK, "codebook.yaml")
    assert diff_codebooks(book, book).empty
    assert diff_codebooks(book, book).lines() == ["(no changes)"]


def test_merging_two_codes_one_coder_used_on_one_span_keeps_one_coding(
    study: Engine, tmp_path: Path
) -> None:
    with session_scope(study) as session:
        kept = add_coding(session, "P1", 0, 10, "access", "ana").id
        merged = add_coding(session, "P1", 0, 10, "money", "ana", memo="also money").id
        other = add_coding(session, "P1", 0, 10, "money", "ben").id
    with session_scope(study) as session:
        result = publish_codebook(session, _v2(tmp_path / "v2.yaml"), "merge money")
        assert result.migrated == {"money->access": 2}
    with session_scope(study) as session:
        codings = {c.id: c for c in session.scalars(select(Coding))}
        assert sorted(codings) == [kept, other]
        assert codings[kept].memo == "also money"
        assert codings[other].code_id == "access"
        merge = session.scalars(select(AuditEvent).where(AuditEvent.action == "coding.merge")).one()
        assert (merge.entity_id, merge.payload["merged"]) == (str(kept), merged)

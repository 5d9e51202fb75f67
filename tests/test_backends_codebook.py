# SPDX-License-Identifier: MIT
"""The versioned codebook on SQLite and PostgreSQL: publish, then merge and split migrate codings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from backends import *  # noqa: F403 (the backend fixtures)
from conftest import TINY_CODEBOOK
from qualcarto.codebook import codes_frame, get_version, publish_codebook, version_codebook
from qualcarto.coding import add_coding
from qualcarto.errors import ValidationError
from qualcarto.store import AuditEvent, Coding, session_scope


def _merge_and_split(path: Path) -> Path:
    """Version 2 of the tiny codebook: 'money' merged into 'access', 'docs' split in two."""
    data = yaml.safe_load(TINY_CODEBOOK)
    codes = {c["id"]: c for c in data["codes"]}
    codes["money"]["merged_into"] = "access"
    codes["docs"]["status"] = "retired"
    for part in ("docs-logs", "docs-blogs"):
        data["codes"].append(
            {
                "id": part,
                "name": part.replace("-", " ").title(),
                "parent": "themes",
                "split_from": "docs",
                "facets": {"stage": "late", "polarity": "on-ramp"},
            }
        )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_published_version_keeps_facets_and_settings(backend_study: Engine) -> None:
    expected = yaml.safe_load(TINY_CODEBOOK)
    with session_scope(backend_study) as session:
        version = get_version(session)
        book = version_codebook(version)
        frame = codes_frame(session)
    assert version.number == 1
    assert version.facets == expected["facets"]
    assert book.by_id()["access"].facets == {"stage": "early", "polarity": "challenge"}
    assert sorted(frame["code_id"]) == sorted(c["id"] for c in expected["codes"])


def test_merge_and_split_migrate_every_coding_and_remember_the_original(
    backend_study: Engine, tmp_path: Path
) -> None:
    with session_scope(backend_study) as session:
        for start, code in ((0, "access"), (20, "money"), (40, "docs"), (60, "money")):
            add_coding(session, "P1", start, start + 10, code, "ana")
        v1_id = get_version(session).id
    with session_scope(backend_study) as session:
        result = publish_codebook(session, _merge_and_split(tmp_path / "v2.yaml"), "round 2")
    assert result.number == 2
    assert result.migrated == {"money->access": 2, "docs->docs-logs": 1}
    with session_scope(backend_study) as session:
        codings = session.scalars(select(Coding).order_by(Coding.start)).all()
        assert [c.code_id for c in codings] == ["access", "access", "docs-logs", "access"]
        assert [c.original_code_id for c in codings] == ["access", "money", "docs", "money"]
        assert {c.codebook_version_id for c in codings} == {v1_id}
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("coding.add") == 4
    with (
        session_scope(backend_study) as session,
        pytest.raises(ValidationError, match=r"code 'money' is retired .*use 'access'"),
    ):
        add_coding(session, "P1", 0, 3, "money", "ana")


def test_every_older_version_stays_readable_after_a_new_one(
    backend_study: Engine, tmp_path: Path
) -> None:
    with session_scope(backend_study) as session:
        publish_codebook(session, _merge_and_split(tmp_path / "v2.yaml"), "round 2")
    with session_scope(backend_study) as session:
        first = version_codebook(get_version(session, 1)).by_id()
        second = version_codebook(get_version(session, 2)).by_id()
    assert first["money"].status == "active" and "docs-logs" not in first
    assert second["money"].status == "retired" and second["docs-logs"].split_from == "docs"

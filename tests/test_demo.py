# SPDX-License-Identifier: MIT
"""The demo study against the paper: the themes and cells of sections 5 and 6, and who said what.

The expected table is parsed here from the paper's own text (section headings and the
"Challenge:"/"On-ramp:" paragraphs), independently of how the codebook file was made.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from conftest import ROOT, copy_demo
from demo_study import aliases, cited, paper_themes
from qualcarto.cli import main
from qualcarto.codebook import Codebook, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.demo import record_open_rounds
from qualcarto.errors import InputError
from qualcarto.rounds import rounds_frame
from qualcarto.store import AuditEvent, connect, session_scope
from shared_material import paper_text


def _paper_themes() -> list[dict[str, str]]:
    """Every on-ramp/challenge paragraph of section 5 and motivation of section 6, with its text."""
    return paper_themes(paper_text())


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = connect(f"sqlite:///{copy_demo(demo_template, tmp_path_factory.mktemp('demo'))}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def codebook(demo: Engine) -> Codebook:
    with session_scope(demo) as session:
        return version_codebook(get_version(session))


def _match(book: Codebook, theme: dict[str, str]) -> list[str]:
    if theme["kind"] == "motivation":
        return [
            c.id
            for c in book.leaves()
            if c.facets.get("category") == theme["category"] and c.name == theme["heading"]
        ]
    return [
        c.id
        for c in book.leaves()
        if c.facets == {k: theme[k] for k in ("stage", "collab_type", "polarity")}
        and theme["heading"].startswith(c.name)
    ]


def test_the_codebook_holds_exactly_the_papers_themes_in_the_papers_cells(
    codebook: Codebook,
) -> None:
    themes = _paper_themes()
    assert sum(t["kind"] == "theme" for t in themes) == 58
    assert sum(t["kind"] == "motivation" for t in themes) == 15
    matched = [_match(codebook, t) for t in themes]
    assert [t["heading"][:60] for t, m in zip(themes, matched, strict=True) if len(m) != 1] == []
    coded_leaves = {
        c.id for c in codebook.leaves() if "polarity" in c.facets or "category" in c.facets
    }
    assert sorted(coded_leaves - {m[0] for m in matched}) == []


def test_every_theme_is_coded_under_the_interviewees_the_paper_credits(
    demo: Engine, codebook: Codebook
) -> None:
    """By id, or every interviewee of an organisation the paragraph names (via_org), minus
    the organisations provenance.yaml sets aside with a reason, plus our inferred ones."""
    provenance = yaml.safe_load((ROOT / "transcripts" / "provenance.yaml").read_text("utf-8"))
    with session_scope(demo) as session:
        codings = codings_frame(session, coders=["linaker2025"])
    coded_in: dict[str, set[str]] = defaultdict(set)
    for code_id, transcript in zip(codings["code_id"], codings["transcript"], strict=True):
        coded_in[code_id].add(transcript)
    names = aliases()
    unsupported = []
    for theme in _paper_themes():
        (code_id,) = _match(codebook, theme)
        entry = provenance["themes"][code_id]
        credited = cited(theme["text"], names) - set(entry.get("not_credited", {}))
        credited |= set(entry.get("inferred_for", []))
        if not credited or coded_in[code_id] != credited:
            unsupported.append((code_id, sorted(credited), sorted(coded_in[code_id])))
    assert unsupported == []


def test_every_reference_coding_lies_in_an_interviewee_turn_and_matches_its_text(
    demo: Engine,
) -> None:
    with session_scope(demo) as session:
        codings = codings_frame(session, coders=["linaker2025"])
    for transcript, text in zip(codings["transcript"], codings["text"], strict=True):
        source = (ROOT / "transcripts" / f"{transcript}.txt").read_text(encoding="utf-8")
        before = source[: source.index(text)]
        assert before.rsplit("\n\n", 1)[-1].startswith(f"{transcript}: ")


@pytest.mark.slow
def test_demo_and_status_report_the_study(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{demo_db}"
    assert main(["--db", db, "demo", "--data", str(ROOT)]) == 0  # a demo store is rebuilt
    capsys.readouterr()
    assert main(["--db", db, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    recordings = len(list((ROOT / "transcripts" / "recordings").glob("*.ogg")))
    assert recordings == 1  # one short synthesized interview, paired with its captions
    assert status["transcripts"] == 17 + recordings and status["participants"] == 17
    assert status["codebook_version"] == 1 and status["codes"] == 101
    assert status["codings"]["linaker2025"] >= 78
    assert main(["--db", db, "status"]) == 0
    assert "58 polarity codes (on-ramp 44, challenge 14) in 14 non-empty" in capsys.readouterr().out


def test_the_demo_refuses_to_overwrite_another_study(
    db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db_url, "demo", "--data", str(ROOT)]) == 2
    assert "holds the study 'test study'" in capsys.readouterr().err


def test_the_demo_records_its_reconciled_pilot_round_and_an_open_second(demo: Engine) -> None:
    spec = yaml.safe_load((ROOT / "transcripts/codings/reconciliation.yaml").read_text("utf-8"))
    later = yaml.safe_load((ROOT / "transcripts/codings/rounds.yaml").read_text("utf-8"))
    listed = [spec, *later["rounds"]]  # round 1 is the reconciled one, the rest stay open
    with session_scope(demo) as session:
        frame = rounds_frame(session)
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "coding_round")
        ).all()
    assert frame["round"].tolist() == list(range(1, len(listed) + 1))
    assert frame["name"].tolist() == [r["name"] for r in listed]
    assert frame["coders"].tolist() == [", ".join(r["coders"]) for r in listed]
    assert frame["transcripts"].tolist() == [", ".join(r["transcripts"]) for r in listed]
    assert frame["codebook_version"].tolist() == [1] * len(listed)
    assert frame["reconciled_at"].notna().tolist() == [True] + [False] * len(later["rounds"])
    assert actions == ["round.add", "round.reconcile"] + ["round.add"] * len(later["rounds"])
    # every transcript ana and ben both coded is in exactly one round
    with session_scope(demo) as session:
        both = codings_frame(session, ["ana", "ben"]).groupby("transcript")["coder"].nunique()
    rounds = [t for r in listed for t in r["transcripts"]]
    assert sorted(rounds) == sorted(both[both == 2].index) and len(set(rounds)) == len(rounds)


def test_a_bad_rounds_file_is_one_line_naming_it(demo: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "rounds.yaml"
    bad.write_text(
        "rounds:\n  - {name: late, coders: [ana, ben], lead: lena, transcripts: [I99]}\n",
        encoding="utf-8",
    )
    with (
        pytest.raises(InputError, match=r"rounds\.yaml: round entry 1: no transcript called 'I99'"),
        session_scope(demo) as session,
    ):
        record_open_rounds(session, bad)
    bad.write_text("rounds: [{name: late}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="round entry 1 names"), session_scope(demo) as session:
        record_open_rounds(session, bad)
    with session_scope(demo) as session:
        assert "late" not in set(rounds_frame(session)["name"])

# SPDX-License-Identifier: MIT
"""The demo study against the paper: the themes and cells of sections 5 and 6, and who said what.

The expected table is parsed here from the paper's own text (section headings and the
"Challenge:"/"On-ramp:" paragraphs), independently of how the codebook file was made.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Engine

from conftest import PAPER, ROOT
from qualcarto.cli import main
from qualcarto.codebook import Codebook, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.demo import build_demo
from qualcarto.store import session_scope

STAGES = {
    "Pre-training": "pre-training",
    "Post-training": "post-training",
    "Post-release": "post-release",
}
CELL_HEADING = re.compile(
    r"^5\.\d\.\d (Pre-training|Post-training|Post-release): (.+?) Collaborations$"
)
THEME_LINE = re.compile(r"^(Challenge|On-ramp): (.*)$")
MOTIVATION_HEADING = re.compile(r"^6\.(\d)\.\d (.+)$")
CATEGORIES = {"1": "social", "2": "economic", "3": "technological"}


def _paper_themes() -> list[dict[str, str]]:
    """Every on-ramp/challenge paragraph of section 5 and motivation of section 6, with its text."""
    themes: list[dict[str, str]] = []
    cell: tuple[str, str] | None = None
    category: str | None = None
    for line in PAPER.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[6-9] ", line) or re.match(r"^6\.\d ", line):
            cell = None
        if m := CELL_HEADING.match(line):
            cell = (STAGES[m[1]], m[2].lower())
            continue
        if (m := MOTIVATION_HEADING.match(line)) and line.startswith("6."):
            category = CATEGORIES[m[1]]
            themes.append({"kind": "motivation", "category": category, "heading": m[2], "text": ""})
            continue
        if re.match(r"^7 ", line):
            category = None
        if cell and (m := THEME_LINE.match(line)):
            polarity = "challenge" if m[1] == "Challenge" else "on-ramp"
            themes.append(
                {
                    "kind": "theme",
                    "stage": cell[0],
                    "collab_type": cell[1],
                    "polarity": polarity,
                    "heading": m[2],
                    "text": m[2],
                }
            )
        elif themes and line.strip() and (cell or category):
            themes[-1]["text"] += " " + line
    return themes


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    return build_demo(url, ROOT).engine


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


def _aliases() -> dict[str, list[str]]:
    """Names by which the paper refers to each interviewee: the id and the organization's names."""
    with (ROOT / "transcripts" / "participants.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    aliases: dict[str, list[str]] = {}
    for row in rows:
        parts = re.split(r"[(),]", row["organization"])
        aliases[row["id"]] = [p.strip() for p in parts if len(p.strip()) >= 4]
    return aliases


def _cited(text: str, aliases: dict[str, list[str]]) -> set[str]:
    cited = set()
    for low, high in re.findall(r"\bI(\d{1,2})(?:\s*[-–]\s*I?(\d{1,2}))?\b", text):
        cited |= {f"I{n}" for n in range(int(low), int(high or low) + 1)}
    for pid, names in aliases.items():
        if any(name in text for name in names):
            cited.add(pid)
    return cited


def test_every_theme_is_coded_in_a_transcript_of_an_interviewee_the_paper_cites(
    demo: Engine, codebook: Codebook
) -> None:
    with session_scope(demo) as session:
        codings = codings_frame(session, coders=["linaker2025"])
    coded_in: dict[str, set[str]] = defaultdict(set)
    for code_id, transcript in zip(codings["code_id"], codings["transcript"], strict=True):
        coded_in[code_id].add(transcript)
    aliases = _aliases()
    unsupported = []
    for theme in _paper_themes():
        (code_id,) = _match(codebook, theme)
        cited = _cited(theme["text"], aliases)
        if not cited or not coded_in[code_id] & cited:
            unsupported.append((code_id, sorted(cited), sorted(coded_in[code_id])))
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


def test_demo_and_status_report_the_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["--db", db, "demo", "--data", str(ROOT)]) == 0
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

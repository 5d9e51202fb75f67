# SPDX-License-Identifier: MIT
"""The demo study's transcripts and layers against the paper and against their own documentation.

Lengths and originality (no 8-word run shared with the paper), attribution (each theme
coded under exactly the interviewees the paper credits, parsed here from the paper),
memos on inferred placements, multi-coded passages, the two demo coders' pilot agreement
within the bands documented in transcripts/PROVENANCE.md, and the consensus round.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import yaml
from sqlalchemy import Engine, func, select

from conftest import copy_demo
from demo_study import (
    RUN,
    WORDS,
    aliases,
    cited,
    paper_text,
    paper_themes,
    shared_runs,
    word_count,
)
from qualcarto.agreement import ReportOptions, code_table
from qualcarto.agreement_data import agreement_data
from qualcarto.coding import codings_frame
from qualcarto.errors import InputError
from qualcarto.layers import load_layer
from qualcarto.reconcile import CONSENSUS, units_frame
from qualcarto.store import AuditEvent, ReconciliationDecision, connect, session_scope
from qualcarto.users import authenticate

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "transcripts"
LAYERS = TRANSCRIPTS / "codings"
KEYS = sorted((p.stem for p in TRANSCRIPTS.glob("I*.txt")), key=lambda k: int(k[1:]))
PROVENANCE = yaml.safe_load((TRANSCRIPTS / "provenance.yaml").read_text(encoding="utf-8"))["themes"]
RECONCILIATION = yaml.safe_load((LAYERS / "reconciliation.yaml").read_text(encoding="utf-8"))


def layer(coder: str) -> dict[str, list[dict[str, str]]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) or []
        for p in sorted((LAYERS / coder).glob("I*.yaml"))
    }


def coded_under(coder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for key, items in layer(coder).items():
        for item in items:
            found[item["code"]].add(key)
    return found


@pytest.mark.parametrize("key", KEYS)
def test_each_transcript_is_a_full_length_interview(key: str) -> None:
    text = (TRANSCRIPTS / f"{key}.txt").read_text(encoding="utf-8")
    assert WORDS[0] <= word_count(text) <= WORDS[1]
    assert re.search(rf"^{key}: ", text, re.M) and re.search(r"^(Hedda|Kwame): ", text, re.M)


@pytest.mark.parametrize("key", KEYS)
def test_no_run_of_eight_words_is_shared_with_the_paper(key: str) -> None:
    text = (TRANSCRIPTS / f"{key}.txt").read_text(encoding="utf-8")
    assert shared_runs(text, paper_text()) == [], f"{key} shares {RUN}-word runs with the paper"


def test_the_originality_check_sees_through_contractions_and_punctuation() -> None:
    source = "It is not the case that we would share the recipe with anyone at all."
    assert shared_runs("Well, it isn't the case that we'd share the recipe, with anyone!", source)
    assert not shared_runs("We keep the recipe to ourselves, as most labs do.", source)


@pytest.fixture(scope="module")
def codebook() -> list[dict]:
    book = yaml.safe_load((ROOT / "codebook" / "linaker2025.yaml").read_text(encoding="utf-8"))
    return book["codes"]


def _match(codes: list[dict], theme: dict[str, str]) -> str:
    if theme["kind"] == "motivation":
        (found,) = [c["id"] for c in codes if c.get("facets", {}).get("category") == theme["category"]
                    and c["name"] == theme["heading"]]  # fmt: skip
        return found
    cell = {k: theme[k] for k in ("stage", "collab_type", "polarity")}
    (found,) = [c["id"] for c in codes if c.get("facets") == cell
                and theme["heading"].startswith(c["name"])]  # fmt: skip
    return found


def test_every_theme_is_coded_under_exactly_the_interviewees_the_paper_credits(codebook) -> None:
    themes = paper_themes(paper_text())
    assert sum(t["kind"] == "theme" for t in themes) == 58
    coded, names = coded_under("linaker2025"), aliases()
    wrong, exact, section5 = [], 0, 0
    for theme in themes:
        code = _match(codebook, theme)
        entry = PROVENANCE[code]
        paper = cited(theme["text"], names)
        set_aside = set(entry.get("not_credited", {}))
        assert set_aside <= paper, f"{code}: not_credited names someone the paper does not name"
        expected = (paper - set_aside) | set(entry.get("inferred_for", []))
        if coded[code] != expected:
            wrong.append((code, sorted(coded[code]), sorted(expected)))
        if theme["kind"] == "theme":
            section5 += 1
            exact += coded[code] == paper
    assert wrong == []
    # The documented count: every organisation name as a citation, set-asides not excused.
    doc = (TRANSCRIPTS / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"{exact} of {section5} match exactly" in doc
    excused = sum(bool(PROVENANCE[_match(codebook, t)].get("not_credited"))
                  for t in themes if t["kind"] == "theme")  # fmt: skip
    assert exact + excused == section5


def test_provenance_lists_exactly_who_the_reference_layer_codes() -> None:
    coded = coded_under("linaker2025")
    assert {c: sorted(coded[c]) for c in PROVENANCE} == {
        c: sorted(e["interviewees"]) for c, e in PROVENANCE.items()
    }
    for code, entry in PROVENANCE.items():
        assert set(entry["points"]) == set(entry["interviewees"]), code
        assert set(entry.get("via_org", [])) <= set(entry["interviewees"]), code
        assert all(entry.get("not_credited", {}).values()), f"{code}: a set-aside needs a reason"
        if entry.get("inferred_for"):
            assert entry.get("reason"), code


def test_every_inferred_placement_carries_a_memo_and_no_cited_one_does() -> None:
    missing, extra = [], []
    for key, items in layer("linaker2025").items():
        for item in items:
            entry = PROVENANCE[item["code"]]
            inferred = key in set(entry.get("via_org", [])) | set(entry.get("inferred_for", []))
            memo = str(item.get("memo", ""))
            if inferred and not memo.startswith("Inferred: "):
                missing.append((key, item["code"]))
            if not inferred and memo.startswith("Inferred: "):
                extra.append((key, item["code"]))
    assert missing == [] and extra == []


@pytest.mark.parametrize("coder", ["linaker2025", "ana", "ben"])
def test_each_layer_has_passages_with_more_than_one_code(coder: str) -> None:
    multi = [
        (key, quote)
        for key, items in layer(coder).items()
        for quote in {i["quote"] for i in items}
        if len({i["code"] for i in items if i["quote"] == quote}) > 1
    ]
    assert len(multi) >= 3


@pytest.mark.parametrize("coder", ["linaker2025", "ana", "ben"])
def test_each_coding_lies_in_an_interviewee_turn(coder: str) -> None:
    for key, items in layer(coder).items():
        source = (TRANSCRIPTS / f"{key}.txt").read_text(encoding="utf-8")
        for item in items:
            assert source.count(item["quote"]) == 1, (key, item["quote"][:50])
            before = source[: source.index(item["quote"])]
            assert before.rsplit("\n\n", 1)[-1].startswith(f"{key}: "), (key, item["code"])


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return connect(f"sqlite:///{copy_demo(demo_template, tmp_path_factory.mktemp('demo'))}")


def _bands() -> dict[str, tuple[str, str]]:
    """The pilot round's table in PROVENANCE.md: measure -> (band, measured)."""
    doc = (TRANSCRIPTS / "PROVENANCE.md").read_text(encoding="utf-8")
    table = doc[doc.index("| Measure (ana vs ben") :].split("\n\n", 1)[0].splitlines()[2:]
    return {cells[0]: (cells[1], cells[2]) for line in table
            for cells in [[c.strip() for c in line.strip("|").split("|")]]}  # fmt: skip


def _within(value: float, band: str) -> bool:
    low, high = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", band)[:2])
    return low <= value <= high


def test_ana_and_ben_agree_like_a_pilot_round_within_the_documented_bands(demo: Engine) -> None:
    with session_scope(demo) as session:
        pair = sorted({k for k in layer("ana")} | {k for k in layer("ben")})
        assert pair == sorted(layer("ana")) == sorted(layer("ben")) and len(pair) == 6
        data = agreement_data(session, ["ana", "ben"], transcripts=pair)
        char = code_table(data, ReportOptions(unit="char"))
        segment = code_table(data, ReportOptions(unit="segment"))
    pooled, per_code = char.iloc[-1], char.iloc[:-1]
    both = per_code[(per_code["segments_a"] > 0) & (per_code["segments_b"] > 0)]
    kappas = both["cohen_kappa"].to_numpy()
    measured = {
        "Pooled character-level Cohen's kappa": pooled["cohen_kappa"],
        "Pooled unitizing alpha (Krippendorff 1995)": pooled["unitized_alpha"],
        "Per code, codes both used: median character-level kappa": float(np.median(kappas)),
        "Pooled segment-level Brennan-Prediger kappa (90 % overlap)": segment.iloc[-1][
            "brennan_prediger"
        ],
    }
    bands = _bands()
    for name, value in measured.items():
        band, documented = bands[name]
        assert _within(value, band), f"{name}: {value:.3f} outside {band}"
        shown = re.match(r"\d+\.(\d+)", documented)
        assert shown and abs(float(shown[0]) - value) <= 0.5 * 10 ** -len(shown[1]), (name, value)
    in_band = int(((kappas >= 0.5) & (kappas <= 0.85)).sum())
    low = int((kappas < 0.4).sum())
    one_sided = len(per_code) - len(both)
    assert in_band * 2 >= len(kappas)
    assert 1 <= low <= len(kappas) / 4
    assert 0.10 <= one_sided / len(per_code) <= 0.35
    assert bands["Per code: share with kappa in 0.50-0.85"][1] == f"{in_band} of {len(kappas)}"
    assert bands["Per code: codes with kappa below 0.40"][1] == f"{low} of {len(kappas)}"
    assert bands["Codes used by one coder only (misses and extras)"][1] == (
        f"{one_sided} of {len(per_code)}"
    )


def test_the_demo_coders_layers_belong_to_their_accounts(demo: Engine, tmp_path: Path) -> None:
    with session_scope(demo) as session:
        user = authenticate(session, "ana", "ana-demo-2025")
        assert user is not None and user.kind == "human"
        assert len(codings_frame(session, ["ana"])) == sum(map(len, layer("ana").values()))
    folder = tmp_path / "nobody"
    folder.mkdir()
    (folder / "layer.yaml").write_text("coder: nobody\nkind: human\n", encoding="utf-8")
    with session_scope(demo) as session, pytest.raises(InputError, match=r"nobody.*exist"):
        load_layer(session, folder)


def test_the_consensus_round_is_settled_through_the_reconcile_service(demo: Engine) -> None:
    listed = [str(t) for t in RECONCILIATION["transcripts"]]
    with session_scope(demo) as session:
        decisions = session.scalar(select(func.count()).select_from(ReconciliationDecision))
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "reconcile.decide", AuditEvent.actor == "lena")
        )
        consensus = codings_frame(session, [CONSENSUS])
        open_units = {
            key: int(units_frame(session, key, "ana", "ben")["decision"].isna().sum())
            for key in sorted(layer("ana"))
        }
    assert decisions >= len(RECONCILIATION["decisions"]) and audited == decisions
    assert set(consensus["transcript"]) == set(listed)
    assert all(open_units[key] == 0 for key in listed)
    assert all(open_units[key] > 0 for key in open_units if key not in listed)

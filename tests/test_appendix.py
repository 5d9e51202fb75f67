# SPDX-License-Identifier: MIT
"""``qualcarto report`` on the demo study: the appendix states the same numbers as the
measures it names, stamped with the codebook version and layers, as HTML, csv and PDF.

The expected figures are computed here by calling the pure measures directly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from browser_app import need_chromium
from qualcarto.agreement import ReportOptions, anatomy, code_table
from qualcarto.agreement_data import agreement_data, interview_unit_data
from qualcarto.cli import main
from qualcarto.rounds import rounds_frame
from qualcarto.saturation import SaturationRule, saturation
from qualcarto.saturation_data import saturation_data
from qualcarto.store import connect, session_scope

PAIR = ["ana", "ben"]


def _report(db: Path, out: Path, *extra: str) -> None:
    args = ["--db", f"sqlite:///{db}", "report", "--out", str(out), "--bootstrap", "50",
            "--orders", "200", *extra]  # fmt: skip
    assert main(args) == 0


def test_the_appendix_states_the_measures_numbers(demo_db: Path, tmp_path: Path) -> None:
    _report(demo_db, tmp_path, "--no-pdf", "--layer", "linaker2025")
    with session_scope(connect(f"sqlite:///{demo_db}")) as session:
        recorded = rounds_frame(session)  # the demo's pilot (reconciled) and second round
        each = [
            agreement_data(session, PAIR, transcripts=names.split(", "))
            for names in recorded["transcripts"]
        ]
        sat = saturation_data(session, ["linaker2025"])
    assert len(each) >= 2, "the demo records more than one round"
    trend = pd.read_csv(tmp_path / "tables" / "agreement-rounds.csv")
    for number, (row, round_data) in enumerate(zip(trend.itertuples(), each, strict=True), 1):
        pooled = pd.read_csv(tmp_path / "tables" / f"agreement-round{number}-pooled.csv")
        expected = code_table(round_data, ReportOptions("char", 0.9, 50, 0)).iloc[-1]
        estimate = pooled.set_index(["unit", "measure"]).loc[("char", "cohen_kappa"), "estimate"]
        assert estimate == pytest.approx(expected["cohen_kappa"])
        assert row.transcripts == len(round_data.lengths)
    data = each[0]  # the pilot, measured in every unit below
    pooled = pd.read_csv(tmp_path / "tables" / "agreement-round1-pooled.csv")
    pooled = pooled.set_index(["unit", "measure"])
    char = code_table(data, ReportOptions("char", 0.9, 50, 0)).iloc[-1]
    kappa = pooled.loc[("char", "cohen_kappa")]
    assert kappa["estimate"] == pytest.approx(char["cohen_kappa"])
    # the pooled-only bootstrap draws the same resamples as the full per-code table's
    assert kappa["ci_low"] == pytest.approx(char["cohen_kappa_ci_low"])
    assert kappa["ci_high"] == pytest.approx(char["cohen_kappa_ci_high"])
    for unit in ("turn", "qa"):
        with session_scope(connect(f"sqlite:///{demo_db}")) as session:
            units = interview_unit_data(session, data, unit)
        pooled_kappa = code_table(units, ReportOptions("document")).iloc[-1]["cohen_kappa"]
        assert pooled.loc[(unit, "cohen_kappa"), "estimate"] == pytest.approx(pooled_kappa)
        assert len(units.lengths) > len(data.lengths)
    assert ("turn", "unitized_alpha") not in pooled.index
    segment = code_table(data, ReportOptions("segment")).iloc[-1]
    bp = pooled.loc[("segment", "brennan_prediger"), "estimate"]
    assert bp == pytest.approx(segment["brennan_prediger"])

    confusion = pd.read_csv(tmp_path / "tables" / "anatomy-confusion.csv").set_index("code")
    expected = anatomy(each[-1]).confusion  # the anatomy is the last round's
    assert (confusion.to_numpy() == expected.to_numpy()).all()

    table = pd.read_csv(tmp_path / "tables" / "saturation.csv").set_index("scope")
    point = saturation(sat.presence, SaturationRule(4, 2, 0.05)).point
    assert table.loc["all codes", "point"] == point and point is not None
    assert table.loc["all codes", "codes"] == sat.presence.any(axis=0).sum()
    discovery = pd.read_csv(tmp_path / "tables" / "discovery.csv")
    assert discovery["codes"].is_monotonic_increasing
    assert list(discovery["transcript"]) == list(sat.transcripts)

    page = (tmp_path / "appendix.html").read_text(encoding="utf-8")
    assert "codebook version 1" in page
    assert f"coders {', '.join(PAIR)}" in page and "layer(s) linaker2025" in page
    assert "Guest, Namey &amp; Chen 2020; base size 4, run length 2" in page
    assert f"was reached after {point} interviews" in page
    assert f"Cohen's kappa {char['cohen_kappa']:.3f}".rstrip("0") in page.replace("&#x27;", "'")
    last = recorded.iloc[-1]
    assert f"coders ana (a) and ben (b); round {last['round']} ({last['name']})" in page
    settled = [
        f"round {r.round} ({r.name})" for r in recorded.itertuples() if pd.notna(r.reconciled_at)
    ]
    waiting = [
        f"round {r.round} ({r.name})" for r in recorded.itertuples() if pd.isna(r.reconciled_at)
    ]
    assert settled and waiting
    assert (
        f"{len(recorded)} recorded round(s), each coded independently; {' and '.join(settled)}"
        in page
    )
    assert (
        f"{' and '.join(waiting)} {'is' if len(waiting) == 1 else 'are'} not reconciled yet" in page
    )
    assert f"Disagreements in {' and '.join(settled)} were settled by discussion" in page
    assert "recompute: " in page and "qualcarto agreement --coders ana ben" in page
    assert (tmp_path / "figures" / "figure1.svg").exists()
    assert "figures/figure1.svg" in page


def test_a_missing_coder_is_one_line_and_writes_nothing(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix"
    args = ["--db", f"sqlite:///{demo_db}", "report", "--out", str(out), "--coders", "ana",
            "--coders", "nobody", "--no-pdf"]  # fmt: skip
    assert main(args) == 2
    assert not out.exists()


def test_the_pdf_prints_every_section(demo_db: Path, tmp_path: Path) -> None:
    need_chromium()
    _report(demo_db, tmp_path)
    reader = PdfReader(tmp_path / "appendix.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in ("Methods paragraph", "The study", "change log", "coding process",
                    "Agreement: round 1 (pilot)", "Disagreement anatomy", "Saturation",
                    "Cartography", "References"):  # fmt: skip
        assert heading in text, heading
    assert len(reader.pages) >= 3

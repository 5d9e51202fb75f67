# SPDX-License-Identifier: MIT
"""The demo study's ``auto`` layer is exactly what the rule-based suggester writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "transcripts" / "codings" / "auto"


def test_regenerating_the_auto_layer_yields_the_shipped_files(tmp_path: Path) -> None:
    out = tmp_path / "auto"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_auto_layer.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.yaml"))}
    shipped = {p.name: p.read_text(encoding="utf-8") for p in sorted(SHIPPED.glob("*.yaml"))}
    assert sorted(made) == sorted(shipped)
    assert made == shipped


def test_the_auto_layer_is_labelled_as_machine_coding_for_every_transcript() -> None:
    meta = yaml.safe_load((SHIPPED / "layer.yaml").read_text(encoding="utf-8"))
    assert (meta["coder"], meta["kind"]) == ("auto", "machine")
    transcripts = {p.stem for p in (ROOT / "transcripts").glob("I*.txt")}
    assert {p.stem for p in SHIPPED.glob("I*.yaml")} == transcripts

# SPDX-License-Identifier: MIT
"""Exports carry the recording's times: tidy csv ``media_start``/``media_end``, REFI-QDA media sources."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from sqlalchemy import Engine

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.store import session_scope
from qualcarto.transcripts import get_transcript
from shared_material import refi_schema

ROOT = Path(__file__).resolve().parents[1]
RECORDING = ROOT / "transcripts" / "recordings" / "R1.ogg"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def recorded(study: Engine, db_url: str) -> tuple[str, int, int]:
    """The study with the demo recording imported and one coding on a word it holds."""
    assert main(["--db", db_url, "import", str(RECORDING)]) == 0
    with session_scope(study) as session:
        text = get_transcript(session, "R1").text
        start = text.index("tokenizer")
        add_coding(session, "R1", start, start + len("tokenizer"), "docs", "ana")
    return db_url, start, len(text)


def test_the_tidy_csv_gives_each_coding_its_seconds(
    recorded: tuple[str, int, int], tmp_path: Path
) -> None:
    db_url, _start, _length = recorded
    out = tmp_path / "codings.csv"
    assert main(["--db", db_url, "export", "csv", str(out)]) == 0
    frame = pd.read_csv(out)
    timed = frame[frame["transcript"] == "R1"].iloc[0]
    vtt = (RECORDING.with_suffix(".vtt")).read_text(encoding="utf-8")
    # "tokenizer" is in the second caption: 00:00:06.910 --> 00:00:12.378
    assert "00:00:06.910 --> 00:00:12.378" in vtt
    assert (timed["media_start"], timed["media_end"]) == (6.91, 12.378)
    untimed = frame[frame["transcript"] != "R1"]
    assert untimed.empty or untimed["media_start"].isna().all()


def test_the_refi_project_holds_an_audio_source_with_sync_points(
    recorded: tuple[str, int, int], tmp_path: Path
) -> None:
    db_url, _start, length = recorded
    out = tmp_path / "study.qdpx"
    assert main(["--db", db_url, "export", "qdpx", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        audio = root.find(".//q:Sources/q:AudioSource", NS)
        assert audio is not None
        member = audio.get("path").removeprefix("internal://")
        assert archive.read(f"sources/{member}") == RECORDING.read_bytes()
        transcript = audio.find("q:Transcript", NS)
        text_member = transcript.get("plainTextPath").removeprefix("internal://")
        assert len(archive.read(f"sources/{text_member}").decode("utf-8")) == length
    points = [
        (int(p.get("position")), int(p.get("timeStamp")))
        for p in transcript.findall("q:SyncPoint", NS)
    ]
    assert len(points) >= 4
    assert points == sorted(points) and all(0 <= pos <= length for pos, _ in points)
    assert refi_schema("Project.xsd").validate(root)

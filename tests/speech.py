# SPDX-License-Identifier: MIT
"""Synthesized speech for recording tests and the benchmark: espeak-ng voices, joined by sox.

Two voices (``en-us`` and ``en-gb+f3``) make a two-speaker interview from a known script,
so what a recognizer heard can be scored against what was said.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

SCRIPT = (
    ("en-us", "Interviewer", "Thank you for joining. How did you first contribute to the project?"),
    (
        "en-gb+f3",
        "Participant",
        "I started by fixing the documentation. The maintainers were friendly and they "
        "reviewed my first pull request within a day.",
    ),
    ("en-us", "Interviewer", "What made it hard to continue after that?"),
    (
        "en-gb+f3",
        "Participant",
        "Running the benchmarks needed expensive hardware, so I could not test my changes.",
    ),
)
GAP_SECONDS = 1.5
RATE = 16_000


@dataclass(frozen=True)
class SpokenLine:
    speaker: str
    text: str
    start: float
    end: float


def missing_tools() -> list[str]:
    """The Debian tools synthesis needs that are not on PATH."""
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def synthesize(out: Path, script: tuple[tuple[str, str, str], ...] = SCRIPT) -> list[SpokenLine]:
    """Write ``script`` as one 16 kHz mono wav with pauses between turns; return when each line is said."""
    work = out.parent / f"{out.stem}-parts"
    work.mkdir(parents=True, exist_ok=True)
    silence = work / "gap.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(silence),
            "trim",
            "0",
            str(GAP_SECONDS),
        ],
        check=True,
    )
    parts: list[Path] = [silence]
    lines: list[SpokenLine] = []
    clock = GAP_SECONDS
    for i, (voice, speaker, text) in enumerate(script):
        raw, part = work / f"raw{i}.wav", work / f"part{i}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
        subprocess.run(
            ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(part)], check=True
        )
        seconds = _seconds(part)
        lines.append(SpokenLine(speaker, text, clock, clock + seconds))
        parts += [part, silence]
        clock += seconds + GAP_SECONDS
    subprocess.run(["sox", *map(str, parts), str(out)], check=True)
    shutil.rmtree(work)
    return lines


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as handle:
        return handle.getnframes() / handle.getframerate()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length (Levenshtein on words)."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(len(ref), 1)

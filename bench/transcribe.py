# SPDX-License-Identifier: MIT
"""Benchmark: local transcription speed (real-time factor on 2 cores) and word error rate.

espeak-ng speaks a known two-speaker script (twice, about a minute), sox makes it 16 kHz
mono; qualcarto's transcriber (faster-whisper, the default tiny.en model, int8, 2 threads,
voice-activity filter on) transcribes it. Printed: audio seconds, model load and
transcription seconds, the real-time factor (transcription seconds / audio seconds; the
issue's goal is at least 5x faster than real time, i.e. <= 0.2), and the word error rate
against the script. Needs `pip install -e '.[transcribe]'` and Debian's espeak-ng and sox.

    python bench/transcribe.py
    python bench/transcribe.py --model /path/to/ct2-whisper-small
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from qualcarto.media import TranscribeOptions, Transcriber, compose, probe  # noqa: E402
from speech import SCRIPT, missing_tools, synthesize, word_error_rate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper folder")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if missing := missing_tools():
        sys.exit(f"missing: {', '.join(missing)} (apt-get install espeak-ng sox)")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "interview.wav"
        spoken = synthesize(wav, SCRIPT + SCRIPT)
        audio = probe(wav).duration
        started = time.perf_counter()
        transcriber = Transcriber(TranscribeOptions(model_dir=args.model, threads=args.threads))
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        turns = transcriber.transcribe(wav)
        took = time.perf_counter() - started
    text = compose(turns).text
    reference = " ".join(line.text for line in spoken)
    rtf = took / audio
    print(f"model: {transcriber.model_name}, {args.threads} threads")
    print(f"audio: {audio:.1f} s synthesized speech, {len(spoken)} lines, 2 voices")
    print(f"load: {loaded:.2f} s; transcription: {took:.2f} s")
    print(f"real-time factor: {rtf:.3f} ({1 / rtf:.1f}x faster than real time; goal >= 5x)")
    print(f"word error rate: {word_error_rate(reference, text):.3f} against the script")
    print(f"turns found at pauses: {len(turns)}")


if __name__ == "__main__":
    main()

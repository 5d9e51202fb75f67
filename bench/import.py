# SPDX-License-Identifier: MIT
"""Benchmark: import and segment a generated corpus; words per second and peak memory.

Imports a quarter-size corpus and the full one (default 1,000,000 words) in separate
processes and prints both, so one can see that peak memory does not grow with corpus
size: files are read, segmented and written one at a time.

    python bench/import.py            # 250,000 and 1,000,000 words
    python bench/import.py --words 200000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS_PER_FILE = 10_000
VOCABULARY = [
    "we",
    "the",
    "model",
    "data",
    "training",
    "open",
    "community",
    "license",
    "compute",
    "benchmark",
    "release",
    "and",
    "of",
    "to",
    "a",
    "in",
    "that",
    "it",
    "was",
    "with",
    "for",
    "on",
    "as",
    "they",
    "our",
    "team",
    "partners",
    "dataset",
    "evaluation",
    "tokens",
    "Zürich",
    "Kraków",
    "język",
    "ภาษาไทย",
    "researchers",
    "volunteers",
    "GPU",
    "cluster",
    "weights",
    "fine-tuning",
]


def make_corpus(folder: Path, words: int, seed: int = 7) -> int:
    """Write interview-like transcripts of WORDS_PER_FILE words; return the number written."""
    rng = random.Random(seed)
    written = 0
    for index in range(max(1, words // WORDS_PER_FILE)):
        turns = []
        count = 0
        while count < WORDS_PER_FILE:
            speaker = "Interviewer" if len(turns) % 2 == 0 else f"P{index}"
            sentences = []
            for _ in range(rng.randint(1, 6)):
                length = rng.randint(5, 25)
                sentences.append(
                    " ".join(rng.choice(VOCABULARY) for _ in range(length)).capitalize() + "."
                )
                count += length
            turns.append(f"{speaker}: {' '.join(sentences)}")
        (folder / f"T{index:05d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        written += count
    return written


def run_one(words: int) -> dict[str, float]:
    """Import a fresh corpus into a fresh store in this process; report speed and peak RSS."""
    from qualcarto.store import connect, session_scope
    from qualcarto.study import create_study
    from qualcarto.transcripts import collect_files, import_transcripts

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        corpus.mkdir()
        total = make_corpus(corpus, words)
        engine = connect(f"sqlite:///{folder / 'bench.db'}", create=True)
        with session_scope(engine) as session:
            create_study(session, "bench")
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with session_scope(engine) as session:
            import_transcripts(session, collect_files([corpus]))
        seconds = time.perf_counter() - started
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "words": total,
        "seconds": seconds,
        "words_per_s": total / seconds,
        "peak_mb": peak / 1024,
        "import_growth_mb": (peak - baseline) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.words)))
        return
    rows = []
    for words in (args.words // 4, args.words):
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--words", str(words)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out))
    print(f"{'words':>10} {'seconds':>8} {'words/s':>9} {'peak MB':>8} {'import growth MB':>17}")
    for row in rows:
        print(
            f"{row['words']:>10,} {row['seconds']:>8.1f} {row['words_per_s']:>9,.0f} "
            f"{row['peak_mb']:>8.0f} {row['import_growth_mb']:>17.0f}"
        )
    small, large = rows
    print(
        f"corpus x{large['words'] / small['words']:.1f} -> peak memory x{large['peak_mb'] / small['peak_mb']:.2f}"
    )


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: MIT
"""Benchmark of the codebook document's typical excerpts against a per-coding loop baseline.

100,000 codings from 3 coders over 100 codes in 200 transcripts of 60,000 characters
(spans of 20-600 characters). ``typical_excerpts`` (one self-join per code and
transcript, then one sort) runs against the straightforward version of the same rule
(its first implementation): for each code and transcript, coding by coding, the distinct
coders of the codings overlapping it, in the same process on the same frame.
Both must choose the same excerpt for every code; the best wall time of ``--repeat`` runs
is printed with the ratio.

    python bench/codebook_document.py            # the full sizes above
    python bench/codebook_document.py --quick    # a tenth of the codings
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qualcarto.reports.codebook_document import typical_excerpts


def make_codings(n_codings: int, seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 60_000, n_codings)
    return pd.DataFrame(
        {
            "coding_id": np.arange(1, n_codings + 1),
            "code_id": rng.choice([f"code-{i:03d}" for i in range(100)], n_codings),
            "transcript": rng.choice([f"I{i:03d}" for i in range(200)], n_codings),
            "coder": rng.choice(["ana", "ben", "cy"], n_codings),
            "start": start,
            "end": start + rng.integers(20, 600, n_codings),
            "text": "x",
        }
    )


def baseline(codings: pd.DataFrame) -> dict[str, tuple[str, int, int, int]]:
    """The rule coding by coding: agreement, then distance to the median, then place."""
    chosen = {}
    for code_id, group in codings.groupby("code_id"):
        median = float((group["end"] - group["start"]).median())
        best: tuple[tuple[float, float, str, int, int], str, int, int, int] | None = None
        for transcript, doc in group.groupby("transcript"):
            starts, ends = doc["start"].to_numpy(), doc["end"].to_numpy()
            coders, ids = doc["coder"].to_numpy(), doc["coding_id"].to_numpy()
            for start, end, coding_id in zip(starts, ends, ids, strict=True):
                agreement = len(set(coders[(starts < end) & (ends > start)]))
                key = (-agreement, abs(end - start - median), str(transcript), start, coding_id)
                if best is None or key < best[0]:
                    best = (key, str(transcript), int(start), int(end), agreement)
        assert best is not None
        chosen[str(code_id)] = best[1:]
    return chosen


def best_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the codings")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codings = make_codings(10_000 if args.quick else 100_000)
    ours_time, ours = best_time(lambda: typical_excerpts(codings), args.repeat)
    base_time, base = best_time(lambda: baseline(codings), 1)
    mine = {c: (e.transcript, e.start, e.end, e.coders) for c, e in ours.items()}  # type: ignore[attr-defined]
    same = mine == base
    print(f"{len(codings):,} codings, {len(mine)} codes: identical choices: {same}")
    print(
        f"typical_excerpts {ours_time:.2f} s · per-coding baseline {base_time:.2f} s · "
        f"{base_time / ours_time:.1f}x"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

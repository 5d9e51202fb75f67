# SPDX-License-Identifier: MIT
"""Benchmark: the theme-matrix workbook of a large synthetic study.

1,000 transcripts x 300 codes with 100,000 excerpts (seeded), written by the same
``write_workbook`` the CLI uses. The frames are built in memory, as a store
would hand them over; the script prints the wall and CPU seconds of writing (CPU time
stays meaningful on a machine shared with other jobs) and the peak resident memory of
the process. Goal: under 30 s and 1 GB.

Run: .venv/bin/python bench/export.py [--transcripts 1000 --codes 300 --codings 100000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from qualcarto.codebook import Codebook, CodeDef, codebook_frame
from qualcarto.exchange import StudyData, write_workbook

STAGES = ["pre-training", "post-training", "post-release"]
TYPES = ["model", "data", "software", "evaluation", "non-technical", "compute"]
REGIONS = ["Europe", "North America", "Asia", "Africa", "South America"]
WORDS = [
    "open",
    "model",
    "data",
    "compute",
    "volunteers",
    "training",
    "release",
    "licence",
    "community",
]


def synthetic_study(n_transcripts: int, n_codes: int, n_codings: int, seed: int = 7) -> StudyData:
    """A study of the given size with realistic shapes: a 2-level codebook, long quotes."""
    rng = np.random.default_rng(seed)
    groups = max(n_codes // 20, 1)
    codes = [CodeDef(id=f"g{g}", name=f"Group {g}") for g in range(groups)]
    for i in range(n_codes - groups):
        codes.append(
            CodeDef(
                id=f"c{i}",
                name=f"Theme {i}",
                parent=f"g{i % groups}",
                color=f"#{rng.integers(0, 0xFFFFFF):06X}",
                facets={"stage": STAGES[i % 3], "collab_type": TYPES[i % 6]},
            )
        )
    codebook = Codebook(
        title="synthetic",
        facets={"stage": STAGES, "collab_type": TYPES},
        settings={"cartography": {"rows": "collab_type", "cols": "stage"}},
        codes=tuple(codes),
    )
    names = [f"T{i:04d}" for i in range(n_transcripts)]
    transcripts = pd.DataFrame(
        {
            "transcript_id": range(1, n_transcripts + 1),
            "transcript": names,
            "length": 60_000,
            "participant_id": names,
            "region": [REGIONS[i % len(REGIONS)] for i in range(n_transcripts)],
            "organization_type": [f"type {i % 7}" for i in range(n_transcripts)],
        }
    )
    which = rng.integers(0, n_transcripts, n_codings)
    starts = rng.integers(0, 59_000, n_codings)
    widths = rng.integers(40, 600, n_codings)
    quote = " ".join(WORDS * 8)
    codings = pd.DataFrame(
        {
            "coding_id": range(1, n_codings + 1),
            "transcript_id": which + 1,
            "transcript": [names[i] for i in which],
            "participant_id": [names[i] for i in which],
            "coder": rng.choice(["ana", "ben"], n_codings),
            "code_id": [f"c{i}" for i in rng.integers(0, n_codes - groups, n_codings)],
            "start": starts,
            "end": starts + widths,
            "text": [quote[: int(w) % len(quote)] for w in widths],
            "memo": "",
            "codebook_version": 1,
            "origin": "manual",
            "created_at": datetime(2025, 1, 1, tzinfo=UTC),
        }
    )
    return StudyData(
        project="synthetic study",
        codebook_version=1,
        codebook=codebook,
        codes=codebook_frame(codebook),
        codings=codings,
        transcripts=transcripts,
        coders=["ana", "ben"],
        layer="all coders",
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1_000)
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--codings", type=int, default=100_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = synthetic_study(args.transcripts, args.codes, args.codings)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        cpu = time.process_time()
        sheets = write_workbook(data, path)
        written = time.perf_counter()
        cpu = time.process_time() - cpu
        size = path.stat().st_size
    print(
        f"workbook: {args.transcripts} transcripts x {args.codes} codes, "
        f"{args.codings} excerpts, {len(sheets)} sheets, {size / 1e6:.1f} MB"
    )
    print(f"synthetic data: {built - started:.1f} s")
    print(f"write workbook: {written - built:.1f} s wall, {cpu:.1f} s CPU")
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

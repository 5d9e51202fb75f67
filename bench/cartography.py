# SPDX-License-Identifier: MIT
"""Benchmark of building the cartography map against a row-by-row baseline.

A study of 60 on-ramp/challenge codes in a 6 x 3 grid and 10,000 codings by two
coders over 200 transcripts. ``build_map`` (grouped pandas counts) runs against
a straightforward baseline that walks the codings one row at a time with
``DataFrame.iterrows`` and collects sets per code. Both run in the same process
on the same data, their maps are checked to be equal, and the median wall time
of ``--repeat`` runs is printed with the ratio.

    python bench/cartography.py               # 10,000 codings
    python bench/cartography.py --codings 100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qualcarto.cartography import CartographyMap, build_map, map_to_dict

FACET_ORDERS = {
    "stage": ["pre-training", "post-training", "post-release"],
    "collab_type": ["model", "data", "software", "evaluation", "non-technical", "compute"],
    "polarity": ["on-ramp", "challenge"],
}


def make_study(n_codes: int, n_codings: int, seed: int = 12345) -> tuple[pd.DataFrame, ...]:
    """Codes spread over the grid and codings drawn at random over 200 transcripts."""
    rng = np.random.default_rng(seed)
    codes = pd.DataFrame(
        {
            "code_id": [f"code-{i:02d}" for i in range(n_codes)],
            "name": [f"On-ramp or challenge number {i}" for i in range(n_codes)],
            "parent": None,
            "path": [f"Themes > {i}" for i in range(n_codes)],
            "status": "active",
            "color": None,
            "definition": "",
            "stage": [FACET_ORDERS["stage"][i % 3] for i in range(n_codes)],
            "collab_type": [FACET_ORDERS["collab_type"][i % 6] for i in range(n_codes)],
            "polarity": [FACET_ORDERS["polarity"][(i // 6) % 2] for i in range(n_codes)],
        }
    )
    transcript = rng.integers(0, 200, n_codings)
    codings = pd.DataFrame(
        {
            "coding_id": np.arange(n_codings),
            "transcript_id": transcript,
            "transcript": [f"T{t:03d}" for t in transcript],
            "participant_id": [f"P{t:03d}" for t in transcript],
            "coder": rng.choice(["linaker2025", "auto"], n_codings),
            "code_id": rng.choice(codes["code_id"].to_numpy(), n_codings),
            "start": 0,
            "end": 10,
            "text": "excerpt",
            "memo": None,
            "codebook_version": 1,
            "created_at": None,
        }
    )
    return codes, codings


def row_by_row_baseline(codes: pd.DataFrame, codings: pd.DataFrame) -> dict[str, Any]:
    """The naive map: walk every coding, then every code, building the same dict."""
    transcripts: dict[str, set[Any]] = {}
    participants: dict[str, set[str]] = {}
    excerpts: dict[str, int] = {}
    for _, row in codings.iterrows():
        cid = row["code_id"]
        transcripts.setdefault(cid, set()).add(row["transcript_id"])
        participants.setdefault(cid, set()).add(str(row["participant_id"]))
        excerpts[cid] = excerpts.get(cid, 0) + 1
    order = {v: i for i, v in enumerate(FACET_ORDERS["polarity"])}
    cells = []
    for row_value in FACET_ORDERS["collab_type"]:
        for col_value in FACET_ORDERS["stage"]:
            entries = []
            for _, c in codes.iterrows():
                if c["collab_type"] != row_value or c["stage"] != col_value:
                    continue
                if c["code_id"] not in excerpts:
                    continue
                entries.append(
                    {
                        "id": c["code_id"],
                        "name": c["name"],
                        "split": c["polarity"],
                        "interviews": len(transcripts[c["code_id"]]),
                        "excerpts": excerpts[c["code_id"]],
                        "participants": sorted(participants[c["code_id"]]),
                    }
                )
            entries.sort(key=lambda e: (order[e["split"]], e["name"].casefold(), e["name"]))
            cells.append({"row": row_value, "col": col_value, "codes": entries})
    return {"rows": FACET_ORDERS["collab_type"], "cols": FACET_ORDERS["stage"], "cells": cells}


def ours(codes: pd.DataFrame, codings: pd.DataFrame) -> CartographyMap:
    return build_map(codes, codings, FACET_ORDERS, "collab_type", "stage", "polarity")


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    codes, codings = make_study(args.codes, args.codings)
    fast, ours_map = median_seconds(lambda: ours(codes, codings), args.repeat)
    slow, baseline = median_seconds(
        lambda: row_by_row_baseline(codes, codings), max(1, args.repeat // 2)
    )
    assert isinstance(ours_map, CartographyMap)
    if map_to_dict(ours_map) != baseline:
        raise SystemExit("build_map and the baseline disagree")
    print(f"cartography map: {args.codes} codes, {args.codings:,} codings, 2 coders")
    print(f"  build_map            {fast:8.4f} s")
    print(f"  row-by-row baseline  {slow:8.4f} s")
    print(f"  ratio                {slow / fast:8.1f} x")


if __name__ == "__main__":
    main()

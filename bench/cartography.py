# SPDX-License-Identifier: MIT
"""Benchmark of the cartography: building the map, and drawing all nine figures.

Map: a study of 60 on-ramp/challenge codes in a 6 x 3 grid and 10,000 codings by
two coders over 200 transcripts. ``build_map`` (grouped pandas counts) runs
against a baseline that walks the codings one row at a time with
``DataFrame.iterrows``; both maps are checked to be equal, and the median wall
time of ``--repeat`` runs is printed with the ratio.

Drawing: the demo study (its ``linaker2025`` layer) is built in a temporary
store and all nine figures are drawn and written as SVG, timing CPU seconds
(``time.process_time``). The same frames are drawn by the cartography of
another git revision (``--baseline main``: the code before this change),
exported with ``git archive`` and run in a child process in the same run. The
goal is at most 3 s of CPU for all nine.

    python bench/cartography.py               # 10,000 codings
    python bench/cartography.py --codings 100000 --baseline HEAD~3
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qualcarto.cartography import (
    CartographyMap,
    build_map,
    draw_map,
    figure_design,
    map_to_dict,
    provenance,
    render_all,
    resolve_layout,
)
from qualcarto.cartography_data import cartography_data
from qualcarto.demo import build_demo
from qualcarto.store import connect, read_scope

REPO = Path(__file__).resolve().parents[1]
# Run by the child process on another revision's ``src``: the same frames, its own drawing.
BASELINE_SCRIPT = """
import pickle, sys, time, tempfile, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
from qualcarto.cartography import build_map, render_all
f = pickle.load(open(sys.argv[2], "rb"))
start = time.process_time()
m = build_map(f["codes"], f["codings"], f["orders"], "collab_type", "stage", "polarity")
with tempfile.TemporaryDirectory() as out:
    paths = render_all(m, f["codes"], f["codings"], f["participants"], f["orders"], out, "svg")
print(time.process_time() - start, len(paths))
"""

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
            entries.sort(
                key=lambda e: (order[e["split"]], -e["interviews"], e["name"].casefold(), e["name"])
            )
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


def draw_nine(folder: Path) -> tuple[float, int, dict[str, object]]:
    """CPU seconds to build the demo map and draw its nine figures as SVG, here."""
    db = folder / "demo.db"
    build_demo(f"sqlite:///{db}")
    engine = connect(f"sqlite:///{db}")
    with read_scope(engine) as session:
        data = cartography_data(session, ["linaker2025"])
    engine.dispose()
    start = time.process_time()
    m = draw_map(data, resolve_layout(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = render_all(
            m,
            data.codes,
            data.codings,
            data.participants,
            data.facet_orders,
            folder / "figures",
            "svg",
            design=figure_design(data),
            provenance=provenance(data, m.coders),
        )
    seconds = time.process_time() - start
    frames = {
        "codes": data.codes,
        "codings": data.codings,
        "participants": data.participants,
        "orders": data.facet_orders,
    }
    return seconds, len(paths), frames


def draw_nine_at(revision: str, frames: dict[str, object], folder: Path) -> tuple[float, int]:
    """CPU seconds for the same figures drawn by the cartography of ``revision``."""
    src = folder / "baseline"
    src.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    frames_file = folder / "frames.pickle"
    frames_file.write_bytes(pickle.dumps(frames))
    done = subprocess.run(
        [sys.executable, "-c", BASELINE_SCRIPT, str(src / "src"), str(frames_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, count = done.stdout.split()
    return float(seconds), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", default="main", help="git revision to compare drawing with")
    args = parser.parse_args()

    codes, codings = make_study(args.codes, args.codings)
    fast, ours_map = median_seconds(lambda: ours(codes, codings), args.repeat)
    slow, baseline = median_seconds(
        lambda: row_by_row_baseline(codes, codings), max(1, args.repeat // 2)
    )
    assert isinstance(ours_map, CartographyMap)
    built = map_to_dict(ours_map)
    for cell in built["cells"]:
        del cell["interviews"]  # the cell's own support: the baseline does not count it
    if built != baseline:
        raise SystemExit("build_map and the baseline disagree")
    print(f"cartography map: {args.codes} codes, {args.codings:,} codings, 2 coders")
    print(f"  build_map            {fast:8.4f} s")
    print(f"  row-by-row baseline  {slow:8.4f} s")
    print(f"  ratio                {slow / fast:8.1f} x")

    with tempfile.TemporaryDirectory() as tmp:
        ours_cpu, drawn, frames = draw_nine(Path(tmp))
        print("drawing the demo's figures as SVG (CPU seconds, goal <= 3 s for nine)")
        print(f"  this code            {ours_cpu:8.2f} s  ({drawn} figures)")
        try:
            base_cpu, base_drawn = draw_nine_at(args.baseline, frames, Path(tmp))
        except (subprocess.CalledProcessError, ValueError) as exc:
            print(f"  {args.baseline:<20} not measured: {exc}")
        else:
            print(f"  {args.baseline:<20} {base_cpu:8.2f} s  ({base_drawn} figures)")
            print(f"  ratio                {base_cpu / ours_cpu:8.1f} x")


if __name__ == "__main__":
    main()

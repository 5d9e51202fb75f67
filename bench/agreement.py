# SPDX-License-Identifier: MIT
"""Benchmark of qualcarto's agreement code against straightforward baselines.

1. Span agreement per code at the char level: our boundary sweep against a numpy
   boolean-array baseline (one mask per coder and code over the concatenated text),
   on 200 transcripts x 150,000 characters, 60 codes, 2 coders x 100,000 codings.
   Segment matching likewise against a per-(transcript, code) pairwise baseline.
2. ``krippendorff_alpha`` against the ``krippendorff`` package on 2 coders x 1,000,000
   units and 10 coders x 100,000 units, 10 categories.

Both sides run in the same process on the same data; the numbers are checked to agree
and the best wall time of ``--repeat`` runs (after a warm-up) is printed with the ratio.

    python bench/agreement.py            # the full sizes above
    python bench/agreement.py --quick    # a tenth of each, for a smoke run
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qualcarto.agreement import (
    cohen_kappa_from_table,
    krippendorff_alpha,
    match_segments,
    span_agreement,
)
from qualcarto.agreement.ratings import UndefinedAgreementError


def make_study(
    n_transcripts: int, length: int, n_codes: int, n_codings: int, seed: int = 12345
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Coder A codes at random; coder B re-finds 80% of A's spans with jittered
    boundaries (a quarter of them loosely) and adds 20% spans of its own."""
    rng = np.random.default_rng(seed)
    lengths = {f"T{i:03d}": length for i in range(n_transcripts)}
    names = np.array(sorted(lengths))

    def random_spans(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        span = np.clip(rng.lognormal(5.5, 0.8, n).astype(np.int64), 20, 5000)
        start = rng.integers(0, length - span)
        return rng.integers(0, n_transcripts, n), rng.integers(0, n_codes, n), start, start + span

    t_a, c_a, s_a, e_a = random_spans(n_codings)
    kept = rng.random(n_codings) < 0.8
    span = e_a - s_a
    loose = rng.random(n_codings) < 0.25
    jitter = np.where(loose, 0.2, 0.03)
    s_b = s_a + np.round(rng.normal(0, 1, n_codings) * jitter * span).astype(np.int64)
    e_b = e_a + np.round(rng.normal(0, 1, n_codings) * jitter * span).astype(np.int64)
    s_b, e_b = np.clip(s_b, 0, length - 1), np.clip(e_b, 1, length)
    e_b = np.maximum(e_b, s_b + 1)
    n_new = n_codings - int(kept.sum())
    t_n, c_n, s_n, e_n = random_spans(n_new)
    frame = pd.DataFrame(
        {
            "transcript_id": np.concatenate([names[t_a], names[t_a[kept]], names[t_n]]),
            "coder": ["A"] * n_codings + ["B"] * n_codings,
            "code_id": np.concatenate([c_a, c_a[kept], c_n]),
            "start": np.concatenate([s_a, s_b[kept], s_n]),
            "end": np.concatenate([e_a, e_b[kept], e_n]),
        }
    )
    return frame, lengths


def boolean_array_baseline(codings: pd.DataFrame, lengths: dict[str, int]) -> pd.DataFrame:
    """Per code, one boolean mask per coder over the concatenated transcripts."""
    offset = dict(
        zip(sorted(lengths), np.cumsum([0, *[lengths[t] for t in sorted(lengths)]]), strict=False)
    )
    total = sum(lengths.values())
    rows = []
    for code, spans in codings.groupby("code_id", sort=True):
        masks = {}
        for coder in ("A", "B"):
            mask = np.zeros(total, dtype=bool)
            mine = spans[spans["coder"] == coder]
            for t, s, e in zip(mine["transcript_id"], mine["start"], mine["end"], strict=True):
                mask[offset[t] + s : offset[t] + e] = True
            masks[coder] = mask
        a, b = masks["A"], masks["B"]
        both = int(np.count_nonzero(a & b))
        n_a, n_b = int(np.count_nonzero(a)), int(np.count_nonzero(b))
        table = np.array([[both, n_a - both], [n_b - both, total - n_a - n_b + both]])
        try:
            kappa = cohen_kappa_from_table(table)
        except UndefinedAgreementError:
            kappa = float("nan")
        rows.append((code, n_a, n_b, both, (table[0, 0] + table[1, 1]) / total, kappa))
    return pd.DataFrame(
        rows,
        columns=["code_id", "coded_a", "coded_b", "coded_both", "percent_agreement", "cohen_kappa"],
    )


def pairwise_segment_baseline(codings: pd.DataFrame, overlap: float) -> np.ndarray:
    """Per (transcript, code), every pair of the two coders' spans, by broadcasting."""
    distinct = codings.drop_duplicates(["transcript_id", "coder", "code_id", "start", "end"])
    distinct = distinct.sort_values(["transcript_id", "code_id", "coder", "start", "end"])
    matched = np.zeros(len(distinct), dtype=bool)
    position = {
        key: i
        for i, key in enumerate(zip(*(distinct[c] for c in distinct.columns[:5]), strict=True))
    }
    for _, group in distinct.groupby(["transcript_id", "code_id"], sort=False):
        a, b = group[group["coder"] == "A"], group[group["coder"] == "B"]
        if a.empty or b.empty:
            continue
        sa, ea = a["start"].to_numpy()[:, None], a["end"].to_numpy()[:, None]
        sb, eb = b["start"].to_numpy()[None, :], b["end"].to_numpy()[None, :]
        shared = np.minimum(ea, eb) - np.maximum(sa, sb)
        ok = shared * 10 >= round(overlap * 10) * np.maximum(ea - sa, eb - sb)
        for frame_, hits in ((a, ok.any(axis=1)), (b, ok.any(axis=0))):
            for key, hit in zip(
                zip(*(frame_[c] for c in frame_.columns[:5]), strict=True), hits, strict=True
            ):
                matched[position[key]] = hit
    return matched


@dataclass(frozen=True)
class Timing:
    """Best wall and CPU seconds over the runs."""

    wall: float
    cpu: float


def timed(function: Callable[[], Any], repeat: int, warm_up: bool = True) -> tuple[Timing, Any]:
    """Best wall and CPU time of ``repeat`` runs after an untimed warm-up run. The machine
    is shared, so the minimum is the steadiest estimate of what each side costs."""
    result = function() if warm_up else None
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(min(walls), min(cpus)), result


@dataclass(frozen=True)
class Row:
    case: str
    ours: Timing
    baseline: Timing | None
    check: str


def char_rows(codings: pd.DataFrame, lengths: dict[str, int], label: str, repeat: int) -> list[Row]:
    ours_time, ours = timed(lambda: span_agreement(codings, lengths, ("A", "B"), "char"), repeat)
    base_time, base = timed(lambda: boolean_array_baseline(codings, lengths), repeat)
    mine = ours.iloc[:-1].reset_index(drop=True)
    mine["code_id"] = mine["code_id"].astype(np.int64)
    counts = ["coded_a", "coded_b", "coded_both"]
    measures = ["percent_agreement", "cohen_kappa"]
    diff = np.nanmax(np.abs(mine[measures].to_numpy() - base[measures].to_numpy()))
    check = f"counts equal: {mine[counts].equals(base[counts])}, max diff {diff:.1e}"
    return [Row(f"char agreement, {label}", ours_time, base_time, check)]


def segment_rows(
    codings: pd.DataFrame, lengths: dict[str, int], label: str, repeat: int
) -> list[Row]:
    ours_time, ours = timed(lambda: match_segments(codings, lengths, ("A", "B"), 0.9), repeat)
    base_time, base = timed(lambda: pairwise_segment_baseline(codings, 0.9), 1, warm_up=False)
    same = bool(np.array_equal(ours["matched"].to_numpy(), base))
    return [
        Row(f"segment matching at 0.9, {label}", ours_time, base_time, f"matches equal: {same}")
    ]


def alpha_rows(scale: int, repeat: int) -> list[Row]:
    try:
        import krippendorff
    except ImportError:
        krippendorff = None
    rng = np.random.default_rng(12345)
    rows = []
    for m, n in ((2, 1_000_000 // scale), (10, 100_000 // scale)):
        data = rng.integers(0, 10, size=(m, n)).astype(float)
        case = f"krippendorff_alpha, {m} coders x {n:,} units, 10 categories"
        ours_time, ours = timed(lambda data=data: krippendorff_alpha(data), repeat)
        if krippendorff is None:
            rows.append(Row(case, ours_time, None, "no krippendorff package (the bench extra)"))
            continue
        base_time, base = timed(
            lambda data=data: krippendorff.alpha(
                reliability_data=data, level_of_measurement="nominal"
            ),
            repeat,
        )
        rows.append(
            Row(case, ours_time, base_time, f"alpha {ours:.12f}, diff {abs(ours - base):.1e}")
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1

    n_transcripts, n_codings = 200 // scale, 100_000 // scale
    codings, lengths = make_study(n_transcripts, 150_000, 60, n_codings)
    label = f"{n_transcripts} x 150,000 chars, 60 codes, 2 x {n_codings:,} codings"
    rows = [
        *char_rows(codings, lengths, label, args.repeat),
        *segment_rows(codings, lengths, label, args.repeat),
        *alpha_rows(scale, args.repeat),
    ]

    mode = "quick" if args.quick else "full"
    print(f"qualcarto agreement benchmark ({mode}): best of {args.repeat} runs after a warm-up")
    print("(the pairwise segment baseline runs once); wall and CPU seconds, ratio = baseline/ours")
    width = max(len(r.case) for r in rows)
    header = f"{'case':<{width}}  {'ours wall':>9}  {'base wall':>9}  {'ratio':>7}"
    print(f"{header}  {'ours cpu':>8}  {'base cpu':>8}  {'ratio':>7}  check")
    for row in rows:
        base = row.baseline or Timing(float("nan"), float("nan"))
        print(
            f"{row.case:<{width}}  {row.ours.wall:>9.3f}  {base.wall:>9.3f}"
            f"  {base.wall / row.ours.wall:>6.1f}x  {row.ours.cpu:>8.3f}  {base.cpu:>8.3f}"
            f"  {base.cpu / max(row.ours.cpu, 1e-9):>6.1f}x  {row.check}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

# SPDX-License-Identifier: MIT
"""Benchmark: the methods appendix of a large study, and the saturation bootstrap.

1. Appendix: a real SQLite store of 200 transcripts, a 300-code codebook, 3 coders and
   100,000 codings (seeded; coder ben re-finds most of ana's spans with jittered
   boundaries, carl codes at random). ``appendix_data`` + ``write_appendix`` (HTML, csv
   tables, cartography Figure 1, without the PDF unless ``--pdf``), timed as the CLI runs
   them, with 200 bootstrap resamples and 1,000 random orders. Goal: <= 10 s.
2. Saturation over 1,000 random interview orders (200 interviews x 300 codes of Zipf-like
   frequency): ``random_orders`` (vectorized) against a plain loop over orders and
   interviews with Python sets, in the same run; the points are checked equal.
   Goal: <= 2 s.

Run: .venv/bin/python bench/report.py [--quick] [--pdf]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from study_store import interview_text, seeded_store, synthetic_codebook

from qualcarto.saturation import SaturationRule, random_orders


def coded_store(url: str, n_transcripts: int, n_codings: int, seed: int = 11) -> None:
    """200 transcripts, 3 coders, ``n_codings`` codings bulk-inserted in one transaction."""
    rng = np.random.default_rng(seed)
    codebook = synthetic_codebook(300, np.random.default_rng(7))
    codable = [c.id for c in codebook.codes if c.parent]
    with seeded_store(url, ("ana", "ben", "carl"), codebook) as store:
        per = n_codings // n_transcripts // 3
        for i in range(n_transcripts):
            text = interview_text(rng, 60)
            doc = store.transcript(f"T{i:04d}", text)
            popular = rng.zipf(1.6, per) % len(codable)
            starts = rng.integers(0, len(text) - 400, per)
            ends = starts + rng.integers(20, 300, per)
            rows = []
            for coder in ("ana", "ben", "carl"):
                if coder == "ben":
                    s = np.clip(starts + rng.integers(-15, 15, per), 0, len(text) - 1)
                    e = np.maximum(s + 1, ends + rng.integers(-15, 15, per))
                    codes = np.where(rng.random(per) < 0.8, popular, rng.integers(0, 280, per))
                elif coder == "carl":
                    s = rng.integers(0, len(text) - 400, per)
                    e = s + rng.integers(20, 300, per)
                    codes = rng.integers(0, len(codable), per)
                else:
                    s, e, codes = starts, ends, popular
                seen = set()
                for a, b, c in zip(s.tolist(), e.tolist(), codes.tolist(), strict=True):
                    if (a, b, c) in seen:
                        continue
                    seen.add((a, b, c))
                    rows.append(store.coding(doc, text, coder, codable[c], a, b))
            store.session.add_all(rows)
            store.session.flush()


def plain_loop_points(presence: np.ndarray, orders: np.ndarray, rule: SaturationRule) -> list[int]:
    """Saturation points the plain way: per order, walk the interviews with a set."""
    codes = [set(np.flatnonzero(row).tolist()) for row in presence]
    points = []
    for order in orders.tolist():
        seen: set[int] = set()
        curve = []
        for i in order:
            seen |= codes[i]
            curve.append(len(seen))
        d = [0, *curve]
        base = d[rule.base]
        point = -1
        for k in range(rule.base, len(order) - rule.run + 1):
            new = d[k + rule.run] - d[k]
            if (new / base if base else (0 if new == 0 else 1e9)) <= rule.threshold + 1e-12:
                point = k
                break
        points.append(point)
    return points


def bench_saturation(n: int, n_codes: int, n_orders: int) -> None:
    rng = np.random.default_rng(3)
    weights = 1 / np.arange(1, n_codes + 1) ** 0.9
    presence = rng.random((n, n_codes)) < np.clip(weights * 2, 0, 0.9)
    rule = SaturationRule(4, 2, 0.05)
    random_orders(presence, rule, 10, seed=1)  # warm-up
    orders = np.random.default_rng(1).permuted(np.tile(np.arange(n), (n_orders, 1)), axis=1)
    t_fast = t_slow = float("inf")
    for _ in range(5):  # best of 5: the machine is shared
        t0 = time.perf_counter()
        fast = random_orders(presence, rule, n_orders, seed=1)
        t_fast = min(t_fast, time.perf_counter() - t0)
        t0 = time.perf_counter()
        slow = plain_loop_points(presence, orders, rule)
        t_slow = min(t_slow, time.perf_counter() - t0)
    assert fast.points.tolist() == slow, "vectorized and plain-loop points differ"
    print(
        f"saturation: {n_orders} random orders of {n} interviews x {n_codes} codes "
        f"({int(presence.sum())} occurrences), best of 5"
    )
    print(
        f"  vectorized {t_fast:.2f} s, plain loop {t_slow:.2f} s, ratio {t_slow / t_fast:.1f}x"
        f" (goal <= 2 s: {'met' if t_fast <= 2 else 'MISSED'}); median point "
        f"{fast.summary()['median']}"
    )


def bench_appendix(n_transcripts: int, n_codings: int, pdf: bool) -> None:
    from qualcarto.appendix_data import AppendixOptions, appendix_data
    from qualcarto.exchange.appendix_files import write_appendix
    from qualcarto.store import connect, read_scope

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        t0 = time.perf_counter()
        coded_store(url, n_transcripts, n_codings)
        print(
            f"appendix: store of {n_transcripts} transcripts built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        engine = connect(url)
        options = AppendixOptions(coders=("ana", "ben", "carl"), layer=("ana",), bootstrap=200)
        t0 = time.perf_counter()
        c0 = time.process_time()
        with read_scope(engine) as session:
            appendix, cartography = appendix_data(session, options)
        t_data = time.perf_counter() - t0
        _, written = write_appendix(appendix, cartography, Path(folder) / "out", pdf=pdf)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        codings = int(appendix.coders["codings"].sum())
        print(
            f"  {codings} codings by 3 coders: appendix in {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(gathering {t_data:.2f} s; {len(written)} files{', PDF' if pdf else ''}); "
            f"goal <= 10 s: {'met' if wall <= 10 else 'MISSED'}"
        )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--pdf", action="store_true", help="print the PDF too")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    bench_saturation(200, 300, 1000 // scale)
    bench_appendix(200 // scale, 100_000 // scale, args.pdf)


if __name__ == "__main__":
    main()

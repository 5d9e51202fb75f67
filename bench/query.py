# SPDX-License-Identifier: MIT
"""Benchmark of code queries against a straightforward pandas baseline (a self-join per pair).

200 transcripts of about 10,000 words (60,000 characters, sentences of 40-200 characters,
turns of five sentences), 100,000 codings from 3 coders over 50 codes. Ten representative
queries run through ``qualcarto.query`` and through the baseline, which joins the codings
of one side to those of the other on (coder, transcript) and filters the pairs, in the
same process on the same frames. The hits must be identical; the best wall time of
``--repeat`` runs is printed with the ratio, and each query's time against the 1 s goal.

    python bench/query.py            # the full sizes above
    python bench/query.py --quick    # a tenth of the codings and transcripts
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qualcarto.query import StudyFrames, parse_query, run_query

KEYS = ["coder", "transcript_id"]
Frame = pd.DataFrame


def make_frames(n_transcripts: int, n_codings: int, seed: int = 2024) -> StudyFrames:
    rng = np.random.default_rng(seed)
    sentences, turns, lengths = [], [], []
    for tid in range(n_transcripts):
        sizes = rng.integers(40, 200, 500)
        starts = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])
        ends = starts + sizes
        sentences.append(pd.DataFrame({"transcript_id": tid, "start": starts, "end": ends}))
        first, last = starts[::5], ends[4::5]
        turns.append(pd.DataFrame({"transcript_id": tid, "start": first, "end": last}))
        lengths.append(int(ends[-1]) + 1)
    codes = pd.DataFrame(
        {
            "code_id": [f"mot-{i:02d}" for i in range(25)] + [f"chl-{i:02d}" for i in range(25)],
            "parent": None,
            "name": "",
            "stage": ["early", "late"] * 25,
            "polarity": ["on-ramp"] * 25 + ["challenge"] * 25,
        }
    )
    tids = rng.integers(0, n_transcripts, n_codings)
    span = np.clip(rng.lognormal(5.0, 0.7, n_codings).astype(np.int64), 20, 1500)
    start = (rng.random(n_codings) * (np.array(lengths)[tids] - span)).astype(np.int64)
    codings = pd.DataFrame(
        {
            "coder": np.array(["ana", "ben", "reference"])[rng.integers(0, 3, n_codings)],
            "transcript_id": tids,
            "code_id": codes["code_id"].to_numpy()[rng.integers(0, 50, n_codings)],
            "start": start,
            "end": start + span,
            "codebook_version": 1,
        }
    ).drop_duplicates()
    transcripts = pd.DataFrame(
        {
            "transcript_id": range(n_transcripts),
            "transcript": [f"T{i:03d}" for i in range(n_transcripts)],
            "length": lengths,
            "participant_id": [f"P{i:03d}" for i in range(n_transcripts)],
            "organization_type": ["Company", "University"] * (n_transcripts // 2),
        }
    )
    return StudyFrames(codings, codes, transcripts, pd.concat(turns), pd.concat(sentences))


# --- the baseline: plain pandas, a self-join per pair of operands -------------------------


def merged(frame: Frame) -> Frame:
    """Union of possibly overlapping (coder, transcript) intervals as disjoint stretches."""
    frame = frame.sort_values([*KEYS, "start", "end"])
    reach = frame.groupby(KEYS)["end"].cummax().shift()
    same = (frame[KEYS] == frame[KEYS].shift()).all(axis=1)
    new = ~same | (frame["start"] > reach)
    run = new.cumsum()
    out = frame.groupby(run).agg(
        coder=("coder", "first"),
        transcript_id=("transcript_id", "first"),
        start=("start", "min"),
        end=("end", "max"),
    )
    return out.reset_index(drop=True)


def codings_of(frames: StudyFrames, codings: Frame, pattern: str) -> Frame:
    if ":" in pattern:
        facet, value = pattern.split(":")
        ids = set(frames.codes.loc[frames.codes[facet] == value, "code_id"])
    else:
        ids = set(fnmatch.filter(frames.codes["code_id"], pattern))
    return merged(codings.loc[codings["code_id"].isin(ids), [*KEYS, "start", "end"]])


def to_units(stretches: Frame, units: Frame) -> Frame:
    pairs = stretches.merge(units, on="transcript_id", suffixes=("", "_u"))
    pairs = pairs[(pairs["start"] < pairs["end_u"]) & (pairs["start_u"] < pairs["end"])]
    return merged(
        pairs[[*KEYS, "start_u", "end_u"]]
        .drop_duplicates()
        .rename(columns={"start_u": "start", "end_u": "end"})
    )


def both(a: Frame, b: Frame) -> Frame:
    pairs = a.merge(b, on=KEYS, suffixes=("_a", "_b"))
    pairs = pairs[(pairs["start_a"] < pairs["end_b"]) & (pairs["start_b"] < pairs["end_a"])]
    return merged(
        pd.DataFrame(
            {
                "coder": pairs["coder"],
                "transcript_id": pairs["transcript_id"],
                "start": np.maximum(pairs["start_a"], pairs["start_b"]),
                "end": np.minimum(pairs["end_a"], pairs["end_b"]),
            }
        )
    )


def either(a: Frame, b: Frame) -> Frame:
    return merged(pd.concat([a, b]))


def paired(a: Frame, b: Frame, keep: Callable[[Frame], pd.Series]) -> Frame:
    pairs = a.merge(b, on=KEYS, suffixes=("_a", "_b"))
    pairs = pairs[keep(pairs)]
    sides = [
        pairs[[*KEYS, f"start_{s}", f"end_{s}"]].rename(
            columns={f"start_{s}": "start", f"end_{s}": "end"}
        )
        for s in "ab"
    ]
    return merged(pd.concat(sides).drop_duplicates())


def near(n: int) -> Callable[[Frame], pd.Series]:
    def keep(p: Frame) -> pd.Series:
        gap = np.maximum(p["start_b"] - p["end_a"], p["start_a"] - p["end_b"])
        return gap <= n

    return keep


def before(n: int) -> Callable[[Frame], pd.Series]:
    def keep(p: Frame) -> pd.Series:
        return (p["start_b"] >= p["end_a"]) & (p["start_b"] - p["end_a"] <= n)

    return keep


def baseline_queries(frames: StudyFrames) -> dict[str, Callable[[], Frame]]:
    c = frames.codings
    company = set(
        frames.transcripts.loc[
            frames.transcripts["organization_type"] == "Company", "transcript_id"
        ]
    )
    at_company = c[c["transcript_id"].isin(company)]
    whole = frames.transcripts.assign(start=0, end=frames.transcripts["length"])

    def get(pattern: str, codings: Frame = c) -> Frame:
        return codings_of(frames, codings, pattern)

    def unit(pattern: str, units: Frame) -> Frame:
        return to_units(get(pattern), units)

    s, t = frames.sentences, frames.turns
    return {
        "mot-01 AND chl-02": lambda: both(get("mot-01"), get("chl-02")),
        "mot-01 OR chl-02": lambda: either(get("mot-01"), get("chl-02")),
        "stage:early AND polarity:challenge": lambda: both(
            get("stage:early"), get("polarity:challenge")
        ),
        "mot-0* AND chl-1* WITHIN sentence": lambda: both(unit("mot-0*", s), unit("chl-1*", s)),
        "mot-01 AND chl-02 WITHIN turn": lambda: both(unit("mot-01", t), unit("chl-02", t)),
        "mot-01 AND chl-02 WITHIN transcript": lambda: both(
            unit("mot-01", whole), unit("chl-02", whole)
        ),
        "mot-01 NEAR/200 chl-02": lambda: paired(get("mot-01"), get("chl-02"), near(200)),
        "mot-01 BEFORE/500 chl-02": lambda: paired(get("mot-01"), get("chl-02"), before(500)),
        'mot-01 AND chl-02 WHERE organization_type = "Company"': lambda: both(
            get("mot-01", at_company), get("chl-02", at_company)
        ),
        "(mot-01 OR mot-02) AND chl-0* WITHIN sentence": lambda: both(
            either(unit("mot-01", s), unit("mot-02", s)), unit("chl-0*", s)
        ),
    }


def best_of(repeat: int, work: Callable[[], Frame]) -> tuple[float, Frame]:
    work()
    times, result = [], pd.DataFrame()
    for _ in range(repeat):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return min(times), result


def as_set(frame: Frame) -> set[tuple[str, int, int, int]]:
    return set(
        frame[[*KEYS, "start", "end"]]
        .astype({"transcript_id": int})
        .itertuples(index=False, name=None)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_transcripts, n_codings = (20, 10_000) if args.quick else (200, 100_000)
    frames = make_frames(n_transcripts, n_codings)
    words = sum(frames.transcripts["length"]) // 6 // n_transcripts
    print(f"{n_transcripts} transcripts of ~{words} words, {len(frames.codings)} codings, 3 coders")
    print(f"{'query':<55} {'qualcarto':>10} {'baseline':>10} {'ratio':>7} {'hits':>7}  <=1s")
    failures = 0
    for text, baseline in baseline_queries(frames).items():
        query = parse_query(text)
        ours_s, ours = best_of(args.repeat, lambda q=query: run_query(q, frames))
        base_s, base = best_of(args.repeat, baseline)
        same = as_set(ours) == as_set(base)
        fast = ours_s <= 1.0
        failures += (not same) + (not fast)
        print(
            f"{text:<55} {ours_s:>9.3f}s {base_s:>9.3f}s {base_s / ours_s:>6.1f}x "
            f"{len(ours):>7}  {'yes' if fast else 'NO'}{'' if same else '  RESULTS DIFFER'}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

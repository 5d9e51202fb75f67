# SPDX-License-Identifier: MIT
"""How often do code suggestions agree with the study's own coding? And how fast are they?

Evaluated against the demo study's ``linaker2025`` layer, sentence by sentence and per
code (precision, recall, F1, Cohen's kappa; see ``qualcarto.suggest.evaluate``):

* held-out, 2-fold: the transcripts are split in two halves (seeded); each code's
  examples and keywords are learned only from the coded passages of one half
  (``qualcarto.suggest.learn``), the threshold is chosen on that half, and the other
  half is scored; then the halves swap. Every transcript is scored once, never by
  anything drawn from itself;
* definitions only: names, definitions and include criteria, no examples or keywords;
* as shipped (in-sample): the demo codebook's own keywords and examples, written by
  people who had read all transcripts, on all transcripts - an optimistic upper line.

Speed: the rule-based suggester on a 20,000-word transcript (the demo interviews joined),
in seconds and per 10,000 words, best of ``--repeat`` runs after a warm-up.

    python bench/suggest.py                     # rules (and semantic where installed)
    python bench/suggest.py --methods rules     # rules only
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qualcarto.codebook import get_version, version_codebook  # noqa: E402
from qualcarto.codebook.model import Codebook  # noqa: E402
from qualcarto.coding import codings_frame  # noqa: E402
from qualcarto.demo import build_demo  # noqa: E402
from qualcarto.store import session_scope  # noqa: E402
from qualcarto.suggest import Suggestion, Unit, transcript_units  # noqa: E402
from qualcarto.suggest.evaluate import ALL_CODES, evaluate  # noqa: E402
from qualcarto.suggest.learn import learn_codebook  # noqa: E402
from qualcarto.suggest.model import participant_units  # noqa: E402
from qualcarto.suggest.rules import RuleSuggester  # noqa: E402
from qualcarto.transcripts import get_transcript  # noqa: E402
from qualcarto.transcripts.segment import sentences  # noqa: E402
from qualcarto.transcripts.turns import find_turns  # noqa: E402

REFERENCE = "linaker2025"
SEED = 2025
GRIDS = {
    "rules": [0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0],
    "semantic": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6],
}
Make = Callable[[Codebook, float | None], object]


def make(method: str) -> Callable[[Codebook, float | None], object]:
    if method == "rules":
        return lambda book, threshold: RuleSuggester(book, threshold=threshold)
    from qualcarto.suggest.semantic import SemanticSuggester

    return lambda book, threshold: SemanticSuggester(book, threshold=threshold)


class Study:
    """The demo study read once: texts, participant sentences, reference codings, codebook."""

    def __init__(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            report = build_demo(f"sqlite:///{tmp}/bench.db", ROOT)
            with session_scope(report.engine) as session:
                self.book = version_codebook(get_version(session))
                ref = codings_frame(session, [REFERENCE])
                self.names = sorted(ref["transcript"].unique(), key=lambda n: int(n[1:]))
                docs = {name: get_transcript(session, name) for name in self.names}
                self.texts = {name: doc.text for name, doc in docs.items()}
                self.units = {
                    name: participant_units(transcript_units(session, doc))
                    for name, doc in docs.items()
                }
            report.engine.dispose()
        self.reference = list(
            zip(ref["transcript"], ref["code_id"], ref["start"], ref["end"], strict=True)
        )
        self.ref_text = ref
        self.codes = [code.id for code in self.book.leaves()]

    def suggest(self, suggester: object, names: Sequence[str]) -> list[Suggestion]:
        run = suggester.suggest  # type: ignore[attr-defined]
        return [s for n in names for s in run(n, self.texts[n], self.units[n])]

    def score(self, suggestions: list[Suggestion], names: Sequence[str]) -> pd.DataFrame:
        units = {n: self.units[n] for n in names}
        return evaluate(units, self.reference, suggestions, self.codes)

    def learned(self, names: Sequence[str]) -> Codebook:
        rows = self.ref_text[self.ref_text["transcript"].isin(list(names))]
        passages: dict[str, list[str]] = {}
        for code_id, text in zip(rows["code_id"], rows["text"], strict=True):
            passages.setdefault(code_id, []).append(text)
        return learn_codebook(self.book, passages)


def strip(book: Codebook) -> Codebook:
    from dataclasses import replace

    return book.with_codes([replace(c, example="", keywords=()) for c in book.codes])


def pooled(frame: pd.DataFrame) -> dict[str, object]:
    return frame.set_index("code_id").loc[ALL_CODES].to_dict()


def held_out(study: Study, method: str) -> tuple[pd.DataFrame, list[float]]:
    names = list(study.names)
    random.Random(SEED).shuffle(names)
    halves = [sorted(names[: len(names) // 2]), sorted(names[len(names) // 2 :])]
    build = make(method)
    suggestions: list[Suggestion] = []
    chosen = []
    for train, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        best = max(GRIDS[method], key=lambda t: inner_f1(study, build, train, t))
        chosen.append(best)
        suggestions += study.suggest(build(study.learned(train), best), test)
    return study.score(suggestions, study.names), chosen


def inner_f1(study: Study, build: Make, names: list[str], threshold: float) -> float:
    """F1 of a threshold inside the training half: learn on one quarter, score the other.

    Scoring the passages a codebook was learned from would reward thresholds that only
    work on seen text, so the threshold is chosen by this nested split.
    """
    quarters = [names[::2], names[1::2]]
    found: list[Suggestion] = []
    for learn_on, score_on in ((quarters[0], quarters[1]), (quarters[1], quarters[0])):
        found += study.suggest(build(study.learned(learn_on), threshold), score_on)
    f1 = pooled(study.score(found, names))["f1"]
    return float(f1) if isinstance(f1, float) else 0.0


def speed(study: Study, repeat: int) -> tuple[int, float, float]:
    """(words, seconds to build the suggester, best seconds to suggest) for ~20,000 words."""
    parts, words = [], 0
    for name in study.names:
        parts.append(study.texts[name])
        words += len(study.texts[name].split())
        if words >= 20_000:
            break
    while words < 20_000:
        parts.append(study.texts[study.names[0]])
        words = sum(len(p.split()) for p in parts)
    text = "\n\n".join(parts)
    turns = find_turns(text)
    units = participant_units(Unit(t, s, e, turns[t].speaker) for t, s, e in sentences(text, turns))
    started = time.perf_counter()
    suggester = RuleSuggester(study.book)
    build_s = time.perf_counter() - started
    suggester.suggest("big", text, units)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        suggester.suggest("big", text, units)
        best = min(best, time.perf_counter() - started)
    return len(text.split()), build_s, best


def fmt(value: object) -> str:
    return "" if value is None or value != value else f"{value:.2f}"


def table(frame: pd.DataFrame) -> str:
    lines = [
        "| code | ref | sugg | both | P | R | F1 | kappa |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in frame.itertuples():
        if row.reference or row.suggested:
            lines.append(
                f"| {row.code_id} | {row.reference} | {row.suggested} | {row.both} | "
                f"{fmt(row.precision)} | {fmt(row.recall)} | {fmt(row.f1)} | {fmt(row.kappa)} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=["rules", "semantic"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-code", action="store_true", help="Print the per-code tables.")
    args = parser.parse_args()
    study = Study()
    words = sum(len(t.split()) for t in study.texts.values())
    print(
        f"demo study: {len(study.names)} transcripts, {words} words, "
        f"{sum(len(u) for u in study.units.values())} participant sentences, "
        f"{len(study.reference)} reference codings of {len(study.codes)} leaf codes\n"
    )
    summary = [
        "| method | setting | threshold | P | R | F1 | kappa | s per 10k words |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    per_code: dict[str, pd.DataFrame] = {}
    for method in args.methods:
        try:
            build = make(method)
            build(study.book, None)
        except Exception as exc:  # the optional extra may be missing
            print(f"{method}: skipped ({exc})\n")
            continue
        frame, chosen = held_out(study, method)
        per_code[method] = frame
        started = time.perf_counter()
        in_sample = study.score(study.suggest(build(study.book, None), study.names), study.names)
        per_10k = (time.perf_counter() - started) / words * 10_000
        bare = study.score(study.suggest(build(strip(study.book), None), study.names), study.names)
        for label, result, threshold in (
            ("held-out (2-fold)", frame, "/".join(f"{t:g}" for t in chosen)),
            ("definitions only", bare, "default"),
            ("as shipped, in-sample", in_sample, "default"),
        ):
            row = pooled(result)
            summary.append(
                f"| {method} | {label} | {threshold} | {fmt(row['precision'])} | "
                f"{fmt(row['recall'])} | {fmt(row['f1'])} | {fmt(row['kappa'])} | {per_10k:.2f} |"
            )
    print("\n".join(summary))
    if "rules" in args.methods:
        n_words, build_s, best = speed(study, args.repeat)
        print(
            f"\nrules, one transcript of {n_words} words: build {build_s:.2f} s, "
            f"suggest {best:.2f} s (best of {args.repeat}); {best / n_words * 10_000:.2f} s per 10k words"
        )
    if args.per_code:
        for method, frame in per_code.items():
            print(f"\n{method}, held-out, per code:\n")
            print(table(frame))


if __name__ == "__main__":
    main()

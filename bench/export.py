# SPDX-License-Identifier: MIT
"""Benchmark: the theme workbook and the REFI-QDA round trip of large synthetic studies.

1. Workbook: 1,000 transcripts x 300 codes with 100,000 excerpts (seeded), written by
   the same ``write_workbook`` the CLI uses, from frames built in memory as a store
   hands them over. Goal: under 30 s and 1 GB (peak resident memory of the process).
2. ``.qdpx``: a real SQLite store of 200 transcripts and 20,000 codings, exported with
   ``write_qdpx`` and imported into a fresh store with ``import_refi``. Goals: export
   under 10 s, import under 20 s.

Wall and CPU seconds are printed (CPU time stays meaningful on a machine shared with
other jobs), and the peak resident memory of the process that wrote the workbook. With
``--baseline-src DIR`` (a checkout of an older qualcarto, e.g.
``git archive main | tar -x -C /tmp/base``) the same measurements run in a child
process importing that code, and each figure is printed beside the baseline's. With
``--pandas-baseline`` a child process also writes the workbook's tables with plain
``DataFrame.to_excel`` (openpyxl's ordinary mode), the way a notebook would.

Run: .venv/bin/python bench/export.py [--part workbook] [--baseline-src /tmp/base/src]
     [--pandas-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from study_store import WORDS, interview_text, seeded_store, synthetic_codebook

from qualcarto.codebook import codebook_frame
from qualcarto.exchange import StudyData, write_workbook

REGIONS = ["Europe", "North America", "Asia", "Africa", "South America"]


def synthetic_study(n_transcripts: int, n_codes: int, n_codings: int, seed: int = 7) -> StudyData:
    """A study of the given size with realistic shapes: a 2-level codebook, long quotes."""
    rng = np.random.default_rng(seed)
    codebook = synthetic_codebook(n_codes, rng)
    groups = max(n_codes // 20, 1)
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


def pandas_workbook(data: StudyData, path: Path) -> list[str]:
    """The same tables as ``write_workbook``, each written by ``DataFrame.to_excel``."""
    from qualcarto.exchange.xlsx import default_attributes, sheet_title
    from qualcarto.reports import code_by_attribute, code_by_transcript, cooccurrence, excerpts

    args = (data.codings, data.codes, data.transcripts)
    tables = {
        "Codings per transcript": code_by_transcript(*args, "count"),
        "Presence": code_by_transcript(*args, "presence"),
        "Coded characters": code_by_transcript(*args, "characters"),
        **{f"By {a}": code_by_attribute(*args, a) for a in default_attributes(data.transcripts)},
        "Co-occurrence overlap": cooccurrence(data.codings, data.codes, "overlap"),
        "Co-occurrence transcript": cooccurrence(data.codings, data.codes, "transcript"),
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        data.codes.to_excel(writer, sheet_name="Codes", index=False)
        for title, table in tables.items():
            table.to_excel(writer, sheet_name=sheet_title(title))
        excerpts(data.codings, data.codes).to_excel(writer, sheet_name="Excerpts", index=False)
    return ["Codes", *tables, "Excerpts"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def coded_store(url: str, n_transcripts: int, n_codings: int, seed: int = 11) -> None:
    """A real store: a 300-code codebook, two coders, transcripts, codings bulk-inserted."""
    rng = np.random.default_rng(seed)
    codebook = synthetic_codebook(300, np.random.default_rng(7))
    codable = [c.id for c in codebook.codes if c.parent]
    with seeded_store(url, ("ana", "ben"), codebook) as store:
        per = n_codings // n_transcripts
        for i in range(n_transcripts):
            text = interview_text(rng, 60)
            doc = store.transcript(f"T{i:04d}", text)
            seen: set[tuple[str, int, int, str]] = set()
            rows = []
            while len(rows) < per:
                start = int(rng.integers(0, len(text) - 400))
                end = start + int(rng.integers(20, 300))
                coder = ("ana", "ben")[len(rows) % 2]
                code = codable[int(rng.integers(0, len(codable)))]
                key = (coder, start, end, code)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(store.coding(doc, text, coder, code, start, end))
            store.session.add_all(rows)
            store.session.flush()


def _timed(work: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run the chosen parts; figures in a dict (printed, or handed to a parent process)."""
    figures: dict[str, Any] = {}
    if args.part in ("all", "workbook", "pandas-workbook"):
        data = synthetic_study(args.transcripts, args.codes, args.codings)
        writer = pandas_workbook if args.part == "pandas-workbook" else write_workbook
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.xlsx"
            wall, cpu, sheets = _timed(lambda: writer(data, path))
            figures["workbook"] = (wall, cpu)
            figures["workbook sheets"] = len(sheets)
            figures["workbook MB"] = path.stat().st_size / 1e6
        figures["peak memory MB"] = peak_rss_mb()
    if args.part in ("all", "qdpx"):
        from qualcarto.exchange import study_data
        from qualcarto.exchange.refi_export import write_qdpx
        from qualcarto.exchange.refi_import import import_refi
        from qualcarto.store import connect, session_scope
        from qualcarto.study import create_study

        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            coded_store(f"sqlite:///{base / 'a.db'}", args.qdpx_transcripts, args.qdpx_codings)
            engine = connect(f"sqlite:///{base / 'a.db'}")

            def export() -> None:
                with session_scope(engine) as session:
                    write_qdpx(session, study_data(session), base / "study.qdpx")

            wall, cpu, _ = _timed(export)
            figures["qdpx export"] = (wall, cpu)
            fresh = connect(f"sqlite:///{base / 'b.db'}", create=True)
            with session_scope(fresh) as session:
                create_study(session, "fresh")

            def import_() -> int:
                with session_scope(fresh) as session:
                    return int(import_refi(session, base / "study.qdpx").codings)

            wall, cpu, codings = _timed(import_)
            figures["qdpx import"] = (wall, cpu)
            figures["qdpx codings imported"] = codings
            engine.dispose()
            fresh.dispose()
    return figures


def baseline(args: argparse.Namespace, part: str | None = None) -> dict[str, Any]:
    """The same measurements in a child process: the code in ``--baseline-src``, or (with
    ``part="pandas-workbook"``) this code's tables written by ``DataFrame.to_excel``."""
    env = dict(os.environ)
    if part is None:
        env["PYTHONPATH"] = str(args.baseline_src)
    command = [sys.executable, __file__, "--json", "--part", part or args.part]
    for name in ("transcripts", "codes", "codings", "qdpx_transcripts", "qdpx_codings"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"baseline failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1_000)
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--qdpx-transcripts", type=int, default=200)
    parser.add_argument("--qdpx-codings", type=int, default=20_000)
    parser.add_argument(
        "--part", choices=["all", "workbook", "qdpx", "pandas-workbook"], default="all"
    )
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--pandas-baseline", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    old = baseline(args) if args.baseline_src else {}
    plain = (
        baseline(args, "pandas-workbook")
        if args.pandas_baseline and args.part in ("all", "workbook")
        else {}
    )
    figures = measure(args)
    if args.json:
        import qualcarto

        figures["code"] = qualcarto.__file__
        print(json.dumps(figures))
        return 0
    goals = {"workbook": 30.0, "qdpx export": 10.0, "qdpx import": 20.0}
    print(
        f"workbook: {args.transcripts} transcripts x {args.codes} codes, {args.codings} "
        f"excerpts; qdpx: {args.qdpx_transcripts} transcripts, {args.qdpx_codings} codings"
    )
    if old:
        print(f"baseline code: {old.get('code')}")
    for name, goal in goals.items():
        if name not in figures:
            continue
        wall, cpu = figures[name]
        line = f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU (goal <= {goal:.0f} s)"
        if name in old:
            old_wall, old_cpu = old[name]
            line += (
                f"; baseline {old_wall:.1f} s wall, {old_cpu:.1f} s CPU "
                f"({old_wall / wall:.1f}x wall, {old_cpu / cpu:.1f}x CPU)"
            )
        print(line)
    if "peak memory MB" in figures:
        mb = figures["peak memory MB"]
        line = f"peak memory after the workbook: {mb:.0f} MB (goal <= 1024 MB)"
        if "peak memory MB" in old:
            line += f"; baseline {old['peak memory MB']:.0f} MB"
        print(line)
    if "workbook" in plain and "workbook" in figures:
        wall, cpu = figures["workbook"]
        plain_wall, plain_cpu = plain["workbook"]
        print(
            f"pandas to_excel of the same tables: {plain_wall:.1f} s wall, {plain_cpu:.1f} s "
            f"CPU, peak {plain['peak memory MB']:.0f} MB ({plain_wall / wall:.1f}x the "
            f"workbook's wall time)"
        )
    if "qdpx codings imported" in figures:
        print(f"qdpx codings imported: {figures['qdpx codings imported']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

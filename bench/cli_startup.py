# SPDX-License-Identifier: MIT
"""Benchmark: how long short CLI commands take, against the libraries they cannot avoid.

A short command mostly pays for imports. Each timing is the best of ``--repeat`` fresh
processes, printed beside a baseline measured in the same run:

- ``qualcarto --help`` and ``import qualcarto.cli`` against ``import click`` (all that help
  needs) and ``import pandas`` (what every command used to load);
- ``qualcarto status --json`` against ``import sqlalchemy.orm, alembic`` (the store);
- ``qualcarto coding list`` against pandas, SQLAlchemy, Alembic and click, and beside
  ``import spacy``, which the command used to load through the transcripts package.

    python bench/cli_startup.py
    python bench/cli_startup.py --repeat 10
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "onboarding"


def best_of(command: list[str], repeat: int, cwd: Path) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def qualcarto(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "qualcarto", "--db", str(folder / "study.db"), *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "interviews").mkdir()
        for file in ("I1.txt", "I2.md"):
            shutil.copy(EXAMPLE / "interviews" / file, folder / "interviews" / file)
        steps = [
            ["init", "--name", "bench"],
            ["codebook", "publish", str(EXAMPLE / "codebook.yaml"), "-m", "v1"],
            ["import", str(folder / "interviews")],
        ]
        for step in steps:
            subprocess.run(qualcarto(folder, *step), check=True, capture_output=True)
        subprocess.run(
            qualcarto(folder, "user", "add", "maria", "--password-stdin"),
            input=b"bench-password\n",
            check=True,
            capture_output=True,
        )
        for start in range(0, 200, 20):
            add = ["coding", "add", "I1", str(start), str(start + 15), "mentoring"]
            subprocess.run(qualcarto(folder, *add, "--coder", "maria"), check=True)
        python = [sys.executable, "-c"]
        click_only = best_of([*python, "import click"], args.repeat, folder)
        pandas = best_of([*python, "import pandas"], args.repeat, folder)
        store_libs = best_of([*python, "import sqlalchemy.orm, alembic"], args.repeat, folder)
        cli_import = best_of([*python, "import qualcarto.cli"], args.repeat, folder)
        help_ = best_of(qualcarto(folder, "--help"), args.repeat, folder)
        status = best_of(qualcarto(folder, "status", "--json"), args.repeat, folder)
        baseline = best_of(
            [sys.executable, "-c", "import pandas, sqlalchemy, alembic, click"], args.repeat, folder
        )
        spacy = best_of([sys.executable, "-c", "import spacy"], args.repeat, folder)
        listing = best_of(qualcarto(folder, "coding", "list"), args.repeat, folder)
        db = str(folder / "study.db")
        as_before = best_of(
            [
                sys.executable,
                "-c",
                "import spacy\nfrom qualcarto.cli import main\n"
                f"main(['--db', {db!r}, 'coding', 'list'])",
            ],
            args.repeat,
            folder,
        )
    print(f"import click:                                            {click_only:.2f} s")
    print(f"import pandas:                                           {pandas:.2f} s")
    print(f"import qualcarto.cli:                                    {cli_import:.2f} s")
    print(f"qualcarto --help:                                        {help_:.2f} s")
    print(
        f"  ratio to import click: {help_ / click_only:.2f}, to import pandas: {help_ / pandas:.2f}"
    )
    print(f"import sqlalchemy.orm, alembic:                          {store_libs:.2f} s")
    print(f"qualcarto status --json, 2 transcripts:                  {status:.2f} s")
    print(f"  ratio to the store's libraries: {status / store_libs:.2f}")
    print(f"baseline imports (pandas, sqlalchemy, alembic, click): {baseline:.2f} s")
    print(f"qualcarto coding list, 2 transcripts, 10 codings:        {listing:.2f} s")
    print(f"  ratio to the baseline: {listing / baseline:.2f}")
    print(f"the same with spaCy loaded, as before:                  {as_before:.2f} s")
    print(f"  ratio to the baseline: {as_before / baseline:.2f}")
    print(f"import spacy alone:                                      {spacy:.2f} s")


if __name__ == "__main__":
    main()

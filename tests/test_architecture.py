# SPDX-License-Identifier: MIT
"""The layer map of docs/architecture.md, enforced over every import of every module.

    entry points   app.py, app_pages/*, qualcarto.cli.*, qualcarto.__main__
        |
    services       take a Session: transcripts, codebook, coding, exchange, ...
        |
    pure core      DataFrames and values in and out     store   models, engine, migrations
        |                                                  |
    base           errors, config, wording, the package's __version__

Every import points down the map or stays in its own layer; the pure core and the store
do not import each other. Imports inside functions and under ``TYPE_CHECKING`` count: an
import moved into a function still ties two modules together.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT

SRC = ROOT / "src"

# The map. A module belongs to the longest entry naming it or a package holding it
# (``base`` entries name single modules). Pure modules inside service packages are listed
# by name, so the purity check reaches them too.
LAYERS: dict[str, tuple[str, ...]] = {
    "entry": ("app", "app_pages", "qualcarto.cli", "qualcarto.__main__"),
    "service": (
        "qualcarto.agreement_data",
        "qualcarto.appendix_data",
        "qualcarto.assignments",
        "qualcarto.auth",
        "qualcarto.backlinks",
        "qualcarto.calibration",
        "qualcarto.cartography_data",
        "qualcarto.codebook",
        "qualcarto.codebook_history",
        "qualcarto.coding",
        "qualcarto.demo",
        "qualcarto.duplicates",
        "qualcarto.exchange",
        "qualcarto.layers",
        "qualcarto.media",
        "qualcarto.memos",
        "qualcarto.pseudonyms",
        "qualcarto.queries",
        "qualcarto.reconcile",
        "qualcarto.review",
        "qualcarto.rounds",
        "qualcarto.saturation_data",
        "qualcarto.search",
        "qualcarto.selection",
        "qualcarto.status",
        "qualcarto.study",
        "qualcarto.study_settings",
        "qualcarto.suggest",
        "qualcarto.transcripts",
        "qualcarto.users",
        "qualcarto.verify",
    ),
    "pure": (
        "qualcarto.agreement",
        "qualcarto.cartography",
        "qualcarto.query",
        "qualcarto.reports",
        "qualcarto.saturation",
        "qualcarto.highlight",
        "qualcarto.intervals",
        "qualcarto.codebook.diff",
        "qualcarto.codebook.model",
        "qualcarto.exchange.positions",
        "qualcarto.media.timing",
        "qualcarto.suggest.evaluate",
        "qualcarto.suggest.learn",
        "qualcarto.suggest.model",
        "qualcarto.suggest.rules",
        "qualcarto.suggest.semantic",
        "qualcarto.transcripts.decode",
        "qualcarto.transcripts.segment",
        "qualcarto.transcripts.turns",
        "qualcarto.transcripts.view",
    ),
    "store": ("qualcarto.store",),
    "base": (
        "qualcarto",
        "qualcarto.errors",
        "qualcarto.config",
        "qualcarto.names",
        "qualcarto.wording",
    ),
}
RANK = {"entry": 3, "service": 2, "pure": 1, "store": 1, "base": 0}
UNPURE_LIBRARIES = {"sqlalchemy", "alembic", "streamlit", "click"}

# Known cycles, each to be broken by a named change. Remove an entry when its change lands.
ALLOWED_CYCLES: set[frozenset[str]] = set()
MAX_LINES = 400
PAGE_MAX_LINES = 150
# Modules over MAX_LINES, each being split now. Remove an entry when its split lands.
OVERSIZED: set[str] = set()


@dataclass(frozen=True)
class Import:
    """One imported qualcarto module (or outside library) and the names taken from it."""

    source: str
    target: str  # a module of ours, or the top-level name of a library
    names: tuple[str, ...]
    line: int

    @property
    def ours(self) -> bool:
        return self.target.split(".")[0] in ("qualcarto", "app", "app_pages")


def _module_name(path: Path) -> str:
    base = SRC if path.is_relative_to(SRC) else ROOT
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _paths() -> dict[str, Path]:
    files = [
        *(SRC / "qualcarto").rglob("*.py"),
        ROOT / "app.py",
        *(ROOT / "app_pages").glob("*.py"),
    ]
    return {_module_name(p): p for p in sorted(files) if "migrations" not in p.parts}


def _resolve(module: str, name: str | None = None) -> str:
    """The module an import loads: ``from a import b`` loads ``a.b`` when that is a module."""
    paths = _paths()
    if name and f"{module}.{name}" in paths:
        return f"{module}.{name}"
    found = module
    while found and found not in paths:
        found = found.rpartition(".")[0]
    return found or module.split(".")[0]


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """Every import statement of ``module``, at any depth (functions, TYPE_CHECKING too)."""
    path = _paths()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(module, _resolve(alias.name), (), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                target = _resolve(base, alias.name)
                names = () if target == f"{base}.{alias.name}" else (alias.name,)
                found.append(Import(module, target, names, node.lineno))
    return tuple(
        i if i.ours else Import(i.source, i.target.split(".")[0], i.names, i.line) for i in found
    )


def layer_of(module: str) -> str | None:
    best: tuple[int, str] | None = None
    for layer, entries in LAYERS.items():
        for entry in entries:
            exact = module == entry
            inside = layer != "base" and module.startswith(f"{entry}.")
            if (exact or inside) and (best is None or len(entry) > best[0]):
                best = (len(entry), layer)
    return best[1] if best else None


def _package_of(module: str) -> str:
    return module if _paths()[module].name == "__init__.py" else module.rpartition(".")[0]


def _ours(module: str) -> Iterator[Import]:
    yield from (i for i in imports_of(module) if i.ours and i.target != module)


MODULES = sorted(_paths())


def test_every_module_is_on_the_map() -> None:
    unplaced = [m for m in MODULES if layer_of(m) is None]
    assert not unplaced, f"place these in LAYERS in {Path(__file__).name}: {unplaced}"


@pytest.mark.parametrize("module", MODULES)
def test_every_import_points_down_the_map(module: str) -> None:
    layer = layer_of(module)
    assert layer is not None
    wrong = []
    for imp in _ours(module):
        target = layer_of(imp.target)
        assert target is not None, imp
        upward = RANK[target] > RANK[layer]
        across = RANK[target] == RANK[layer] and target != layer  # pure core <-> store
        if upward or across:
            wrong.append(f"line {imp.line}: {layer} imports {target} {imp.target}")
    assert not wrong, wrong


@pytest.mark.parametrize("module", [m for m in MODULES if layer_of(m) == "service"])
def test_no_service_imports_an_entry_point(module: str) -> None:
    entry = [i.target for i in _ours(module) if layer_of(i.target) == "entry"]
    assert not entry, f"{module} imports {entry}"


@pytest.mark.parametrize("module", [m for m in MODULES if layer_of(m) == "pure"])
def test_the_pure_core_never_touches_the_database_or_a_ui(module: str) -> None:
    """Pure modules import neither SQLAlchemy, Alembic, Streamlit nor click, nor the store
    or a service: they take values and frames and return them."""
    libraries = {i.target for i in imports_of(module) if not i.ours} & UNPURE_LIBRARIES
    assert not libraries, f"{module} imports {sorted(libraries)}"
    impure = [i.target for i in _ours(module) if layer_of(i.target) not in ("pure", "base")]
    assert not impure, f"{module} imports {impure}"


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("qualcarto")])
def test_the_library_never_imports_streamlit(module: str) -> None:
    assert "streamlit" not in {i.target for i in imports_of(module)}


def test_no_import_cycles() -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    graph.add_edges_from((m, i.target) for m in MODULES for i in _ours(m))
    cycles = [frozenset(c) for c in nx.simple_cycles(graph)]
    unexpected = sorted((sorted(c) for c in cycles if c not in ALLOWED_CYCLES), key=len)
    assert not unexpected, f"{len(unexpected)} import cycles, the shortest: {unexpected[:3]}"
    gone = [sorted(c) for c in ALLOWED_CYCLES if c not in cycles]
    assert not gone, f"broken already, remove from ALLOWED_CYCLES: {gone}"


def _private_uses(module: str) -> Iterator[str]:
    """Private names (``_x``) this module takes from a module of another package."""
    package = _package_of(module)
    for imp in _ours(module):
        if _package_of(imp.target) != package:
            for name in imp.names:
                if name.startswith("_") and not name.startswith("__"):
                    yield f"line {imp.line}: {name} from {imp.target}"
    tree = ast.parse(_paths()[module].read_text(encoding="utf-8"))
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for imp in imports_of(module):
                if imp.line == node.lineno and imp.ours and not imp.names:
                    for alias in node.names:
                        bound = alias.asname or alias.name.split(".")[-1]
                        modules.setdefault(bound, imp.target)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and _package_of(modules[node.value.id]) != package
        ):
            yield f"line {node.lineno}: {node.value.id}.{node.attr}"


@pytest.mark.parametrize("module", MODULES)
def test_no_private_name_is_imported_across_packages(module: str) -> None:
    uses = list(_private_uses(module))
    assert not uses, uses


def test_modules_stay_under_the_size_budget() -> None:
    """Shipped code (library, app, pages, benchmarks) stays under ~400 lines a module."""
    files = [*_paths().values(), *(ROOT / "bench").glob("*.py")]
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in files
    }
    over = {path: n for path, n in sorted(sizes.items()) if n > MAX_LINES}
    assert set(over) <= OVERSIZED, f"over {MAX_LINES} lines: {over}"
    shrunk = sorted(OVERSIZED - set(over))
    assert not shrunk, f"back under {MAX_LINES} lines, remove from OVERSIZED: {shrunk}"


def test_pages_stay_thin() -> None:
    """A page of the router is one screen: widgets over service calls, ~150 lines."""
    pages = re.findall(r'st\.Page\(\s*"(app_pages/\w+\.py)"', (ROOT / "app.py").read_text())
    sizes = {page: len((ROOT / page).read_text(encoding="utf-8").splitlines()) for page in pages}
    assert pages, "app.py routes its pages with st.Page"
    over = {page: n for page, n in sorted(sizes.items()) if n > PAGE_MAX_LINES}
    assert not over, f"pages over {PAGE_MAX_LINES} lines: {over}"


def test_every_module_starts_with_an_spdx_line_and_a_docstring() -> None:
    for path in _paths().values():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SPDX-License-Identifier: MIT\n"), path
        assert ast.get_docstring(ast.parse(text)), path


def _loaded_after(*argv: str) -> set[str]:
    """Top-level packages a fresh ``qualcarto`` process holds after running ``argv``."""
    script = (
        "import sys\nfrom qualcarto.cli import main\n"
        f"code = main({list(argv)!r})\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\nsys.exit(code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(run.stdout.split("\n")[-2].split())


def test_help_loads_neither_the_store_nor_pandas() -> None:
    """``qualcarto --help`` is click and our own light modules (bench/cli_startup.py times it)."""
    assert not _loaded_after("--help") & {"sqlalchemy", "alembic", "pandas", "matplotlib", "spacy"}


def test_status_loads_the_store_but_not_pandas(tmp_path: Path) -> None:
    db = str(tmp_path / "study.db")
    subprocess.run(
        [sys.executable, "-m", "qualcarto", "--db", db, "init"], check=True, capture_output=True
    )
    loaded = _loaded_after("--db", db, "status", "--json")
    assert "sqlalchemy" in loaded
    assert not loaded & {"pandas", "matplotlib", "spacy", "streamlit", "av"}

# SPDX-License-Identifier: MIT
"""The layers stay honest: no UI in the library, no database in the pure core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "qualcarto"
PURE_CORE = ("agreement", "reports", "cartography", "query", "saturation", "highlight.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(*parts: str) -> list[Path]:
    paths: list[Path] = []
    for part in parts:
        target = PACKAGE / part
        paths += (
            sorted(target.rglob("*.py")) if target.is_dir() else [target] if target.exists() else []
        )
    return paths


@pytest.mark.parametrize("path", _modules(""), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_library_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize("path", _modules(*PURE_CORE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_pure_core_never_touches_the_database(path: Path) -> None:
    assert not _imports(path) & {"sqlalchemy", "alembic", "streamlit", "click"}


def test_every_module_starts_with_an_spdx_line_and_a_docstring() -> None:
    for path in [*_modules(""), ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SPDX-License-Identifier: MIT\n"), path
        assert ast.get_docstring(ast.parse(text)), path

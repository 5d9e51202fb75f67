# SPDX-License-Identifier: MIT
"""Material from ``../shared``: a plain clone skips what needs it, CI fails instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import shared_material
from shared_material import paper_text, refi_sample, refi_samples, refi_schema, shared_path

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with nothing beside it: the shared folder does not exist."""
    folder = tmp_path / "shared"
    monkeypatch.setattr(shared_material, "SHARED", folder)
    monkeypatch.delenv("CI", raising=False)
    return folder


@pytest.mark.parametrize(
    ("ask", "missing"),
    [
        (paper_text, "seeds/001_24b8080fd264fa4e.txt"),
        (lambda: refi_sample("qc-1.3.2_demo.qdpx"), "refi/samples/qc-1.3.2_demo.qdpx"),
        (lambda: refi_samples("*.qdc"), "refi/samples"),
        (lambda: refi_schema("Project.xsd"), "refi/Project.xsd"),
    ],
)
def test_missing_material_skips_with_one_line_naming_the_path(
    bare: Path, ask: object, missing: str
) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        ask()  # type: ignore[operator]
    message = str(skipped.value)
    assert str(bare / missing) in message and "\n" not in message


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_missing_material_fails_naming_the_folder(
    bare: Path, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception) as failed:
        refi_sample("qc-1.3.2_demo.qdpx")
    message = str(failed.value)
    assert f"folder {bare} " in message and "\n" not in message


def test_an_empty_ci_variable_is_not_ci(bare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        shared_path("seeds")


def test_present_material_is_returned_and_read(bare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")  # present material never fails, CI or not
    (bare / "seeds").mkdir(parents=True)
    (bare / "seeds" / "001_24b8080fd264fa4e.txt").write_text("5 Collaboration", encoding="utf-8")
    (bare / "refi" / "samples").mkdir(parents=True)
    (bare / "refi" / "samples" / "b.qdc").write_bytes(b"<b/>")
    (bare / "refi" / "samples" / "a.qdc").write_bytes(b"<a/>")
    assert paper_text() == "5 Collaboration"
    assert [p.name for p in refi_samples("*.qdc")] == ["a.qdc", "b.qdc"]
    with pytest.raises(AssertionError, match=r"no \*\.qdpx samples"):
        refi_samples("*.qdpx")


def _run_pytest(folder: Path, shared: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """A real pytest run of a test module that needs the paper, with ``SHARED`` at ``shared``."""
    (folder / "conftest.py").write_text(
        "import sys\nfrom pathlib import Path\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        f"import shared_material\nshared_material.SHARED = Path({str(shared)!r})\n",
        encoding="utf-8",
    )
    (folder / "test_paper.py").write_text(
        "from shared_material import paper_text\n\ndef test_paper():\n    assert paper_text()\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_pytest_run_without_the_folder_passes_with_a_skip_and_fails_under_ci(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "nowhere" / "shared"
    (tmp_path / "suite").mkdir()
    plain = _run_pytest(tmp_path / "suite", shared, None)
    assert plain.returncode == 0, plain.stdout
    assert "1 skipped" in plain.stdout and f"{shared}/seeds/" in plain.stdout
    ci = _run_pytest(tmp_path / "suite", shared, "true")
    assert ci.returncode == 1, ci.stdout
    assert "1 failed" in ci.stdout and f"folder {shared} " in ci.stdout

# SPDX-License-Identifier: MIT
"""Material kept beside the repository in ``../shared``, found when a test runs.

The REFI-QDA schemas and other tools' sample projects, and the text of the paper the demo
reconstructs, are not ours to copy into the repository. Every test that needs them asks
here, at run time (never at import), so a plain clone still collects and runs everything
else: a missing file skips the test with one line naming it. CI always has ``../shared``,
so there (``$CI`` set) a missing file fails the test instead: a skip would hide a failure.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAPER = "seeds/001_24b8080fd264fa4e.txt"
REFI_SAMPLES = "refi/samples"


def shared_path(relative: str) -> Path:
    """``../shared/<relative>``; skips the calling test when it is absent (fails under CI)."""
    path = SHARED / relative
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(
            f"{path} is missing: CI needs the shared material folder {SHARED} "
            "beside the repository",
            pytrace=False,
        )
    pytest.skip(f"{path} is missing (shared material beside the repository)")


def paper_text() -> str:
    """The text of Linåker et al. 2025, the study the demo reconstructs."""
    return shared_path(PAPER).read_text(encoding="utf-8")


def refi_sample(name: str) -> Path:
    """One of the sample projects other QDA tools wrote, in ``../shared/refi/samples``."""
    return shared_path(f"{REFI_SAMPLES}/{name}")


def refi_samples(pattern: str) -> list[Path]:
    """The samples whose names match ``pattern``, sorted; at least one, or the test fails."""
    folder = shared_path(REFI_SAMPLES)
    found = sorted(folder.glob(pattern))
    assert found, f"no {pattern} samples in {folder}"
    return found


def refi_schema(name: str) -> Any:
    """``Project.xsd`` or ``Codebook.xsd`` as an lxml schema, parsed once per run."""
    return _parsed_schema(shared_path(f"refi/{name}"))


@cache
def _parsed_schema(path: Path) -> Any:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(path)))

# SPDX-License-Identifier: MIT
"""The media folder: recordings kept by content (sha256), never inside the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_CHUNK = 1024 * 1024


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_path(media_dir: Path, sha256: str, suffix: str) -> Path:
    """Where a recording with this content lives: ``<media>/ab/abcdef….ogg``."""
    return media_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def keep(source: Path, media_dir: Path, sha256: str, suffix: str) -> Path:
    """Copy ``source`` into the media folder (once: the same content is kept once)."""
    target = media_path(media_dir, sha256, suffix)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target

# SPDX-License-Identifier: MIT
"""Recordings import: kept by content beside the store, text paired with times; hostile media refused."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from media_files import VTT, write_lying_wav, write_mp3, write_truncated_mp3, write_wav
from qualcarto.cli import main
from qualcarto.config import resolve_media_dir
from qualcarto.media import time_range
from qualcarto.media.library import media_path
from qualcarto.store import MediaFile, Segment, Transcript, Turn, session_scope
from store_snapshot import store_content


def _text_as_wav(path: Path) -> Path:
    path.write_text("P1: this is a transcript, not a recording\n", encoding="utf-8")
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


HOSTILE = [
    ("truncated mp3", lambda folder: write_truncated_mp3(folder / "cut.mp3", 6.0), "truncated"),
    ("zero-length", lambda folder: _empty(folder / "empty.wav"), "is empty (0 bytes)"),
    (
        "text named .wav",
        lambda folder: _text_as_wav(folder / "notes.wav"),
        "not a readable audio or video file",
    ),
    (
        "header claims 10 hours",
        lambda folder: write_lying_wav(folder / "liar.wav", 10 * 3600),
        "header declares 10:00:00",
    ),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_media_is_refused_in_one_line_and_the_store_is_unchanged(
    study: Engine,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    good = write_wav(tmp_path / "P7.wav", 3.0)
    (tmp_path / "P7.vtt").write_text(VTT, encoding="utf-8")
    bad = make(tmp_path)
    (tmp_path / f"{bad.stem}.vtt").write_text(VTT, encoding="utf-8")
    before = store_content(study)
    status = main(["--db", db_url, "import", str(good), str(bad)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {bad}: ") and message in err
    assert store_content(study) == before
    media = resolve_media_dir(db_url)
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_lying_header_is_refused_without_memory_growing_with_its_claim(tmp_path: Path) -> None:
    """Peak memory when checking a file claiming 10 hours stays near one claiming 10 seconds."""

    def peak_kib(path: Path) -> int:
        code = (
            "import resource, sys\nfrom pathlib import Path\n"
            "from qualcarto.errors import InputError\nfrom qualcarto.media import probe\n"
            "try:\n    probe(Path(sys.argv[1]))\nexcept InputError:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())

    small = peak_kib(write_lying_wav(tmp_path / "small.wav", 10))
    huge = peak_kib(write_lying_wav(tmp_path / "huge.wav", 10 * 3600))
    # 10 hours of 16 kHz float samples would be 2.3 GB; the check must not come near it.
    assert huge < small * 1.2, (small, huge)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


def test_a_recording_with_captions_is_kept_by_content_and_timed(
    study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "interviews"
    folder.mkdir()
    write_mp3(folder / "P8.mp3", 3.0)
    (folder / "P8.vtt").write_text(VTT, encoding="utf-8")
    assert main(["--db", db_url, "import", str(folder)]) == 0
    assert "1 paired with captions" in capsys.readouterr().out
    with session_scope(study) as session:
        transcript = session.scalars(select(Transcript).where(Transcript.name == "P8")).one()
        media = session.scalars(select(MediaFile)).one()
        turns = list(session.scalars(select(Turn).where(Turn.transcript_id == transcript.id)))
        segments = list(
            session.scalars(select(Segment).where(Segment.transcript_id == transcript.id))
        )
        text, timings = transcript.text, media.timings
    assert text == "Interviewer: How did you start?\n\nAna: With the tokenizer. Then the docs."
    assert [(t.speaker, t.media_start, t.media_end) for t in turns] == [
        ("Interviewer", 0.2, 1.4),
        ("Ana", 1.6, 2.8),
    ]
    assert all(s.media_start is not None and s.media_end is not None for s in segments)
    kept = media_path(resolve_media_dir(db_url), media.sha256, ".mp3")
    assert kept.read_bytes() == (folder / "P8.mp3").read_bytes()
    start = text.index("tokenizer")
    assert time_range(timings, start, start + len("tokenizer")) == (1.6, 2.8)
    # the same folder again: nothing changes
    before = store_content(study)
    assert main(["--db", db_url, "import", str(folder)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert store_content(study) == before


def test_a_recording_without_text_says_how_to_get_one(
    study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = write_wav(tmp_path / "P9.wav", 1.0)
    assert main(["--db", db_url, "import", str(bare)]) == 2
    assert "pass --transcribe" in capsys.readouterr().err


def test_a_recording_attaches_to_its_transcript_already_imported(
    study: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_wav(tmp_path / "P1.wav", 1.0)
    assert main(["--db", db_url, "import", str(tmp_path / "P1.wav")]) == 0
    assert "1 attached" in capsys.readouterr().out
    with session_scope(study) as session:
        assert session.scalars(select(MediaFile.name)).all() == ["P1.wav"]

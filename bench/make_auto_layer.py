# SPDX-License-Identifier: MIT
"""Regenerate the demo study's machine layer ``transcripts/codings/auto/``.

The layer is the rule-based suggester's output on the demo transcripts with the demo
codebook and default settings, nothing else: this script imports the transcripts and
the codebook into a throw-away store (no coding layers), runs the suggester and writes
the YAML files. ``tests/test_suggest_layer.py`` runs it again and checks the shipped
files are exactly what it writes, so the layer is honest machine output.

    python bench/make_auto_layer.py                 # rewrite transcripts/codings/auto
    python bench/make_auto_layer.py --out /tmp/auto # write elsewhere
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qualcarto.codebook import publish_codebook  # noqa: E402
from qualcarto.demo import CODEBOOK_FILE, TRANSCRIPTS_DIR  # noqa: E402
from qualcarto.store import connect, session_scope  # noqa: E402
from qualcarto.study import create_study  # noqa: E402
from qualcarto.suggest import (  # noqa: E402
    make_suggester,
    suggest_transcripts,
    write_layer_folder,
)
from qualcarto.transcripts import import_transcripts, read_participants  # noqa: E402

CODER = "auto"
DESCRIPTION = (
    "Machine coding: the rule-based code suggester of qualcarto (default settings) run on "
    "the demo transcripts with the demo codebook by bench/make_auto_layer.py. Not a person; "
    "see docs/suggestions.md for how often it agrees with the linaker2025 layer."
)


def make_layer(root: Path, out: Path) -> tuple[int, int]:
    """Write the layer into ``out``; returns (codings written, suggestions left out)."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{tmp}/auto.db", create=True)
        try:
            with session_scope(engine) as session:
                create_study(session, "auto layer")
                publish_codebook(session, root / CODEBOOK_FILE, "demo codebook")
                participants = root / TRANSCRIPTS_DIR / "participants.csv"
                files = [
                    root / TRANSCRIPTS_DIR / f"{k}.txt" for k in read_participants(participants)
                ]
                import_transcripts(session, files, participants_csv=participants)
                names = sorted(path.stem for path in files)
                suggester = make_suggester(session, "rules")
                names, found = suggest_transcripts(session, suggester, names)
                left_out = write_layer_folder(session, out, CODER, DESCRIPTION, found, names)
        finally:
            engine.dispose()
    return len(found) - len(left_out), len(left_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "transcripts" / "codings" / CODER)
    args = parser.parse_args()
    written, left_out = make_layer(ROOT, args.out)
    print(f"wrote {written} codings to {args.out} ({left_out} with a repeated quote left out)")


if __name__ == "__main__":
    main()

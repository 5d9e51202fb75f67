# SPDX-License-Identifier: MIT
"""The code suggester run as a machine coder over a study's transcripts.

``suggest_transcripts`` runs a suggester over stored transcripts; ``run_machine_coder``
stores what it found as a machine coder's layer (replacing that coder's earlier codings
of the same transcripts) and, if asked, writes the layer as YAML files too.
``qualcarto suggest`` is a thin caller of these two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from qualcarto.suggest.layer import layer_files, store_machine_layer, write_layer
from qualcarto.suggest.model import Suggestion
from qualcarto.suggest.service import Suggester, make_suggester, suggest_for_transcript
from qualcarto.transcripts.frames import transcripts_frame
from qualcarto.transcripts.lookup import get_transcript


def suggest_transcripts(
    session: Session, suggester: Suggester, transcripts: Sequence[str] = ()
) -> tuple[list[str], list[Suggestion]]:
    """The transcripts looked at (default: every one, by name) and the suggestions for them."""
    names = list(transcripts) or sorted(transcripts_frame(session)["transcript"])
    found = [s for name in names for s in suggest_for_transcript(session, name, suggester)]
    return names, found


def write_layer_folder(
    session: Session,
    folder: Path,
    coder: str,
    description: str,
    suggestions: Sequence[Suggestion],
    transcripts: Sequence[str],
) -> list[Suggestion]:
    """Write the suggestions as a YAML layer in ``folder``; returns the ones left out.

    A layer places a coding by its quote, so a quote found twice in its transcript is left out.
    """
    texts = {name: get_transcript(session, name).text for name in transcripts}
    files, left_out = layer_files(coder, description, suggestions, texts)
    write_layer(folder, files)
    return left_out


@dataclass
class MachineRun:
    """What a machine coder's run did: where it looked, what it stored and wrote."""

    coder: str
    method: str
    transcripts: list[str]
    suggestions: list[Suggestion]
    description: str
    stored: int = 0
    left_out: list[Suggestion] = field(default_factory=list)


def run_machine_coder(
    session: Session,
    coder: str = "auto",
    method: str = "rules",
    threshold: float | None = None,
    transcripts: Sequence[str] = (),
    *,
    actor: str = "system",
    layer_dir: Path | None = None,
) -> MachineRun:
    """Suggest codes for ``transcripts`` (default: all) and store them as ``coder``'s layer.

    The coder is created with kind ``machine``; its earlier codings of the same
    transcripts are replaced. With ``layer_dir`` the layer is also written as YAML files.
    """
    suggester = make_suggester(session, method, threshold)
    names, found = suggest_transcripts(session, suggester, transcripts)
    description = (
        f"Machine coding by qualcarto's {method} suggester "
        f"(threshold {getattr(suggester, 'threshold', threshold)}); not a person."
    )
    run = MachineRun(coder, method, names, found, description)
    run.stored = store_machine_layer(
        session, coder, found, names, actor=actor, description=description
    )
    if layer_dir is not None:
        run.left_out = write_layer_folder(session, layer_dir, coder, description, found, names)
    return run

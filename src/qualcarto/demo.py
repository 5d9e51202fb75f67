# SPDX-License-Identifier: MIT
"""The demo study: a fresh store with the Linåker et al. reconstruction loaded.

The data lives beside the package in the repository (``transcripts/``, ``codebook/``);
``find_demo_data`` looks for it there, in the working folder, or where
``QUALCARTO_DEMO_DATA`` points.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from qualcarto.assignments import assign
from qualcarto.codebook.files import load_yaml
from qualcarto.codebook.versions import publish_codebook
from qualcarto.coding import codings_frame
from qualcarto.config import resolve_media_dir
from qualcarto.errors import ConfigError, ConflictError, InputError, NotFoundError, QualcartoError
from qualcarto.layers import MAX_LAYER_BYTES, load_layer, locate
from qualcarto.media import MediaImportReport, import_recordings
from qualcarto.reconcile import CONSENSUS, accept_agreements, decide, units_frame
from qualcarto.rounds import add_round, mark_reconciled
from qualcarto.store import Project, connect, session_scope
from qualcarto.store.engine import sqlite_path
from qualcarto.study import create_study
from qualcarto.transcripts import import_transcripts, read_participants
from qualcarto.transcripts.decode import decode_text, read_bytes
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.users import add_user

DEMO_PROJECT = "demo: open collaboration in open LLM projects (Linåker et al. 2025)"
CODEBOOK_FILE = Path("codebook/linaker2025.yaml")
TRANSCRIPTS_DIR = Path("transcripts")
LAYERS_DIR = Path("transcripts/codings")
RECORDINGS_DIR = Path("transcripts/recordings")
RECONCILIATION_FILE = LAYERS_DIR / "reconciliation.yaml"
ROUNDS_FILE = LAYERS_DIR / "rounds.yaml"  # the open rounds recorded after the reconciled one

# Demo accounts. These passwords are public (README); never use them for a real study.
DEMO_USERS = (
    ("lena", "lead", "lena-demo-2025"),
    ("ana", "coder", "ana-demo-2025"),
    ("ben", "coder", "ben-demo-2025"),
)
DEMO_CODERS = ("ana", "ben")


@dataclass(frozen=True)
class DemoReport:
    engine: Engine
    transcripts: int
    layers: dict[str, int]


def find_demo_data(explicit: Path | None = None) -> Path:
    """The folder holding ``codebook/`` and ``transcripts/`` of the demo study."""
    candidates = [explicit] if explicit else []
    if os.environ.get("QUALCARTO_DEMO_DATA"):
        candidates.append(Path(os.environ["QUALCARTO_DEMO_DATA"]))
    candidates += [Path.cwd(), Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if folder is not None and (folder / CODEBOOK_FILE).exists():
            return folder
    raise NotFoundError(
        "demo data not found: run from the qualcarto repository or pass --data FOLDER"
    )


def build_demo(url: str, data: Path | None = None) -> DemoReport:
    """Create (or recreate) a demo store at ``url``; refuses to overwrite any other study."""
    root = find_demo_data(data)
    path = sqlite_path(url)
    if path is not None and path.exists():
        _remove_old_demo(url, path)
    engine = connect(url, create=True)
    with session_scope(engine) as session:
        try:
            create_study(session, DEMO_PROJECT, "Reconstruction of Linåker et al. 2025", store=url)
        except ConflictError as exc:
            raise ConflictError(f"{exc}; use another --db for the demo") from exc
        for name, role, password in DEMO_USERS:
            add_user(session, name, role, password)
        publish_codebook(session, root / CODEBOOK_FILE, "Codebook of the study", author="lena")
        participants_csv = root / TRANSCRIPTS_DIR / "participants.csv"
        files = [
            root / TRANSCRIPTS_DIR / f"{key}.txt" for key in read_participants(participants_csv)
        ]
        report = import_transcripts(session, files, participants_csv=participants_csv, actor="lena")
        # One short synthesized recording with its captions, to try the player at once.
        # (skipped on a server store without a media folder: QUALCARTO_MEDIA names one)
        media = MediaImportReport()
        with contextlib.suppress(ConfigError):
            recordings = sorted((root / RECORDINGS_DIR).glob("*.ogg"))
            media = import_recordings(session, recordings, resolve_media_dir(url), actor="lena")
        # Blind double coding, as in the study: both demo coders get every transcript.
        for doc in report.added + media.captioned:
            for coder in DEMO_CODERS:
                assign(session, doc, coder, actor="lena")
        layers = dict(
            load_layer(session, folder.parent)
            for folder in sorted((root / LAYERS_DIR).glob("*/layer.yaml"))
        )
        if (root / RECONCILIATION_FILE).exists():
            layers[CONSENSUS] = apply_reconciliation(session, root / RECONCILIATION_FILE)
        if (root / ROUNDS_FILE).exists():
            record_open_rounds(session, root / ROUNDS_FILE)
    return DemoReport(engine, len(report.added) + len(media.captioned), layers)


def apply_reconciliation(session: Session, path: Path) -> int:
    """Record a coding round and settle it from a file through the reconcile service.

    The file names the round (``name``, default "pilot"), the two coders, the lead and
    the transcripts of the round; the round is recorded (``qualcarto.rounds``), the exact
    agreements of those transcripts are accepted, then each listed unit (found by its
    transcript, code and how each side's passage begins) gets its decision, and the round
    is marked reconciled. Returns the number of consensus codings. Any unit it cannot
    find, or one left undecided, is an error naming the file.
    """
    spec = _read_yaml(path)
    if not isinstance(spec, dict) or not {"coders", "lead", "transcripts"} <= set(spec):
        raise InputError(path, "a reconciliation file names 'coders', 'lead' and 'transcripts'")
    coder_a, coder_b = (str(c) for c in spec["coders"])
    lead = str(spec["lead"])
    names = [str(name) for name in spec["transcripts"]]
    recorded = add_round(session, lead, str(spec.get("name", "pilot")), [coder_a, coder_b], names)
    for name in spec["transcripts"]:
        accept_agreements(session, str(name), coder_a, coder_b, lead)
    for item in spec.get("decisions") or []:
        transcript = str(item.get("transcript", ""))
        units = units_frame(session, transcript, coder_a, coder_b)
        found = units[
            (units["code_id"] == item.get("code"))
            & units["decision"].isna()
            & _side_matches(units, "a", item.get("a"))
            & _side_matches(units, "b", item.get("b"))
        ]
        label = f"{transcript}/{item.get('code')}"
        if len(found) != 1:
            raise InputError(path, f"{label}: {len(found)} undecided units match, not 1")
        unit = found.iloc[0]
        span = None
        if item.get("span"):
            text = get_transcript(session, transcript).text
            first, last = (str(s) for s in item["span"])
            start = locate(text, first, label, path)
            span = (start, locate(text, last, label, path) + len(last))
        decide(
            session,
            transcript,
            _id(unit["a_id"]),
            _id(unit["b_id"]),
            str(item["decision"]),
            lead,
            span=span,
            comment=str(item.get("comment", "")),
        )
    for name in spec["transcripts"]:
        left = units_frame(session, str(name), coder_a, coder_b)["decision"].isna().sum()
        if left:
            raise InputError(path, f"{name}: {left} units of the round are left undecided")
    mark_reconciled(session, lead, recorded.number)
    return len(codings_frame(session, [CONSENSUS]))


def record_open_rounds(session: Session, path: Path) -> list[int]:
    """Record the rounds a file lists (``rounds:``, each with ``name``, ``coders``, ``lead``
    and ``transcripts``), in order and not reconciled; returns their numbers. A bad entry is
    an error naming the file and the entry."""
    spec = _read_yaml(path)
    entries = spec.get("rounds") if isinstance(spec, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "a rounds file lists 'rounds', each a mapping")
    numbers = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"name", "coders", "lead", "transcripts"} <= set(
            entry
        ):
            raise InputError(path, f"round entry {n} names 'name', 'coders', 'lead', 'transcripts'")
        try:
            found = add_round(
                session,
                str(entry["lead"]),
                str(entry["name"]),
                [str(c) for c in entry["coders"]],
                [str(t) for t in entry["transcripts"]],
            )
        except QualcartoError as exc:
            raise InputError(path, f"round entry {n}: {exc}") from exc
        numbers.append(found.number)
    return numbers


def _side_matches(units: pd.DataFrame, side: str, begins: object) -> pd.Series:
    if begins is None:
        return units[f"{side}_id"].isna()
    return units[f"{side}_text"].str.startswith(str(begins))


def _id(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _read_yaml(path: Path) -> object:
    return load_yaml(decode_text(read_bytes(path, MAX_LAYER_BYTES), path), str(path))[1]


def _remove_old_demo(url: str, path: Path) -> None:
    engine = connect(url)
    try:
        with session_scope(engine) as session:
            names = list(session.scalars(select(Project.name)))
    finally:
        engine.dispose()
    if names and names != [DEMO_PROJECT]:
        raise QualcartoError(f"{path}: holds the study '{names[0]}'; use another --db for the demo")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

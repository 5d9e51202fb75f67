# SPDX-License-Identifier: MIT
"""Coder calibration: the lead's standard layer and training transcripts, a new coder's
blind coding of them, and the recorded result.

The lead marks a layer (the consensus, or a reference layer) as the standard and a set
of transcripts as training; a new coder is assigned the training transcripts and codes
them blind; checking the coder measures per-code agreement with the standard
(:func:`qualcarto.agreement.calibration.calibrate`) and records the result (table
``calibration_results`` and an audit event). The setting lives in the study settings
under ``calibration``. Every write is one transaction and names the lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.agreement.calibration import (
    CALIBRATION_MEASURE,
    DEFAULT_PASS_AT,
    Calibration,
    calibrate,
)
from qualcarto.agreement.tables import plain_errors
from qualcarto.agreement_data import agreement_data
from qualcarto.assignments import assign
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import CalibrationResult, Coding, Transcript, User, current_project, record
from qualcarto.study_settings import get_setting, is_blind, set_setting
from qualcarto.users import get_user

SETTING = "calibration"
STATUS_COLUMNS = [
    "coder",
    "passed",
    "kappa",
    "threshold",
    "standard",
    "transcripts",
    "checked_by",
    "checked_at",
]


def calibration_setting(session: Session) -> dict[str, Any]:
    """``{"standard": layer or None, "transcripts": [...], "threshold": float}``."""
    found = get_setting(session, SETTING) or {}
    return {
        "standard": found.get("standard"),
        "transcripts": list(found.get("transcripts", [])),
        "threshold": float(found.get("threshold", DEFAULT_PASS_AT)),
    }


def set_standard(
    session: Session, actor: str, layer: str, threshold: float | None = None
) -> dict[str, Any]:
    """Mark ``layer`` (consensus or a reference layer, not a machine's) as the standard.

    ``threshold``: the pooled kappa a coder must reach (default: kept, else 0.80).
    """
    user = session.scalars(select(User).where(User.name == layer)).first()
    if user is None:
        raise NotFoundError(f"no layer called {layer!r}")
    if user.kind == "machine":
        raise ValidationError(f"{layer!r} is a machine layer; the standard is a person's answer")
    setting = calibration_setting(session)
    if threshold is not None:
        if not -1.0 <= threshold <= 1.0:
            raise ValidationError(f"the pass threshold must lie in [-1, 1], got {threshold}")
        setting["threshold"] = float(threshold)
    setting["standard"] = layer
    _check_training(session, layer, setting["transcripts"])
    set_setting(session, SETTING, setting, actor)
    return setting


def add_training(session: Session, actor: str, transcripts: Sequence[str]) -> dict[str, Any]:
    """Add transcripts to the training set; the standard must have coded each."""
    setting = calibration_setting(session)
    if setting["standard"] is None:
        raise ValidationError("mark a standard layer first (qualcarto calibration standard)")
    names = [str(t) for t in dict.fromkeys(transcripts)]
    if not names:
        raise ValidationError("name at least one training transcript")
    _check_training(session, setting["standard"], names)
    setting["transcripts"] = [
        *setting["transcripts"],
        *(n for n in names if n not in setting["transcripts"]),
    ]
    set_setting(session, SETTING, setting, actor)
    return setting


def _check_training(session: Session, standard: str, names: Sequence[str]) -> None:
    project = current_project(session)
    in_study = Transcript.project_id == project.id, Transcript.name.in_(list(names))
    known = set(session.scalars(select(Transcript.name).where(*in_study)))
    missing = [n for n in names if n not in known]
    if missing:
        raise NotFoundError(f"no transcript called {', '.join(map(repr, missing))}")
    coded = set(
        session.scalars(
            select(Transcript.name)
            .join(Coding, Coding.transcript_id == Transcript.id)
            .join(User, User.id == Coding.coder_id)
            .where(*in_study, User.name == standard)
        )
    )
    uncoded = [n for n in names if n not in coded]
    if uncoded:
        raise ValidationError(
            f"the standard {standard!r} has no codings in {', '.join(uncoded)}; "
            "training transcripts need its answer"
        )


def start_training(session: Session, actor: str, coder: str) -> list[str]:
    """Assign the training transcripts to ``coder``, who must code them blind."""
    setting = calibration_setting(session)
    if not setting["transcripts"]:
        raise ValidationError("the study has no training transcripts yet")
    if not is_blind(session):
        raise ValidationError(
            "the study is open, so the coder would see the standard; close it first "
            "(Assignments page) so that training is coded blind"
        )
    if coder == setting["standard"]:
        raise ValidationError(f"{coder!r} is the standard")
    for name in setting["transcripts"]:
        assign(session, name, coder, actor)
    return list(setting["transcripts"])


def check_coder(session: Session, actor: str, coder: str) -> Calibration:
    """Measure ``coder`` against the standard on the training transcripts and record it."""
    setting = calibration_setting(session)
    if setting["standard"] is None or not setting["transcripts"]:
        raise ValidationError("set a standard and training transcripts first")
    get_user(session, coder)
    data = agreement_data(session, [setting["standard"], coder], transcripts=setting["transcripts"])
    with plain_errors():
        result = calibrate(data, setting["threshold"])
    per_code = result.per_code.astype(object).where(result.per_code.notna(), None)
    row = CalibrationResult(
        project_id=current_project(session).id,
        coder=coder,
        standard=result.standard,
        transcripts=setting["transcripts"],
        measure=CALIBRATION_MEASURE,
        threshold=result.threshold,
        pooled=None if pd.isna(result.pooled) else result.pooled,
        passed=result.passed,
        per_code=per_code.to_dict("records"),
        checked_by=actor,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "calibration.check",
        "calibration_result",
        row.id,
        coder=coder,
        standard=result.standard,
        passed=result.passed,
        pooled=row.pooled,
        threshold=result.threshold,
    )
    return result


def calibration_status(session: Session) -> pd.DataFrame:
    """Each checked coder's latest result (STATUS_COLUMNS), by coder name."""
    latest: dict[str, CalibrationResult] = {}
    for row in session.scalars(
        select(CalibrationResult)
        .where(CalibrationResult.project_id == current_project(session).id)
        .order_by(CalibrationResult.id)
    ):
        latest[row.coder] = row
    rows = [
        {
            "coder": r.coder,
            "passed": r.passed,
            "kappa": r.pooled,
            "threshold": r.threshold,
            "standard": r.standard,
            "transcripts": ", ".join(r.transcripts),
            "checked_by": r.checked_by,
            "checked_at": r.checked_at,
        }
        for _, r in sorted(latest.items())
    ]
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


__all__ = [
    "STATUS_COLUMNS",
    "add_training",
    "calibration_setting",
    "calibration_status",
    "check_coder",
    "set_standard",
    "start_training",
]

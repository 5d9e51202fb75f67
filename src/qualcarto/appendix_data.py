# SPDX-License-Identifier: MIT
"""Gather the methods appendix from a store: every table it states, computed once.

The numbers come from the same functions as the CLI commands that the appendix names
for recomputing them: agreement (``qualcarto.agreement`` tables over
``agreement_data``), saturation (``qualcarto.saturation`` over ``saturation_data``) and
the cartography (``cartography_data``). The coding process is counted from the audit
log, the reconciliation decisions and the reviews.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcarto import __version__
from qualcarto.agreement import (
    ALL_CODES,
    Anatomy,
    ReportOptions,
    anatomy,
    code_table,
    describe,
    plain_errors,
    pooled_intervals,
    unitizing_family,
)
from qualcarto.agreement_data import agreement_data, unit_data
from qualcarto.calibration import calibration_status
from qualcarto.cartography import CartographyData
from qualcarto.cartography_data import cartography_data
from qualcarto.codebook import get_version, version_codebook
from qualcarto.codebook_history import codebook_history
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.reports.appendix import AgreementRound, Appendix
from qualcarto.saturation import (
    SATURATION_COLUMNS,
    SaturationInputError,
    SaturationRule,
    discovery_table,
    saturation_table,
)
from qualcarto.saturation_data import natural, saturation_data
from qualcarto.store import (
    AuditEvent,
    Coding,
    CodingRound,
    ReconciliationDecision,
    Review,
    Transcript,
    User,
    current_project,
)
from qualcarto.transcripts import participants_frame

MEASURES = [
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "fleiss_kappa",
    "brennan_prediger",
    "unitized_alpha",
]


@dataclass(frozen=True)
class AppendixOptions:
    """What the appendix measures; each field has a CLI option of the same name."""

    coders: tuple[str, ...] = ()  # default: the people with codings (two or more)
    layer: tuple[str, ...] = ()  # saturation and cartography; default: widest non-machine
    bootstrap: int = 1000
    seed: int = 0
    overlap: float = 0.9
    base: int = 4
    run: int = 2
    threshold: float = 0.05
    orders: int = 1000
    order: str = "name"


def _coders(session: Session) -> pd.DataFrame:
    """Per coder or layer with codings: kind, codings and transcripts coded."""
    rows = session.execute(
        select(
            User.name,
            User.kind,
            func.count(Coding.id),
            func.count(func.distinct(Coding.transcript_id)),
        )
        .join(Coding, Coding.coder_id == User.id)
        .join(Transcript, Transcript.id == Coding.transcript_id)
        .where(Transcript.project_id == current_project(session).id)
        .group_by(User.name, User.kind)
        .order_by(User.name)
    ).all()
    return pd.DataFrame(
        [(str(n), str(k), int(c), int(t)) for n, k, c, t in rows],
        columns=["coder", "kind", "codings", "transcripts"],
    )


def _participants(session: Session) -> pd.DataFrame:
    frame = participants_frame(session)
    rows = []
    for column in frame.columns:
        if column == "participant_id":
            continue
        values = frame[column].dropna().astype(str)
        if 0 < values.nunique() <= 12:
            for value, n in values.value_counts().sort_index().items():
                rows.append({"attribute": column, "value": value, "participants": int(n)})
    return pd.DataFrame(rows, columns=["attribute", "value", "participants"])


def _shared(session: Session, coders: Sequence[str]) -> list[str]:
    """The transcripts every one of ``coders`` coded (the implicit round)."""
    rows = session.execute(
        select(Transcript.name, User.name)
        .join(Coding, Coding.transcript_id == Transcript.id)
        .join(User, User.id == Coding.coder_id)
        .where(User.name.in_(list(coders)))
        .distinct()
    ).all()
    per_coder = [{t for t, c in rows if c == coder} for coder in coders]
    shared = sorted(set.intersection(*per_coder), key=natural) if per_coder else []
    if not shared:
        raise ValidationError(f"{', '.join(coders)} coded no transcript in common")
    return shared


def _round(
    session: Session,
    name: str,
    coders: Sequence[str],
    shared: Sequence[str],
    o: AppendixOptions,
    reconciled: bool | None = None,
) -> tuple[AgreementRound, Anatomy]:
    data = agreement_data(session, coders, transcripts=list(shared))
    rows = []
    about: list[str] = []
    per_code = pd.DataFrame()
    unitized: dict[object, float] = {}
    for unit in ("char", "segment", "turn", "qa"):
        measured, core = unit_data(session, data, unit)
        options = ReportOptions(core, o.overlap, o.bootstrap, o.seed)
        table = code_table(measured, ReportOptions(core, o.overlap, unitized=unit == "char"))
        pooled: dict[Hashable, object] = dict(table.iloc[-1].to_dict())
        pooled.update(pooled_intervals(measured, options))
        rows += [
            {
                "unit": unit,
                "measure": measure,
                "estimate": pooled[measure],
                "ci_low": pooled.get(f"{measure}_ci_low"),
                "ci_high": pooled.get(f"{measure}_ci_high"),
            }
            for measure in MEASURES
            if measure in pooled and (measure != "unitized_alpha" or unit == "char")
        ]
        if unit == "char":
            about = describe(data, options)
        if unit == "char":
            unitized = dict(zip(table["code_id"], table["unitized_alpha"], strict=True))
        if unit == "segment":
            table = table.assign(unitized_alpha=table["code_id"].map(unitized))  # unit-free
            codes = table.iloc[:-1].sort_values(["flagged", "code_id"], ascending=[False, True])
            keep = [
                "code_id",
                "segments_a",
                "segments_b",
                "matched_a",
                "matched_b",
                "percent_agreement",
                "brennan_prediger",
                "unitized_alpha",
                "flagged",
            ]
            per_code = codes[[c for c in keep if c in codes.columns]]
    with plain_errors():
        family = unitizing_family(data.codings, data.lengths, data.coders)
    rows += [
        {"unit": "char", "measure": r.measure, "estimate": r.alpha, "ci_low": None, "ci_high": None}
        for r in family[family["code_id"] == ALL_CODES].itertuples()
    ]
    return AgreementRound(
        name=name,
        coders=tuple(coders),
        transcripts=tuple(shared),
        reconciled=reconciled,
        codebook_versions=data.codebook_versions,
        pooled=pd.DataFrame(rows),
        per_code=per_code,
        about=tuple(line for line in about if not line.startswith("unit:")) + _family_note(family),
        bootstrap=o.bootstrap,
        seed=o.seed,
    ), anatomy(data, o.overlap)


def _family_note(family: pd.DataFrame) -> tuple[str, ...]:
    """Why the 2016 unitizing alphas of a round are undefined, one line per reason."""
    pooled = family[(family["code_id"] == ALL_CODES) & family["alpha"].isna()]
    lines = []
    for note, rows in pooled.groupby("note", sort=False):
        if note:
            names = " and ".join(rows["measure"])
            lines.append(f"{names} (Krippendorff et al. 2016) {note!s}")
    return tuple(lines)


def rounds_frame_rows(session: Session) -> list[tuple[int, str, list[str], list[str], bool]]:
    """The recorded rounds as (number, name, coders, transcripts, reconciled)."""
    return [
        (
            r.number,
            r.name,
            list(r.coders),
            sorted(r.transcripts, key=natural),
            r.reconciled_at is not None,
        )
        for r in session.scalars(
            select(CodingRound)
            .where(CodingRound.project_id == current_project(session).id)
            .order_by(CodingRound.number)
        )
    ]


def _calibration(session: Session) -> pd.DataFrame:
    """Each calibrated coder's latest check as the appendix states it (none: empty)."""
    status = calibration_status(session)
    return pd.DataFrame(
        {
            "coder": status["coder"],
            "standard": status["standard"],
            "training": status["transcripts"],
            "kappa": pd.to_numeric(status["kappa"], errors="coerce").astype(float),
            "threshold": status["threshold"].astype(float),
            "passed": status["passed"].map({True: "yes", False: "no"}),
        }
    )


def default_layer(coders: pd.DataFrame) -> tuple[str, ...]:
    """The non-machine layer with codings in the most transcripts (ties: most codings)."""
    people = coders[coders["kind"] != "machine"]
    if people.empty:
        raise ValidationError("no human or reference layer has codings")
    best = people.sort_values(["transcripts", "codings"], ascending=False).iloc[0]
    return (str(best["coder"]),)


def appendix_data(
    session: Session, options: AppendixOptions | None = None
) -> tuple[Appendix, CartographyData]:
    """The appendix of the study in ``session`` and the data its cartography is drawn from."""
    o = options or AppendixOptions()
    coders_table = _coders(session)
    people = [
        str(c)
        for c, k in zip(coders_table["coder"], coders_table["kind"], strict=True)
        if k == "human"
    ]
    chosen = list(o.coders) or people
    unknown = [c for c in chosen if c not in set(coders_table["coder"])]
    if unknown:
        raise NotFoundError(f"no coder with codings called {', '.join(map(repr, unknown))}")
    rounds: list[AgreementRound] = []
    found_anatomy = None
    recorded = rounds_frame_rows(session)
    for number, name, round_coders, names, reconciled in recorded:
        found, found_anatomy = _round(
            session, f"round {number} ({name})", round_coders, names, o, reconciled
        )
        rounds.append(found)
    if not recorded and len(chosen) >= 2:
        label = "pilot round" if len(chosen) == 2 else "round"
        found, found_anatomy = _round(session, label, chosen, _shared(session, chosen), o)
        rounds.append(found)
    layer = o.layer or default_layer(coders_table)
    rule = SaturationRule(o.base, o.run, o.threshold)
    sat = saturation_data(session, layer, o.order)
    try:
        rule.check(len(sat.transcripts))
        saturation_note = ""
        sat_table = saturation_table(sat, rule, o.orders, o.seed)
    except SaturationInputError as exc:
        saturation_note = str(exc)
        sat_table = pd.DataFrame(columns=SATURATION_COLUMNS)
    activity = session.execute(
        select(AuditEvent.action, func.count())
        .group_by(AuditEvent.action)
        .order_by(AuditEvent.action)
    ).all()
    decisions = session.execute(
        select(ReconciliationDecision.decision, func.count())
        .group_by(ReconciliationDecision.decision)
        .order_by(ReconciliationDecision.decision)
    ).all()
    version = get_version(session)
    project = current_project(session)
    cartography = cartography_data(session, list(layer))
    joined = " ".join(chosen)
    stamp = f"--coders {joined} --layer {' '.join(layer)}"
    commands = {
        "study": "qualcarto report --out DIR (tables/participants.csv)",
        "codebook": "qualcarto report --out DIR (tables/codebook-history.csv)",
        "process": "qualcarto report --out DIR (tables/process-*.csv)",
        "rounds": "qualcarto round list; qualcarto report --out DIR (tables/agreement-rounds.csv)",
        "agreement": f"qualcarto agreement --coders {joined} --unit char --bootstrap "
        f"{o.bootstrap} --seed {o.seed} (and --unit segment, --by unitizing; --transcript each of the "
        "round)",
        "anatomy": f"qualcarto report --out DIR {stamp} (tables/anatomy-*.csv)",
        "saturation": f"qualcarto report --out DIR {stamp} --base {o.base} --run {o.run} "
        f"--threshold {o.threshold} --orders {o.orders} --order {o.order} (tables/saturation.csv, tables/discovery.csv)",
        "cartography": f"qualcarto cartography --coder {' '.join(layer)} --figure 1",
    }
    appendix = Appendix(
        title=f"Methods appendix: {project.name}",
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        codebook_version=version.number,
        transcripts=int(
            session.scalar(
                select(func.count())
                .select_from(Transcript)
                .where(Transcript.project_id == project.id)
            )
            or 0
        ),
        participants=_participants(session),
        codebook_history=codebook_history(session),
        codes=len(version_codebook(version).codes),
        coders=coders_table,
        activity=pd.DataFrame(activity, columns=["action", "events"]),
        reconciliation=pd.DataFrame(decisions, columns=["decision", "units"]),
        reviews=int(session.scalar(select(func.count()).select_from(Review)) or 0),
        rounds=tuple(rounds),
        anatomy=found_anatomy,
        saturation_layer=tuple(layer),
        saturation_rule=rule,
        saturation_order=sat.order,
        saturation_orders=o.orders,
        saturation=sat_table,
        saturation_note=saturation_note,
        discovery=discovery_table(sat, o.orders, o.seed),
        cartography_layer=tuple(layer),
        commands=commands,
        anatomy_round=rounds[-1].name if rounds else "",
        calibration=_calibration(session),
    )
    return appendix, cartography


__all__ = ["AppendixOptions", "appendix_data", "default_layer"]

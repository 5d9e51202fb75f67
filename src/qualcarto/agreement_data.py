# SPDX-License-Identifier: MIT
"""Gather what the agreement report needs from a store, and shape its tables.

``qualcarto.agreement`` is a pure core that never sees a database; this service is the
seam between the two. ``agreement_data`` reads the chosen coders' codings, the
transcript lengths and the codebook (for code names and facets, and to say under which
version(s) the codings were made). The table functions then call the pure measures -
never a formula of their own - and add names a reader recognizes. The CLI and the app
call the same functions, so both print the same figures and the same one-line errors.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.agreement import (
    ALL_CODES,
    AgreementInputError,
    agreement_report,
    match_segments,
)
from qualcarto.agreement.codings import validate_codings
from qualcarto.agreement.span_agreement import (
    Unit,
    check_unit,
    multi_coder_measures,
    statistic_or_nan,
    unit_cells,
)
from qualcarto.agreement.spans import overlap_fraction
from qualcarto.codebook import codebook_frame, get_version, version_codebook
from qualcarto.coding import codings_frame
from qualcarto.errors import NotFoundError, ValidationError
from qualcarto.store import Transcript, User, current_project
from qualcarto.wording import counted

ALL_CODES_NAME = "all codes (pooled)"
# Landis & Koch (1977) call kappa .41-.60 "moderate" and .61-.80 "substantial": a code
# below .6 has not reached substantial agreement and is worth a look (docs/agreement.md).
DEFAULT_FLAG_BELOW = 0.6
FLAG_COLUMN = "flagged"
MEASURE_NAMES: dict[str, str] = {
    "cohen_kappa": "Cohen's kappa",
    "krippendorff_alpha": "Krippendorff's alpha",
    "fleiss_kappa": "Fleiss' kappa",
    "brennan_prediger": "Brennan-Prediger kappa",
    "unitized_alpha": "unitizing alpha",
}
UNIT_RULES: dict[str, str] = {
    "char": "every character of every transcript, coded or not coded per code (NVivo's unit)",
    "segment": "each coded span; it matches when another coder put the same code on a span "
    "covering at least {share} of the longer of the two (MAXQDA's rule)",
    "document": "each transcript; the code is present or absent for each coder",
}


@dataclass(frozen=True)
class AgreementData:
    """The codings of the chosen coders and everything needed to measure and label them."""

    coders: tuple[str, ...]
    coder_kinds: dict[str, str]
    codings: pd.DataFrame  # rows of ``codings_frame``
    lengths: dict[Hashable, int]  # transcript id -> text length, every transcript measured
    transcript_names: dict[Hashable, str]
    codes: pd.DataFrame  # ``codebook_frame`` of the newest version
    facets: tuple[str, ...]
    codebook_versions: tuple[int, ...]  # versions the codings were made under
    version_filter: int | None = None

    def code_name(self, code_id: object) -> str:
        """The code's name in the newest codebook (its id when the codebook lacks it)."""
        if code_id == ALL_CODES:
            return ALL_CODES_NAME
        names = dict(zip(self.codes["code_id"], self.codes["name"], strict=True))
        return str(names.get(code_id, code_id))


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Bad input to the pure core becomes the one-line error the CLI and app show."""
    try:
        yield
    except AgreementInputError as exc:
        raise ValidationError(str(exc)) from exc


def agreement_data(
    session: Session,
    coders: Sequence[str],
    *,
    codebook_version: int | None = None,
    transcripts: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> AgreementData:
    """Read what the agreement of ``coders`` needs: their codings and the transcripts.

    ``codebook_version``: only codings made under that version (default: all, and the
    report names every version present). ``transcripts``: names of the transcripts to
    measure (default: every transcript of the study, coded or not; an uncoded
    transcript counts as agreement on "not coded" at the char and document units).
    ``codes``: only these codes (as MAXQDA, the segment kappa's K is then their number).
    Unknown names, fewer than two coders, and a coder without codings in the selection
    are ``QualcartoError``\\ s with one line saying which.
    """
    chosen = tuple(coders)
    if len(chosen) < 2 or len(set(chosen)) != len(chosen):
        raise ValidationError(f"name at least two different coders, got {list(chosen)}")
    kinds = dict(session.execute(select(User.name, User.kind).where(User.name.in_(chosen))).all())
    unknown = [name for name in chosen if name not in kinds]
    if unknown:
        raise NotFoundError(f"no coder called {', '.join(map(repr, unknown))}")
    if codebook_version is not None:
        get_version(session, codebook_version)  # a NotFoundError names the missing version
    project = current_project(session)
    stored = session.execute(
        select(Transcript.id, Transcript.name, Transcript.length).where(
            Transcript.project_id == project.id
        )
    ).all()
    if transcripts:
        known = {name for _, name, _ in stored}
        missing = [name for name in transcripts if name not in known]
        if missing:
            raise NotFoundError(f"no transcript called {', '.join(map(repr, missing))}")
        stored = [row for row in stored if row[1] in set(transcripts)]
    if not stored:
        raise ValidationError("the study has no transcripts to measure")
    frame = codings_frame(session, list(chosen), list(transcripts) if transcripts else None)
    if codebook_version is not None:
        frame = frame[frame["codebook_version"] == codebook_version]
    if codes:
        frame = frame[frame["code_id"].isin(list(codes))]
    where = _selection(codebook_version, transcripts, codes)
    idle = [name for name in chosen if not (frame["coder"] == name).any()]
    if idle:
        raise ValidationError(f"no codings by {', '.join(map(repr, idle))}{where}")
    book = version_codebook(get_version(session))
    return AgreementData(
        coders=chosen,
        coder_kinds={name: str(kinds[name]) for name in chosen},
        codings=frame.reset_index(drop=True),
        lengths={int(t): int(length) for t, _, length in stored},
        transcript_names={int(t): str(name) for t, name, _ in stored},
        codes=codebook_frame(book),
        facets=tuple(book.facets),
        codebook_versions=tuple(sorted(int(v) for v in frame["codebook_version"].unique())),
        version_filter=codebook_version,
    )


def _selection(
    version: int | None, transcripts: Sequence[str] | None, codes: Sequence[str] | None
) -> str:
    parts = []
    if version is not None:
        parts.append(f"under codebook version {version}")
    if transcripts:
        parts.append(f"in transcript(s) {', '.join(transcripts)}")
    if codes:
        parts.append(f"with code(s) {', '.join(codes)}")
    return (" " + " ".join(parts)) if parts else ""


def flag_measures(unit: str, n_coders: int) -> list[str]:
    """The chance-corrected coefficients a code can be flagged on; the first is the default.

    Cohen's kappa for two coders at char/document, Krippendorff's alpha for more, and
    Brennan-Prediger at segment level (the only chance-corrected segment measure besides
    the unitizing alpha, which is always offered).
    """
    checked = check_unit(unit)
    offered = [m for m in _measures(checked, n_coders) if m != "percent_agreement"]
    return [*offered, "unitized_alpha"]


def flag_measure(unit: str, n_coders: int, chosen: str | None = None) -> str:
    """``chosen`` if the table at ``unit`` reports it (else a one-line error); by default
    the first of :func:`flag_measures`."""
    offered = flag_measures(unit, n_coders)
    if chosen is None or chosen == "auto":
        return offered[0]
    if chosen not in offered:
        raise ValidationError(
            f"--flag-on {chosen} is not reported at unit {unit} for {n_coders} coders; "
            f"choose one of {', '.join(offered)}"
        )
    return chosen


def flag_note(measure: str, below: float) -> str:
    """The line stamped on a per-code table saying which rows are flagged and why."""
    return (
        f"flagged: codes whose {MEASURE_NAMES[measure]} is below {below:g}, undefined ones not "
        "(the default 0.6 is where Landis & Koch's 1977 'substantial' band begins)"
    )


def code_table(
    data: AgreementData,
    unit: str = "segment",
    overlap: float = 0.9,
    bootstrap: int = 0,
    seed: int = 0,
    flag_below: float = DEFAULT_FLAG_BELOW,
    flag_on: str | None = None,
) -> pd.DataFrame:
    """Per code: :func:`qualcarto.agreement.agreement_report` with each code's name and facets.

    Columns ``code_id``, ``name``, one per codebook facet, the report's columns, then
    ``flagged``: True where the :func:`flag_measure` coefficient (``flag_on``, default
    Cohen's kappa for two coders at char/document, alpha for more, Brennan-Prediger at
    segment) is below ``flag_below``; False where it is not or is undefined.
    """
    measure = flag_measure(unit, len(data.coders), flag_on)
    if not math.isfinite(flag_below):
        raise ValidationError(f"--flag-below must be a number, got {flag_below}")
    with _plain_errors():
        report = agreement_report(
            data.codings, data.lengths, data.coders, check_unit(unit), overlap, bootstrap, seed
        )
    facets = data.codes.set_index("code_id")[list(data.facets)]
    report.insert(1, "name", [data.code_name(c) for c in report["code_id"]])
    for position, facet in enumerate(data.facets, start=2):
        report.insert(position, facet, [facets[facet].get(c) for c in report["code_id"]])
    report[FLAG_COLUMN] = (report[measure] < flag_below).to_numpy(dtype=bool)
    return report


def _measures(unit: Unit, n_coders: int) -> list[str]:
    if n_coders > 2:
        return multi_coder_measures(unit)
    if unit == "segment":
        return ["percent_agreement", "brennan_prediger"]
    return ["percent_agreement", "cohen_kappa", "krippendorff_alpha"]


def _coder_columns(data: AgreementData, stem: str) -> list[str]:
    if len(data.coders) == 2:
        return [f"{stem}_a", f"{stem}_b"]
    return [f"{stem}_{coder}" for coder in data.coders]


def transcript_table(
    data: AgreementData, unit: str = "segment", overlap: float = 0.9, by_code: bool = False
) -> pd.DataFrame:
    """Agreement per transcript (pooled over codes) or per transcript and code.

    The same swept counts and the same measure functions as the per-code table, so a
    transcript's row is the ``"(all)"`` row restricted to that transcript (the segment
    kappa keeps K = all codes of the study). ``by_code`` lists only the codes some coder
    used in the transcript. Columns: ``transcript``, (``code_id``, ``name``), segments
    per coder (``segments_a``/``segments_b`` for two coders, else ``segments_<coder>``),
    at segment level matched segments per coder, then the measures: two coders
    ``percent_agreement`` and ``cohen_kappa``, ``krippendorff_alpha`` (char/document) or
    ``brennan_prediger`` (segment); more coders those of the many-coder table.
    """
    checked = check_unit(unit)
    with _plain_errors():
        spans = validate_codings(data.codings, data.lengths, data.coders)
        cells = unit_cells(spans, checked, overlap)
    m, n_codes = len(spans.coders), len(spans.codes)
    segments = np.zeros((len(spans.transcripts), n_codes, m), dtype=np.int64)
    np.add.at(segments, (spans.transcript, spans.code, spans.coder), 1)
    measures = _measures(checked, m)
    records: list[dict[str, object]] = []
    for t, transcript_id in enumerate(spans.transcripts):
        keys = [c for c in range(n_codes) if segments[t, c].any()] if by_code else [None]
        for c in keys:
            counts = segments[t].sum(axis=0) if c is None else segments[t, c]
            values = cells.values[t].sum(axis=0) if c is None else cells.values[t, c]
            record: dict[str, object] = {"transcript": data.transcript_names[transcript_id]}
            if c is not None:
                record["code_id"] = spans.codes[c]
                record["name"] = data.code_name(spans.codes[c])
            record.update(zip(_coder_columns(data, "segments"), counts.tolist(), strict=True))
            if checked == "segment":
                matched = values[m:].astype(np.int64).tolist()
                record.update(zip(_coder_columns(data, "matched"), matched, strict=True))
            for measure in measures:
                record[measure] = statistic_or_nan(values, checked, measure, m, n_codes)
            records.append(record)
    return pd.DataFrame(records)


def pair_table(data: AgreementData, unit: str = "segment", overlap: float = 0.9) -> pd.DataFrame:
    """Pooled agreement of every pair of the coders (the ``"(all)"`` row of each pair's report).

    Columns ``coder_a``, ``coder_b``, then the report's pooled columns for the pair. At
    segment level each pair's kappa uses K = the codes either coder of the pair used.
    """
    rows = []
    for a, b in combinations(data.coders, 2):
        with _plain_errors():
            report = agreement_report(data.codings, data.lengths, (a, b), check_unit(unit), overlap)
        pooled = report.iloc[-1].drop("code_id").to_dict()
        rows.append({"coder_a": a, "coder_b": b, **pooled})
    return pd.DataFrame(rows)


DISAGREEMENT_COLUMNS = [
    "transcript",
    "code_id",
    "name",
    "coder",
    "start",
    "end",
    "text",
    "other_coder",
    "other_start",
    "other_end",
    "other_text",
    "other_overlap",
]


def disagreements(data: AgreementData, overlap: float = 0.9) -> pd.DataFrame:
    """Each segment another coder did not match, beside that coder's nearest excerpt.

    One row per (segment, other coder without a match), from
    :func:`qualcarto.agreement.match_segments` on each pair of coders: for two coders,
    simply every unmatched segment. ``other_*`` describe the other coder's segment with
    the same code in the same transcript that overlaps it most (``other_overlap``: the
    shared characters as a share of the longer span); empty when the other coder did
    not code any of it. Sorted by transcript, code and offsets.
    """
    texts = (
        data.codings.drop_duplicates(["transcript_id", "coder", "code_id", "start", "end"])
        .set_index(["transcript_id", "coder", "code_id", "start", "end"])["text"]
        .to_dict()
    )
    parts = []
    for a, b in combinations(data.coders, 2):
        with _plain_errors():
            found = match_segments(data.codings, data.lengths, (a, b), overlap)
        spans = found[["transcript_id", "coder", "code_id", "start", "end"]]
        unmatched = found.loc[~found["matched"], list(spans.columns)].copy()
        unmatched["other_coder"] = np.where(unmatched["coder"] == a, b, a)
        parts.append(_nearest(unmatched, spans))
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    rows = pd.concat(parts, ignore_index=True)
    key = ["transcript_id", "coder", "code_id", "start", "end"]
    rows["text"] = [texts.get(k) for k in rows[key].itertuples(index=False, name=None)]
    other = ["transcript_id", "other_coder", "code_id", "other_start", "other_end"]
    rows["other_text"] = [
        texts.get(tuple(k)) if pd.notna(k[3]) else None  # type: ignore[arg-type]
        for k in rows[other].itertuples(index=False, name=None)
    ]
    rows["transcript"] = [data.transcript_names[t] for t in rows["transcript_id"]]
    rows["name"] = [data.code_name(c) for c in rows["code_id"]]
    rows = rows.sort_values(["transcript", "code_id", "start", "end", "coder", "other_coder"])
    return rows[DISAGREEMENT_COLUMNS].reset_index(drop=True)


def _nearest(unmatched: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """``unmatched`` with the other coder's most-overlapping same-code segment, if any."""
    candidates = unmatched.reset_index(drop=True).reset_index(names="row")
    others = spans.rename(
        columns={"coder": "other_coder", "start": "other_start", "end": "other_end"}
    )
    pairs = candidates.merge(others, on=["transcript_id", "code_id", "other_coder"])
    shared = np.minimum(pairs["end"], pairs["other_end"]) - np.maximum(
        pairs["start"], pairs["other_start"]
    )
    longer = np.maximum(pairs["end"] - pairs["start"], pairs["other_end"] - pairs["other_start"])
    pairs["other_overlap"] = shared / longer
    pairs = pairs[shared > 0].sort_values(["row", "other_overlap"], ascending=[True, False])
    best = pairs.drop_duplicates("row").set_index("row")
    columns = ["other_start", "other_end", "other_overlap"]
    joined = candidates.join(best[columns], on="row").drop(columns="row")
    for column in ("other_start", "other_end"):
        joined[column] = joined[column].astype("Int64")
    return joined


def describe(
    data: AgreementData, unit: str, overlap: float, bootstrap: int = 0, seed: int = 0
) -> list[str]:
    """Plain-text lines stating what was measured, to stamp on every output."""
    checked = check_unit(unit)
    with _plain_errors():
        share = overlap_fraction(overlap)
    coders = ", ".join(f"{name} ({data.coder_kinds[name]})" for name in data.coders)
    rule = UNIT_RULES[checked].format(share=f"{float(share):.0%}")
    counts = data.codings.groupby("codebook_version").size()
    found = f"{counted(len(data.lengths), 'transcript')}, {counted(len(data.codings), 'coding')}"
    if data.version_filter is not None:
        found += f", only those made under codebook version {data.version_filter}"
    elif len(counts) == 1:
        found += f", all made under codebook version {counts.index[0]}"
    elif len(counts) > 1:
        made = [f"{n} under version {v}" for v, n in counts.items()]
        found += f": {made[0].replace('under', 'made under codebook', 1)}, {', '.join(made[1:])}"
    lines = [
        f"coders: {coders}",
        f"unit: {checked} - {rule}",
        found,
        "proportions are shares in [0, 1]",
    ]
    if bootstrap:
        lines.append(
            f"95% intervals: percentile bootstrap, {bootstrap} resamples of transcripts, "
            f"seed {seed}"
        )
    return lines


__all__ = [
    "ALL_CODES_NAME",
    "DEFAULT_FLAG_BELOW",
    "DISAGREEMENT_COLUMNS",
    "FLAG_COLUMN",
    "AgreementData",
    "agreement_data",
    "code_table",
    "describe",
    "disagreements",
    "flag_measure",
    "flag_measures",
    "flag_note",
    "pair_table",
    "transcript_table",
]

# SPDX-License-Identifier: MIT
"""Score suggestions against a person's coding, sentence by sentence, per code.

Each participant sentence is a unit. For a code, a person "coded" the sentence when
their codings of that code cover at least half of it; the suggester "coded" it when a
suggestion of that code covers at least half of it. From these two yes/no columns come
precision, recall, F1 and Cohen's kappa (from :mod:`qualcarto.agreement`, the one
implementation of it) per code, and pooled over codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcarto.agreement import UndefinedAgreementError, cohen_kappa
from qualcarto.suggest.model import Suggestion, Unit

COVER = 0.5
ALL_CODES = "(all)"
COLUMNS = [
    "code_id",
    "units",
    "reference",
    "suggested",
    "both",
    "precision",
    "recall",
    "f1",
    "kappa",
]


def unit_labels(
    units: Sequence[Unit], spans: Iterable[tuple[str, int, int]]
) -> dict[str, np.ndarray]:
    """For each code, which units its spans ``(code_id, start, end)`` cover by half or more."""
    starts = np.array([u.start for u in units])
    ends = np.array([u.end for u in units])
    labels: dict[str, np.ndarray] = {}
    for code_id, start, end in spans:
        overlap = np.clip(np.minimum(ends, end) - np.maximum(starts, start), 0, None)
        hit = overlap >= COVER * (ends - starts)
        labels[code_id] = labels.get(code_id, np.zeros(len(units), dtype=bool)) | hit
    return labels


def _row(code_id: str, ref: np.ndarray, sug: np.ndarray) -> dict[str, object]:
    both = int((ref & sug).sum())
    n_ref, n_sug = int(ref.sum()), int(sug.sum())
    precision = both / n_sug if n_sug else None
    recall = both / n_ref if n_ref else None
    f1 = 2 * both / (n_ref + n_sug) if n_ref + n_sug else None
    try:
        kappa: float | None = cohen_kappa(np.vstack([ref, sug]).astype(int), categories=[0, 1])
    except UndefinedAgreementError:
        kappa = None
    return {
        "code_id": code_id,
        "units": len(ref),
        "reference": n_ref,
        "suggested": n_sug,
        "both": both,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "kappa": kappa,
    }


def evaluate(
    units: Mapping[str, Sequence[Unit]],
    reference: Iterable[tuple[str, str, int, int]],
    suggestions: Iterable[Suggestion],
    codes: Sequence[str],
) -> pd.DataFrame:
    """Per-code and pooled agreement of suggestions with reference codings.

    ``units`` maps each evaluated transcript to its sentences; ``reference`` holds
    ``(transcript, code_id, start, end)`` of the person's codings. Rows: every code in
    ``codes`` (sorted), then ``"(all)"``, which pools all (sentence, code) decisions.
    Undefined ratios are ``None`` (no reference or no suggestion for the code).
    """
    ref_spans: dict[str, list[tuple[str, int, int]]] = {name: [] for name in units}
    sug_spans: dict[str, list[tuple[str, int, int]]] = {name: [] for name in units}
    for transcript, code_id, start, end in reference:
        if transcript in ref_spans:
            ref_spans[transcript].append((code_id, start, end))
    for s in suggestions:
        if s.transcript in sug_spans:
            sug_spans[s.transcript].append((s.code_id, s.start, s.end))
    ref_cols: dict[str, list[np.ndarray]] = {code: [] for code in codes}
    sug_cols: dict[str, list[np.ndarray]] = {code: [] for code in codes}
    for name in sorted(units):
        empty = np.zeros(len(units[name]), dtype=bool)
        ref = unit_labels(units[name], ref_spans[name])
        sug = unit_labels(units[name], sug_spans[name])
        for code in codes:
            ref_cols[code].append(ref.get(code, empty))
            sug_cols[code].append(sug.get(code, empty))
    rows = []
    for code in sorted(codes):
        rows.append(_row(code, np.concatenate(ref_cols[code]), np.concatenate(sug_cols[code])))
    pooled_ref = np.concatenate([np.concatenate(ref_cols[c]) for c in codes])
    pooled_sug = np.concatenate([np.concatenate(sug_cols[c]) for c in codes])
    rows.append(_row(ALL_CODES, pooled_ref, pooled_sug))
    return pd.DataFrame(rows, columns=COLUMNS)

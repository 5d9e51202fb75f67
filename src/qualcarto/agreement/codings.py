# SPDX-License-Identifier: MIT
"""Check a codings table (who coded which span with which code) before measuring it.

The span measures take a DataFrame with at least ``transcript_id, coder, code_id, start,
end`` (offsets are Python ``str`` indices, ``start < end``) and a mapping of transcript
ids to text lengths. :func:`validate_codings` turns both into integer arrays once, with
a precise error for every kind of bad input, so the sweeps can trust what they get.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qualcarto.agreement.ratings import AgreementInputError, sort_labels

REQUIRED_COLUMNS: tuple[str, ...] = ("transcript_id", "coder", "code_id", "start", "end")
ALL_CODES = "(all)"
"""``code_id`` of the final row of a per-code table, which pools every code."""


@dataclass(frozen=True)
class SpanData:
    """Validated codings of the chosen coders, one row per distinct span, as index arrays,
    sorted by transcript, code, coder, start and end.

    ``transcript[r]``, ``code[r]`` and ``coder[r]`` index into ``transcripts``, ``codes``
    and ``coders``; ``start``/``end`` are offsets; ``lengths[t]`` is transcript t's length.
    """

    transcripts: tuple[Hashable, ...]
    codes: tuple[Hashable, ...]
    coders: tuple[Hashable, ...]
    lengths: np.ndarray
    transcript: np.ndarray
    code: np.ndarray
    coder: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @property
    def n_groups(self) -> int:
        """Number of (transcript, code) pairs; a span's group is ``transcript * n_codes + code``."""
        return len(self.transcripts) * len(self.codes)

    @property
    def group(self) -> np.ndarray:
        return self.transcript * len(self.codes) + self.code

    @property
    def stride(self) -> int:
        """An offset bound: ``group * stride + offset`` sorts by group, then offset."""
        return int(self.lengths.max(initial=0)) + 1

    def frame(self) -> pd.DataFrame:
        """The validated spans back as a codings DataFrame (original labels)."""
        return pd.DataFrame(
            {
                "transcript_id": np.asarray(self.transcripts, dtype=object)[self.transcript],
                "coder": np.asarray(self.coders, dtype=object)[self.coder],
                "code_id": np.asarray(self.codes, dtype=object)[self.code],
                "start": self.start,
                "end": self.end,
            }
        )


def _integer_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    column = frame[name]
    if column.isna().any():
        raise AgreementInputError(f"column '{name}' has missing values")
    values = column.to_numpy()
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    if values.dtype.kind == "f" and np.all(np.mod(values, 1) == 0):
        return values.astype(np.int64)
    try:
        as_int = np.asarray(values, dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise AgreementInputError(f"column '{name}' must hold integer offsets") from exc
    if not np.array_equal(as_int, np.asarray(values, dtype=np.float64)):
        raise AgreementInputError(f"column '{name}' must hold integer offsets")
    return as_int


def _positions(labels: Sequence[Hashable], column: pd.Series) -> np.ndarray:
    """Index of each value of ``column`` in ``labels`` (-1 when absent)."""
    found, uniques = pd.factorize(column)
    lookup = pd.Index(list(labels), tupleize_cols=False).get_indexer(uniques)
    return np.asarray(np.where(found >= 0, lookup[found], -1), dtype=np.int64)


def _factorize_sorted(column: pd.Series) -> tuple[np.ndarray, list[Hashable]]:
    """Index of each value among the sorted distinct values (see ``sort_labels``)."""
    try:
        found, uniques = pd.factorize(column, sort=True)
        labels = uniques.tolist()
        if labels == sort_labels(labels):
            return np.asarray(found, dtype=np.int64), labels
    except TypeError:
        pass
    labels = sort_labels(column.unique().tolist())
    return _positions(labels, column), labels


def _first_bad(frame: pd.DataFrame, mask: np.ndarray) -> str:
    row = frame.loc[mask].iloc[0]
    return (
        f"transcript {row['transcript_id']!r}, coder {row['coder']!r}, code {row['code_id']!r}, "
        f"span [{row['start']}, {row['end']})"
    )


def _sorted_distinct(
    transcript: np.ndarray,
    code: np.ndarray,
    coder: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    n_codes: int,
    n_coders: int,
    stride: int,
) -> tuple[np.ndarray, ...]:
    """The spans sorted by transcript, code, coder, start, end, without repeats."""
    cell = transcript * n_codes
    cell += code
    cell *= n_coders
    cell += coder
    n_cells = int(cell.max(initial=0)) + 1
    if n_cells * stride * stride < 2**62:
        # One packed key holds the whole row: sort it and unpack, no gathers needed.
        # (In-place arithmetic: fresh large temporaries cost page faults.)
        key = cell * stride
        key += start
        key *= stride
        key += end
        key.sort()
        key = key[np.append(True, key[1:] != key[:-1])]
        cell, rest = np.divmod(key, stride * stride)
        start, end = np.divmod(rest, stride)
    else:
        order = np.lexsort((end, start, cell))
        rows = np.stack([cell, start, end])[:, order]
        distinct = np.ones(order.size, dtype=bool)
        distinct[1:] = (rows[:, 1:] != rows[:, :-1]).any(axis=0)
        cell, start, end = rows[:, distinct]
    group, coder = np.divmod(cell, n_coders)
    transcript, code = np.divmod(group, n_codes)
    return transcript, code, coder, start, end


def validate_codings(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
    *,
    min_coders: int = 2,
) -> SpanData:
    """Check codings and lengths and keep the chosen coders' distinct spans.

    Raises :class:`AgreementInputError` (a ``ValueError``) for a missing column, an
    unknown or repeated coder, a missing value, a non-integer offset, ``start < 0``,
    ``start >= end``, an unknown transcript or ``end`` past the transcript's length.
    Columns other than the five required ones are ignored; a span a coder recorded twice
    counts once. Every transcript in ``lengths`` is part of the study, coded or not.
    """
    if not isinstance(codings, pd.DataFrame):
        raise AgreementInputError("codings must be a pandas DataFrame")
    missing_columns = [c for c in REQUIRED_COLUMNS if c not in codings.columns]
    if missing_columns:
        raise AgreementInputError(
            f"codings lack column(s) {', '.join(missing_columns)}; "
            f"need {', '.join(REQUIRED_COLUMNS)}"
        )
    if not isinstance(lengths, Mapping) or not lengths:
        raise AgreementInputError("lengths must map each transcript id to its text length")
    transcripts = tuple(sort_labels(list(lengths)))
    length_values = np.array([lengths[t] for t in transcripts], dtype=object)
    if any(
        not isinstance(v, int | np.integer) or isinstance(v, bool) or v < 0 for v in length_values
    ):
        raise AgreementInputError("every transcript length must be a non-negative integer")
    length_array = length_values.astype(np.int64)

    coder_found, coder_labels = pd.factorize(codings["coder"])
    present = coder_labels.tolist()
    if coders is None:
        chosen = tuple(sort_labels(present))
    else:
        chosen = tuple(coders)
        if len(set(chosen)) != len(chosen):
            raise AgreementInputError(f"coders are repeated: {list(chosen)}")
        unknown = [c for c in chosen if c not in set(present)]
        if unknown:
            raise AgreementInputError(
                f"unknown coder(s) {', '.join(map(repr, unknown))}; "
                f"coders in codings: {', '.join(map(repr, sort_labels(present)))}"
            )
    if len(chosen) < min_coders:
        raise AgreementInputError(f"need at least {min_coders} coders, got {len(chosen)}")
    chosen_index = pd.Index(list(chosen), tupleize_cols=False).get_indexer(coder_labels)
    coder_all = np.where(coder_found >= 0, chosen_index[coder_found], -1)

    selected = coder_all >= 0
    if selected.all():
        frame, coder = codings, coder_all
    else:
        frame, coder = codings.loc[selected, list(REQUIRED_COLUMNS)], coder_all[selected]
    for name in ("transcript_id", "code_id"):
        if frame[name].isna().any():
            raise AgreementInputError(f"column '{name}' has missing values")
    start = _integer_column(frame, "start")
    end = _integer_column(frame, "end")

    transcript = _positions(transcripts, frame["transcript_id"])
    if (transcript < 0).any():
        raise AgreementInputError(f"transcript not in lengths: {_first_bad(frame, transcript < 0)}")
    if (start < 0).any():
        raise AgreementInputError(f"start < 0: {_first_bad(frame, start < 0)}")
    if (start >= end).any():
        raise AgreementInputError(f"start >= end: {_first_bad(frame, start >= end)}")
    too_long = end > length_array[transcript]
    if too_long.any():
        raise AgreementInputError(f"end > transcript length: {_first_bad(frame, too_long)}")

    code, code_labels = _factorize_sorted(frame["code_id"])
    codes = tuple(code_labels)
    transcript, code, coder, start, end = _sorted_distinct(
        transcript, code, coder, start, end, len(codes), len(chosen), int(length_array.max()) + 1
    )
    return SpanData(
        transcripts=transcripts,
        codes=codes,
        coders=chosen,
        lengths=length_array,
        transcript=transcript,
        code=code,
        coder=coder,
        start=start,
        end=end,
    )

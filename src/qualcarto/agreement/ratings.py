# SPDX-License-Identifier: MIT
"""Turn a coders x units table of ratings into category indices the measures can count.

Every coefficient in :mod:`qualcarto.agreement.coefficients` starts here: the ratings are
checked once, missing values (``None``/NaN) are found once, and each value is replaced
by the index of its category in a fixed, ordered category list. The measures then work
on a *counts* matrix (units x categories: how many coders put unit u in category c),
which is also what the span sweeps produce, so both paths share one implementation of
each formula.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from qualcarto.errors import ValidationError

RatingsLike: TypeAlias = Sequence[Sequence[Any]] | np.ndarray | pd.DataFrame
"""Coders x units: a list of lists, a 2-D numpy array or a DataFrame with coders as rows."""


class AgreementInputError(ValidationError, ValueError):
    """The input to an agreement measure is malformed (shape, values, columns, offsets)."""


class UndefinedAgreementError(ValidationError, ValueError):
    """The measure is undefined for this data, e.g. chance agreement is 1 (one category)."""


@dataclass(frozen=True)
class Ratings:
    """Validated ratings: ``codes[i, u]`` is the category index coder i gave unit u, -1 if missing."""

    codes: np.ndarray
    categories: tuple[Hashable, ...]

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    def counts(self) -> np.ndarray:
        """Units x categories matrix: how many coders assigned each unit to each category."""
        q = len(self.categories)
        n_units = self.n_units
        flat = np.arange(n_units, dtype=np.int64) * q + self.codes
        present = self.codes >= 0
        if not present.all():
            flat = flat[present]
        counts = np.bincount(flat.ravel(), minlength=n_units * q).reshape(n_units, q)
        return counts.astype(np.float64)


def sort_labels(values: Sequence[Hashable]) -> list[Hashable]:
    """Numbers ascending, then strings ascending; first-seen order if values do not compare."""
    try:
        return sorted(values)  # type: ignore[type-var]
    except TypeError:
        pass
    try:
        return sorted(values, key=lambda v: (isinstance(v, str), v))  # type: ignore[arg-type]
    except TypeError:
        return list(values)


def _as_matrix(ratings: RatingsLike) -> np.ndarray:
    if isinstance(ratings, pd.DataFrame):
        matrix = ratings.to_numpy()
    elif isinstance(ratings, np.ndarray):
        matrix = ratings
    else:
        try:
            rows = [list(row) for row in ratings]
        except TypeError as exc:
            raise AgreementInputError(
                "ratings must be coders x units: a list of lists, a 2-D array or a DataFrame"
            ) from exc
        lengths = {len(row) for row in rows}
        if len(lengths) > 1:
            raise AgreementInputError(
                f"every coder needs one value per unit (None for missing); row lengths {sorted(lengths)}"
            )
        matrix = np.empty((len(rows), lengths.pop() if lengths else 0), dtype=object)
        for i, row in enumerate(rows):
            matrix[i, :] = row
    if matrix.ndim != 2:
        raise AgreementInputError(f"ratings must be 2-D (coders x units), got {matrix.ndim}-D")
    return matrix


def normalize_ratings(
    ratings: RatingsLike,
    categories: Sequence[Hashable] | None = None,
    *,
    min_coders: int = 2,
) -> Ratings:
    """Validate coders x units ratings and index their values by category.

    ``None``, NaN and ``pd.NA`` mark a missing value. Without ``categories`` the category
    list is the sorted set of values present; with it, the list is taken as given (order
    and unused categories included) and any other value is an error.
    """
    matrix = _as_matrix(ratings)
    n_coders, n_units = matrix.shape
    if n_coders < min_coders:
        raise AgreementInputError(f"need at least {min_coders} coders (rows), got {n_coders}")
    if n_units == 0:
        raise AgreementInputError("ratings have no units (columns)")
    flat = matrix.ravel()
    if flat.dtype == object:
        flat = np.array([v.item() if isinstance(v, np.generic) else v for v in flat], dtype=object)
    if flat.dtype.kind == "c":
        raise AgreementInputError("complex ratings are not categories")
    missing = np.asarray(pd.isna(flat), dtype=bool)
    if categories is None and flat.dtype.kind in "iufb":
        index, uniques = pd.factorize(flat, sort=True, use_na_sentinel=True)
        cats: tuple[Hashable, ...] = tuple(uniques.tolist())
    elif categories is None:
        index, uniques = pd.factorize(flat, use_na_sentinel=True)
        found = list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)
        ordered = sort_labels(found)
        if ordered != found:
            position = {v: i for i, v in enumerate(ordered)}
            remap = np.array([position[v] for v in found], dtype=np.int64)
            index = np.where(index >= 0, remap[np.maximum(index, 0)], -1)
        cats = tuple(ordered)
    else:
        cats = tuple(v.item() if isinstance(v, np.generic) else v for v in categories)
        if len(set(cats)) != len(cats):
            raise AgreementInputError(f"categories contain duplicates: {list(categories)}")
        if pd.isna(np.array(cats, dtype=object)).any():
            raise AgreementInputError("categories must not contain a missing value")
        lookup = pd.Index(list(cats), dtype=object)
        index = lookup.get_indexer(pd.Index(flat, dtype=object))
        unknown = (index < 0) & ~missing
        if unknown.any():
            strange = sorted({repr(v) for v in flat[unknown]})[:5]
            raise AgreementInputError(
                f"values not in categories {list(cats)}: {', '.join(strange)}"
            )
    codes = np.asarray(index, dtype=np.int64).reshape(n_coders, n_units)
    if missing.any():
        codes[missing.reshape(n_coders, n_units)] = -1
    return Ratings(codes=codes, categories=cats)

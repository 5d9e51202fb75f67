# SPDX-License-Identifier: MIT
"""Agreement coefficients for coders who rate the same units, each written once.

The public functions take coders x units ratings (see :mod:`.ratings`). Each rests on a
kernel over a *counts* matrix (units x categories, with optional unit weights), which
the span measures reuse: a character or a transcript is just a unit, and a pooled 2x2
table is four kinds of unit with their frequencies as weights. So every statistic has
exactly one implementation, whichever unit it is computed on.

Names follow the papers: ``p_o``/``p_e`` (Cohen), ``P_bar``/``P_e_bar`` (Fleiss),
``p_a``/``pi_k`` (Gwet), ``o_ck``/``n_c``/``delta2`` (Krippendorff).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from numbers import Real
from typing import Literal, TypeAlias

import numpy as np

from qualcarto.agreement.ratings import (
    AgreementInputError,
    RatingsLike,
    UndefinedAgreementError,
    normalize_ratings,
)

Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
KappaWeights: TypeAlias = Literal["linear", "quadratic"] | np.ndarray | None

LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


# --- kernels over counts (units x categories) ------------------------------------------


def _unit_weights(counts: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    if weights is None:
        return np.ones(counts.shape[0])
    return np.asarray(weights, dtype=np.float64)


def observed_agreement(counts: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Share of agreeing ordered coder pairs, averaged over units with two or more values.

    ``p_a = (1/n') Σ_{i: r_i≥2} Σ_k r_ik(r_ik−1) / (r_i(r_i−1))`` (Gwet 2014, eq. for
    multiple raters; Fleiss 1971 ``P̄`` when every unit has the same number of ratings).
    """
    w = _unit_weights(counts, weights)
    r_i = counts.sum(axis=1)
    pairable = (r_i >= 2) & (w > 0)
    if not pairable.any():
        raise UndefinedAgreementError("no unit has values from two or more coders")
    r = r_i[pairable]
    agree = (counts[pairable] * (counts[pairable] - 1)).sum(axis=1) / (r * (r - 1))
    return float(np.dot(w[pairable], agree) / w[pairable].sum())


def classification_probabilities(
    counts: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """``π_k = (1/n) Σ_i r_ik / r_i`` over all rated units (Gwet 2014; Fleiss 1971 ``p_j``)."""
    w = _unit_weights(counts, weights)
    r_i = counts.sum(axis=1)
    rated = (r_i >= 1) & (w > 0)
    if not rated.any():
        raise UndefinedAgreementError("no unit has a value")
    shares = counts[rated] / r_i[rated, None]
    return np.asarray(w[rated] @ shares / w[rated].sum())


def fleiss_kappa_from_counts(counts: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Fleiss' kappa ``(P̄ − P̄_e)/(1 − P̄_e)``, ``P̄_e = Σ_j p_j²`` (Fleiss 1971).

    With unequal numbers of ratings per unit this is Gwet's (2014) generalisation, as in
    irrCAC's ``fleiss.kappa.raw``.
    """
    P_bar = observed_agreement(counts, weights)
    p_j = classification_probabilities(counts, weights)
    P_e_bar = float(np.sum(p_j**2))
    if np.isclose(P_e_bar, 1.0, rtol=0.0, atol=1e-12):
        raise UndefinedAgreementError("Fleiss' kappa is undefined: only one category was used")
    return (P_bar - P_e_bar) / (1.0 - P_e_bar)


def gwet_ac1_from_counts(counts: np.ndarray, q: int, weights: np.ndarray | None = None) -> float:
    """Gwet's AC1 ``(p_a − p_e)/(1 − p_e)``, ``p_e = Σ_k π_k(1−π_k)/(q−1)`` (Gwet 2008)."""
    if q < 2:
        raise UndefinedAgreementError("Gwet's AC1 needs at least two categories")
    p_a = observed_agreement(counts, weights)
    pi_k = classification_probabilities(counts, weights)
    p_e = float(np.sum(pi_k * (1.0 - pi_k)) / (q - 1))
    return (p_a - p_e) / (1.0 - p_e)


def brennan_prediger_from_agreement(p_o: float, q: int) -> float:
    """Free-marginal kappa ``(p_o − 1/q)/(1 − 1/q)`` (Brennan & Prediger 1981).

    Also Bennett, Alpert & Goldstein's S (1954) and, for many coders, Randolph's (2005)
    free-marginal multirater kappa; MAXQDA's segment kappa with q = number of codes.
    """
    if q < 2:
        raise UndefinedAgreementError("Brennan-Prediger kappa needs at least two categories")
    p_e = 1.0 / q
    return (p_o - p_e) / (1.0 - p_e)


def coincidence_matrix(counts: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Krippendorff's coincidences ``o_ck = Σ_u (ordered c–k pairs in u)/(m_u − 1)``.

    Accumulated as one matrix product over the counts (O(units x categories) memory)
    instead of a units x categories x categories array.
    """
    m_u = counts.sum(axis=1)
    if weights is None and m_u.size and m_u.min() == m_u.max() and m_u[0] >= 2:
        # Every unit has the same number of values: one Gram matrix, scaled once.
        o_ck = counts.T @ counts
        o_ck[np.diag_indices_from(o_ck)] -= counts.sum(axis=0)
        return np.asarray(o_ck / (m_u[0] - 1.0))
    w = _unit_weights(counts, weights)
    pairable = (m_u >= 2) & (w > 0)
    c = counts[pairable]
    scaled = c * (w[pairable] / (m_u[pairable] - 1.0))[:, None]
    o_ck = c.T @ scaled
    o_ck[np.diag_indices_from(o_ck)] -= scaled.sum(axis=0)
    return np.asarray(o_ck)


def difference_function(
    level: Level, categories: Sequence[Hashable], n_c: np.ndarray
) -> np.ndarray:
    """Krippendorff's squared differences ``δ²_ck`` for a level of measurement (2011, sec. D).

    Ordinal differences use the marginal frequencies ``n_g`` in category order, interval
    and ratio differences the numeric category values.
    """
    q = len(categories)
    if level == "nominal":
        return np.asarray(1.0 - np.eye(q))
    if level == "ordinal":
        cum = np.cumsum(n_c)
        c, k = np.meshgrid(np.arange(q), np.arange(q), indexing="ij")
        low, high = np.minimum(c, k), np.maximum(c, k)
        between = cum[high] - cum[low] + n_c[low]
        return np.asarray((between - (n_c[c] + n_c[k]) / 2.0) ** 2)
    if level in ("interval", "ratio"):
        if not all(isinstance(v, Real) for v in categories):
            raise AgreementInputError(f"{level} alpha needs numeric values, got {list(categories)}")
        v = np.asarray(categories, dtype=np.float64)
        diff = v[:, None] - v[None, :]
        if level == "interval":
            return np.asarray(diff**2)
        total = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total == 0, 0.0, diff / np.where(total == 0, 1.0, total))
        return np.asarray(ratio**2)
    raise AgreementInputError(f"level must be one of {list(LEVELS)}, got {level!r}")


def alpha_from_counts(
    counts: np.ndarray,
    level: Level = "nominal",
    categories: Sequence[Hashable] | None = None,
    weights: np.ndarray | None = None,
) -> float:
    """Krippendorff's alpha ``1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck`` (Krippendorff 2011)."""
    o_ck = coincidence_matrix(counts, weights)
    n_c = o_ck.sum(axis=1)
    n = float(n_c.sum())
    if n == 0:
        raise UndefinedAgreementError("no unit has values from two or more coders")
    cats = categories if categories is not None else list(range(counts.shape[1]))
    delta2 = difference_function(level, cats, n_c)
    expected = float(n_c @ delta2 @ n_c)
    if expected == 0:
        raise UndefinedAgreementError(
            "Krippendorff's alpha is undefined: the pairable values show no variation"
        )
    return 1.0 - (n - 1.0) * float(np.sum(o_ck * delta2)) / expected


# --- two coders: contingency tables ----------------------------------------------------


def table_to_counts(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A two-coder q x q table as q² kinds of unit: counts rows ``e_i + e_j``, weights ``n_ij``."""
    q = table.shape[0]
    eye = np.eye(q)
    counts = (eye[:, None, :] + eye[None, :, :]).reshape(q * q, q)
    return counts, np.asarray(table, dtype=np.float64).reshape(q * q)


def _check_table(table: np.ndarray) -> np.ndarray:
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise AgreementInputError(f"a contingency table must be square, got shape {t.shape}")
    if (t < 0).any() or not np.isfinite(t).all():
        raise AgreementInputError("a contingency table holds non-negative finite counts")
    if t.sum() == 0:
        raise UndefinedAgreementError("no unit was rated by both coders")
    return t


def kappa_agreement_weights(weights: KappaWeights, q: int) -> np.ndarray:
    """Agreement weights ``w_ij``: identity, linear ``1 − |i−j|/(q−1)`` or quadratic
    ``1 − (i−j)²/(q−1)²`` on category ranks (Cohen 1968; Fleiss & Cohen 1973), or a
    given q x q matrix (rows: first coder's category, columns: second coder's)."""
    if weights is None:
        return np.eye(q)
    if isinstance(weights, str):
        if weights not in ("linear", "quadratic"):
            raise AgreementInputError(
                f"weights must be None, 'linear', 'quadratic' or a matrix, got {weights!r}"
            )
        if q < 2:
            return np.eye(q)
        i, j = np.meshgrid(np.arange(q), np.arange(q), indexing="ij")
        power = 1 if weights == "linear" else 2
        return np.asarray(1.0 - np.abs(i - j) ** power / (q - 1) ** power)
    return _matrix(weights, q)


def _matrix(weights: np.ndarray, q: int) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (q, q):
        raise AgreementInputError(
            f"a weight matrix for {q} categories must be {q}x{q}, got {w.shape}"
        )
    return w


def percent_agreement_from_table(table: np.ndarray) -> float:
    """Share of units on the diagonal of a two-coder table (the two-coder ``p_a``)."""
    t = _check_table(table)
    counts, weights = table_to_counts(t)
    return observed_agreement(counts, weights)


def cohen_kappa_from_table(table: np.ndarray, weights: KappaWeights = None) -> float:
    """Cohen's kappa from a two-coder table (rows: first coder, columns: second coder).

    ``κ_w = (p_o − p_e)/(1 − p_e)`` with ``p_o = Σ w_ij p_ij`` and
    ``p_e = Σ w_ij p_i. p_.j`` (Cohen 1960; weighted: Cohen 1968). Unweighted, w is the
    identity and ``p_e = Σ_i p_i. p_.i`` uses each coder's own margins.
    """
    t = _check_table(table)
    p_ij = t / t.sum()
    w_ij = kappa_agreement_weights(weights, t.shape[0])
    p_o = float(np.sum(w_ij * p_ij))
    p_e = float(np.sum(w_ij * np.outer(p_ij.sum(axis=1), p_ij.sum(axis=0))))
    if np.isclose(p_e, 1.0, rtol=0.0, atol=1e-12):
        raise UndefinedAgreementError(
            "Cohen's kappa is undefined: chance agreement is 1 (both coders used one category)"
        )
    return (p_o - p_e) / (1.0 - p_e)


# --- public measures on ratings --------------------------------------------------------


def percent_agreement(ratings: RatingsLike) -> float:
    """Percent agreement (as a share in [0, 1]) of coders x units ratings.

    For two coders: the share of units, among those both rated, with the same value. For
    more: the mean over units with at least two values of the share of agreeing coder
    pairs (Fleiss 1971 ``P̄``; Gwet 2014 ``p_a``).
    """
    return observed_agreement(normalize_ratings(ratings).counts())


def cohen_kappa(
    ratings: RatingsLike,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
) -> float:
    """Cohen's kappa for exactly two coders, optionally weighted (Cohen 1960, 1968).

    Units missing a value from either coder are dropped. ``weights``: ``None``,
    ``"linear"``, ``"quadratic"`` (on the ranks of ``categories``; without them, on the
    categories present in the paired units, as R irr and scikit-learn do) or a q x q
    matrix of agreement weights in ``categories`` order (rows: first coder).
    """
    r = normalize_ratings(ratings, categories)
    if r.n_coders != 2:
        raise AgreementInputError(f"Cohen's kappa takes exactly two coders, got {r.n_coders}")
    a, b = r.codes
    both = (a >= 0) & (b >= 0)
    if not both.any():
        raise UndefinedAgreementError("no unit was rated by both coders")
    q = len(r.categories)
    table = np.bincount(a[both] * q + b[both], minlength=q * q).reshape(q, q)
    if categories is None:
        used = (table.sum(axis=0) + table.sum(axis=1)) > 0
        table = table[used][:, used]
    return cohen_kappa_from_table(table, weights)


def fleiss_kappa(ratings: RatingsLike, categories: Sequence[Hashable] | None = None) -> float:
    """Fleiss' kappa for two or more coders (Fleiss 1971); with missing values, Gwet's
    (2014) generalisation: ``P̄`` over units with two or more values, ``p_j`` averaged
    over all rated units (as irrCAC)."""
    return fleiss_kappa_from_counts(normalize_ratings(ratings, categories).counts())


def krippendorff_alpha(
    ratings: RatingsLike,
    level: Level = "nominal",
    categories: Sequence[Hashable] | None = None,
) -> float:
    """Krippendorff's alpha at a level of measurement, any number of coders, missing
    values allowed (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").

    Units with fewer than two values are unpairable and dropped. ``categories`` fixes the
    order of the values for ordinal data given as strings; interval and ratio data must
    be numeric.
    """
    if level not in LEVELS:
        raise AgreementInputError(f"level must be one of {list(LEVELS)}, got {level!r}")
    r = normalize_ratings(ratings, categories)
    return alpha_from_counts(r.counts(), level, r.categories)


def gwet_ac1(ratings: RatingsLike, categories: Sequence[Hashable] | None = None) -> float:
    """Gwet's AC1 for two or more coders with missing values (Gwet 2008; 2014 Handbook).

    ``q`` is the number of ``categories`` when given, else of the values present; a
    declared but unused category changes AC1, so pass the full scale when it matters.
    """
    r = normalize_ratings(ratings, categories)
    return gwet_ac1_from_counts(r.counts(), len(r.categories))


def brennan_prediger(ratings: RatingsLike, categories: Sequence[Hashable]) -> float:
    """Brennan & Prediger's (1981) kappa: chance agreement ``1/q``, q = ``len(categories)``.

    Observed agreement as in :func:`percent_agreement`.
    """
    if categories is None:
        raise AgreementInputError("brennan_prediger needs the category list (its q)")
    r = normalize_ratings(ratings, categories)
    p_o = observed_agreement(r.counts())
    return brennan_prediger_from_agreement(p_o, len(r.categories))

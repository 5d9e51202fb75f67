# SPDX-License-Identifier: MIT
"""The unitizing alphas of Krippendorff, Mathet, Bouvry & Widlöcher (2016): ``uα``,
``|uα``, ``cuα`` and ``(k)uα``.

Krippendorff, K., Mathet, Y., Bouvry, S., Widlöcher, A. (2016), "On the reliability of
unitizing textual continua: Further developments", Quality & Quantity 50:2347-2364
(also Krippendorff 2019, Content Analysis 4th ed., sec. 12.6). Each coder cuts the
continuum (the transcripts laid end to end; nothing crosses a transcript boundary) into
units, each with one category (here: a code), and gaps (category ``φ``). Pairing every
character of one coder with the same character of every other coder gives the observed
coincidences

    l_ck = 1/(m−1) Σ_{i≠j} Σ_{g of i, h of j} |g ∩ h| [g has c, h has k],  l_.. = mL,

and the expected ones, pairing characters at random except within the same unit,

    e_ck = l_.. (l_c. l_.k − [c = k] S_c) / (l_..² − Σ_c S_c),

where ``S_c`` sums ``l_g²`` over the units of c (a unit's characters cannot pair with
one another) and ``l_g`` over the gaps (a gap's characters can). Then

* ``uα = 1 − Σ_{c≠k} l_ck / Σ_{c≠k} e_ck``: unitizing and coding together;
* ``|uα``: the same with every code one category ("coded"), i.e. whether coders agree on
  what is relevant at all; each coder's units are then the union of their codings. Per
  code (``code_id`` the code), the same for that code's codings alone: defined however
  codes overlap, so it is the member to read for qualitative coding, where a passage
  often carries several codes;
* ``cuα``: coding of the units that overlap, from the coincidences of units only (gaps
  left out), whose expected values pair characters that another coder also coded:
  ``S*_c`` sums the squared pairable length of each unit of c;
* ``(k)uα``: per code k, within the ``cuα`` coincidences, the share of k's pairings that
  disagree against its expected share: ``1 − (e*_.k/l*_.k)(l*_.k − l*_kk)/(e*_.k − e*_kk)``.

``uα``, ``cuα`` and ``(k)uα`` assume that a coder gives each character at most one
category; a coder whose codings of two codes share characters makes them undefined
(the note says who). qualcarto's per-code unitizing alpha (:mod:`.unitized`, Krippendorff
1995) is the measure for overlapping codes. Spans of one code by one coder that share a
character are one unit; spans that only touch stay two.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcarto.agreement.codings import ALL_CODES, SpanData, validate_codings
from qualcarto.agreement.spans import merge_overlaps

FAMILY = ("|uα", "uα", "cuα", "(k)uα")
FAMILY_COLUMNS = ["measure", "code_id", "alpha", "note"]


def _units(data: SpanData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merged units as (coder, code, global start, global end), same-code overlaps joined."""
    m, n_codes = len(data.coders), len(data.codes)
    key = (data.transcript * n_codes + data.code) * m + data.coder
    g, s, e = merge_overlaps(key, data.start, data.end)
    offset = np.concatenate([[0], np.cumsum(data.lengths)[:-1]]).astype(np.int64)
    base = offset[g // m // n_codes]
    return g % m, (g // m) % n_codes, base + s, base + e


def _overlapping(coder: np.ndarray, start: np.ndarray, end: np.ndarray, L: int) -> list[int]:
    """The coders with two units sharing a character (units of one code are merged, so
    these are units of different codes)."""
    first = coder.astype(np.int64) * (L + 1) + start
    last = coder.astype(np.int64) * (L + 1) + end
    order = np.argsort(first, kind="stable")
    reach = np.maximum.accumulate(last[order])
    clash = first[order][1:] < reach[:-1]
    return sorted({int(c) for c in coder[order][1:][clash]})


def _values(
    coder: np.ndarray, code: np.ndarray, start: np.ndarray, end: np.ndarray, m: int, L: int
) -> np.ndarray:
    """Each coder's category per character (0: gap, c + 1: code c); units must not overlap."""
    steps = np.zeros((m, L + 1), dtype=np.int32)
    np.add.at(steps, (coder, start), code + 1)
    np.add.at(steps, (coder, end), -(code + 1))
    return np.cumsum(steps, axis=1, dtype=np.int32)[:, :L]


def _coincidences(values: np.ndarray, v: int) -> np.ndarray:
    """Observed coincidence matrix ``l`` (v × v, index 0 the gap)."""
    m = values.shape[0]
    pairs = np.zeros((v, v))
    for i in range(m):
        for j in range(i + 1, m):
            counts = np.bincount(values[i] * v + values[j], minlength=v * v).reshape(v, v)
            pairs += counts + counts.T
    return pairs / (m - 1)


def _expected(observed: np.ndarray, S: np.ndarray) -> np.ndarray:
    total = observed.sum()
    rows, cols = observed.sum(axis=1), observed.sum(axis=0)
    return total * (np.outer(rows, cols) - np.diag(S)) / (total**2 - S.sum())


def _alpha(observed: np.ndarray, expected: np.ndarray) -> float:
    D_o = observed.sum() - np.trace(observed)
    D_e = expected.sum() - np.trace(expected)
    return float(1.0 - D_o / D_e) if D_e > 0 else float("nan")


def unitizing_family(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """``|uα``, ``uα``, ``cuα`` (rows with ``code_id`` "(all)"), ``|uα`` and ``(k)uα`` per code.

    Columns ``measure``, ``code_id``, ``alpha`` (NaN where undefined) and ``note`` (why
    it is undefined). Any number of coders (``None``: all in ``codings``).
    """
    return family_frame(validate_codings(codings, lengths, coders))


def _binary_alphas(
    coder: np.ndarray,
    group: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    m: int,
    L: int,
    n_groups: int,
) -> np.ndarray:
    """``|uα`` per group of units (a code, or one group for all codes), from intervals.

    With ``U_i`` the union of coder i's units in the group, the binary coincidences are
    ``l_11 = Σ_{i≠j} |U_i ∩ U_j| / (m−1)``, ``l_10 = l_01 = Σ_i |U_i| − l_11`` and
    ``l_00 = mL − l_11 − 2 l_10``; ``S_1`` sums the squared unit lengths and ``S_φ``, the
    gaps' lengths, is ``mL − Σ_i |U_i|``.
    """
    g, s, e = merge_overlaps(group * m + coder, start, end)
    length = (e - s).astype(np.float64)
    within, who = g // m, g % m
    covered = np.bincount(g, weights=length, minlength=n_groups * m).reshape(n_groups, m)
    S_1 = np.bincount(within, weights=length**2, minlength=n_groups)
    shared = np.zeros(n_groups)
    for i in range(m):
        for j in range(i + 1, m):
            pick = (who == i) | (who == j)
            ug, us, ue = merge_overlaps(within[pick], s[pick], e[pick])
            union = np.bincount(ug, weights=(ue - us).astype(np.float64), minlength=n_groups)
            shared += covered[:, i] + covered[:, j] - union
    total = float(m * L)
    l_11 = 2.0 * shared / (m - 1)
    l_10 = covered.sum(axis=1) - l_11
    l_00 = total - l_11 - 2.0 * l_10
    S_0 = total - covered.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        e_10 = total * (l_11 + l_10) * (l_00 + l_10) / (total**2 - S_0 - S_1)
        alpha = np.where((e_10 > 0) & (covered.sum(axis=1) > 0), 1.0 - l_10 / e_10, np.nan)
    return np.asarray(alpha, dtype=np.float64)


def family_frame(data: SpanData) -> pd.DataFrame:
    """The :func:`unitizing_family` table for validated spans."""
    m, n_codes = len(data.coders), len(data.codes)
    L = int(data.lengths.sum())
    coder, code, start, end = _units(data)
    rows: list[tuple[str, object, float, str]] = []

    everything = _binary_alphas(coder, np.zeros_like(code), start, end, m, L, 1)
    per_code = _binary_alphas(coder, code, start, end, m, L, n_codes)
    rows.append(("|uα", ALL_CODES, float(everything[0]), ""))
    rows += [("|uα", name, float(a), "") for name, a in zip(data.codes, per_code, strict=True)]

    overlapping = _overlapping(coder, start, end, L)
    if overlapping:
        who = ", ".join(str(data.coders[i]) for i in overlapping)
        note = f"undefined: {who} put two codes on the same characters (see |uα per code)"
        rows += [(name, ALL_CODES, float("nan"), note) for name in ("uα", "cuα")]
        rows += [("(k)uα", c, float("nan"), note) for c in data.codes]
        return pd.DataFrame(rows, columns=FAMILY_COLUMNS)
    v = n_codes + 1
    values = _values(coder, code, start, end, m, L)
    lengths = (end - start).astype(np.float64)
    S = np.bincount(code + 1, weights=lengths**2, minlength=v)
    S[0] = m * L - lengths.sum()  # the gaps' characters, however they are cut
    observed = _coincidences(values, v)
    rows.append(("uα", ALL_CODES, _alpha(observed, _expected(observed, S)), ""))

    coded = values > 0
    others = coded.sum(axis=0)[None, :] - coded  # how many other coders coded each character
    reach = np.concatenate([np.zeros((m, 1)), np.cumsum(others > 0, axis=1)], axis=1)
    pairable = reach[coder, end] - reach[coder, start]
    star = observed[1:, 1:]
    S_star = np.bincount(code, weights=pairable**2, minlength=n_codes)
    if star.sum() > 0 and star.sum() ** 2 > S_star.sum():
        expected_star = _expected(star, S_star)
        cu = _alpha(star, expected_star)
        rows.append(("cuα", ALL_CODES, cu, "" if cu == cu else "undefined: one code only"))
        col_l, col_e = star.sum(axis=0), expected_star.sum(axis=0)
        for k, name in enumerate(data.codes):
            D_o, D_e = col_l[k] - star[k, k], col_e[k] - expected_star[k, k]
            ok = col_l[k] > 0 and D_e > 0
            value = 1.0 - (col_e[k] / col_l[k]) * D_o / D_e if ok else float("nan")
            rows.append(("(k)uα", name, float(value), "" if ok else "undefined: no pairs"))
    else:
        note = "undefined: no coder's unit overlaps another coder's"
        rows.append(("cuα", ALL_CODES, float("nan"), note))
        rows += [("(k)uα", c, float("nan"), note) for c in data.codes]
    return pd.DataFrame(rows, columns=FAMILY_COLUMNS)


__all__ = ["FAMILY", "FAMILY_COLUMNS", "family_frame", "unitizing_family"]

# SPDX-License-Identifier: MIT
"""Krippendorff's unitizing alpha (``_uα``) for coded spans, per code and overall.

Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological
Methodology 25:47-76; Krippendorff (2004), Content Analysis, 2nd ed., sec. 12.4 (the
worked example on p. 254). Each code is evaluated on its own: every coder's text is cut
into units of that code and the gaps between them, and the disagreement of two coders
is measured by how far the boundaries of overlapping units lie apart (or, for a unit the
other coder left entirely uncoded, by its squared length). Because every code is
evaluated alone, units of different codes may overlap, which suits qualitative coding.

The continuum is the transcripts laid end to end (``L`` = total length); a unit or gap
never crosses a transcript boundary. A coder's spans of one code that share a character
are merged into one unit first; spans that only touch stay two units.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from qualcarto.agreement.codings import ALL_CODES, SpanData, validate_codings
from qualcarto.intervals import merge_overlaps


def _pair_disagreement(
    data: SpanData, coder: np.ndarray, group: np.ndarray, s: np.ndarray, e: np.ndarray
) -> np.ndarray:
    """Σ over coder pairs of Σ δ²(g, h) per code (Krippendorff 1995, eq. for ``D_o``).

    ``δ²(g, h) = (b_g − b_h)² + (e_g − e_h)²`` for overlapping units, ``l_g²`` for a unit
    lying in a gap of the other coder; gaps against gaps contribute 0.
    """
    n_codes, m = len(data.codes), len(data.coders)
    stride = data.stride
    code = group % n_codes
    total = np.zeros(n_codes)
    length = (e - s).astype(np.float64)
    for i in range(m):
        for j in range(i + 1, m):
            a, b = np.flatnonzero(coder == i), np.flatnonzero(coder == j)
            start_b = group[b] * stride + s[b]
            end_b = group[b] * stride + e[b]
            lo = np.searchsorted(end_b, group[a] * stride + s[a], side="right")
            hi = np.searchsorted(start_b, group[a] * stride + e[a], side="left")
            n_overlap = np.maximum(hi - lo, 0)
            pair_a = np.repeat(np.arange(a.size), n_overlap)
            first = np.repeat(lo - (np.cumsum(n_overlap) - n_overlap), n_overlap)
            pair_b = first + np.arange(int(n_overlap.sum()))
            ra, rb = a[pair_a], b[pair_b]
            begin_diff, end_diff = (
                (s[ra] - s[rb]).astype(np.float64),
                (e[ra] - e[rb]).astype(np.float64),
            )
            delta2 = begin_diff**2 + end_diff**2
            total += np.bincount(code[ra], weights=delta2, minlength=n_codes)
            alone_a = a[n_overlap == 0]
            alone_b = b[np.bincount(pair_b, minlength=b.size) == 0]
            for alone in (alone_a, alone_b):
                total += np.bincount(code[alone], weights=length[alone] ** 2, minlength=n_codes)
    return total


def _gaps(
    data: SpanData, coder: np.ndarray, group: np.ndarray, s: np.ndarray, e: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Code and length of every gap of every coder (stretches without a unit of the code)."""
    n_t, n_codes, m = len(data.transcripts), len(data.codes), len(data.coders)
    transcript_length = data.lengths[group // n_codes]
    cell = group * m + coder
    same_cell = np.zeros(cell.size, dtype=bool)
    same_cell[1:] = cell[1:] == cell[:-1]
    inner = s[1:][same_cell[1:]] - e[:-1][same_cell[1:]]
    inner_code = (group[1:][same_cell[1:]]) % n_codes
    first = ~same_cell
    last = np.append(~same_cell[1:], True)
    leading, trailing = s[first], transcript_length[last] - e[last]
    has_units = np.bincount(cell, minlength=n_t * n_codes * m).reshape(n_t, n_codes, m) > 0
    empty_t, empty_c, _ = np.nonzero(~has_units)
    gap_code = np.concatenate([inner_code, group[first] % n_codes, group[last] % n_codes, empty_c])
    gap_length = np.concatenate([inner, leading, trailing, data.lengths[empty_t]])
    keep = gap_length > 0
    return gap_code[keep], gap_length[keep]


def _expected_disagreement(
    data: SpanData, coder: np.ndarray, group: np.ndarray, s: np.ndarray, e: np.ndarray
) -> np.ndarray:
    """``D_e`` per code (Krippendorff 1995; 2004 p. 253, as implemented in DKPro Statistics).

    ``D_e(c) = [2/L Σ_g ((N_c−1)(2l_g³−3l_g²+l_g)/3 + l_g² Σ_{gaps h, l_h≥l_g}(l_h−l_g+1))]
    / [mL(mL−1) − Σ_g l_g(l_g−1)]``, g over the units of code c of all coders.
    """
    n_codes, m = len(data.codes), len(data.coders)
    L = float(data.lengths.sum())
    code = group % n_codes
    l_g = (e - s).astype(np.float64)
    N_c = np.bincount(code, minlength=n_codes).astype(np.float64)
    gap_code, gap_length = _gaps(data, coder, group, s, e)
    span = int(gap_length.max(initial=0)) + 2
    gap_key = np.sort(gap_code * span + gap_length)
    cumulative = np.concatenate([[0.0], np.cumsum(gap_key % span, dtype=np.float64)])
    first_fit = np.searchsorted(gap_key, code * span + np.minimum(e - s, span - 1), side="left")
    code_end = np.searchsorted(gap_key, (code + 1) * span, side="left")
    n_fit = (code_end - first_fit).astype(np.float64)
    sum_fit = cumulative[code_end] - cumulative[first_fit]
    positions = sum_fit - (l_g - 1.0) * n_fit
    per_unit = (N_c[code] - 1.0) * (2 * l_g**3 - 3 * l_g**2 + l_g) / 3.0 + l_g**2 * positions
    numerator = 2.0 / L * np.bincount(code, weights=per_unit, minlength=n_codes)
    self_pairs = np.bincount(code, weights=l_g * (l_g - 1.0), minlength=n_codes)
    return np.asarray(numerator / (m * L * (m * L - 1.0) - self_pairs))


def unitized_alpha(
    codings: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Krippendorff's unitizing alpha ``_uα = 1 − D_o/D_e`` per code, with a pooled row.

    Source: Krippendorff (1995) Sociological Methodology 25:47-76 and Content Analysis
    (2004) sec. 12.4; formulas as implemented and checked in DKPro Statistics
    (``KrippendorffAlphaUnitizingAgreement``). ``D_o(c) = 2 Σ_{i<j} Σ δ²(g, h) /
    (m(m−1)L²)``; ``D_e`` see :func:`_expected_disagreement`; the row ``"(all)"`` is
    ``1 − Σ_c D_o(c) / Σ_c D_e(c)`` (its disagreements are means over codes).

    Columns: ``code_id``, ``units`` (merged units of all coders), ``observed_disagreement``,
    ``expected_disagreement``, ``unitized_alpha`` (NaN where ``D_e`` is 0). Any number
    of coders (``None``: all coders in ``codings``).
    """
    return unitized_frame(validate_codings(codings, lengths, coders))


def unitized_frame(data: SpanData) -> pd.DataFrame:
    """The :func:`unitized_alpha` table for validated spans."""
    m = len(data.coders)
    g, s, e = merge_overlaps(data.group * m + data.coder, data.start, data.end, presorted=True)
    coder, group = g % m, g // m
    L = float(data.lengths.sum())
    D_o = 2.0 * _pair_disagreement(data, coder, group, s, e) / (m * (m - 1) * L**2)
    D_e = _expected_disagreement(data, coder, group, s, e)
    units = np.bincount(group % len(data.codes), minlength=len(data.codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(D_e > 0, 1.0 - D_o / np.where(D_e > 0, D_e, 1.0), np.nan)
    total_e = float(D_e.sum())
    overall = 1.0 - float(D_o.sum()) / total_e if total_e > 0 else float("nan")
    n = max(len(data.codes), 1)
    return pd.DataFrame(
        {
            "code_id": pd.Series([*data.codes, ALL_CODES], dtype=object),
            "units": np.append(units, units.sum()),
            "observed_disagreement": np.append(D_o, D_o.sum() / n),
            "expected_disagreement": np.append(D_e, total_e / n),
            "unitized_alpha": np.append(alpha, overall),
        }
    )

# SPDX-License-Identifier: MIT
"""Saturation of a study, as tables: overall and per facet value, recorded and random orders.

Pure: a :class:`SaturationData` (which codes occur in which interview, in the study's
order, and each code's facet values; read from a store by ``qualcarto.saturation_data``)
in, DataFrames out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcarto.saturation.measures import SaturationRule, random_orders, saturation

ALL = "all codes"


@dataclass(frozen=True)
class SaturationData:
    """Code presence per interview, rows in the study's order."""

    transcripts: tuple[str, ...]  # in the order saturation is assessed
    codes: tuple[str, ...]
    presence: np.ndarray  # transcripts x codes, bool
    order: str  # how the transcripts were ordered, said in words
    coders: tuple[str, ...]
    codebook_versions: tuple[int, ...]
    facets: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> code -> value

    def scopes(self) -> list[tuple[str, np.ndarray]]:
        """``(label, code mask)`` for all codes, then each facet value with codes."""
        out = [(ALL, np.ones(len(self.codes), dtype=bool))]
        for facet, values in self.facets.items():
            labels = np.array([values.get(c) or "" for c in self.codes], dtype=object)
            for value in sorted({v for v in labels if v}):
                out.append((f"{facet}: {value}", labels == value))
        return out


SATURATION_COLUMNS = [
    "scope", "codes", "base_codes", "point", "new_in_first_run",
    "orders", "median", "min", "max", "reached",
]  # fmt: skip


def saturation_table(
    data: SaturationData, rule: SaturationRule, n_orders: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """One row per scope: codes found, the base, the point in the study's order
    (NaN: not reached), and over ``n_orders`` random orders the median, minimum and
    maximum point with the share of orders that reach saturation."""
    rows = []
    for label, mask in data.scopes():
        presence = data.presence[:, mask]
        if not presence.any():
            continue
        found = saturation(presence, rule)
        shuffled = random_orders(presence, rule, n_orders, seed).summary()
        rows.append(
            {
                "scope": label,
                "codes": int(found.total_codes),
                "base_codes": found.base_codes,
                "point": np.nan if found.point is None else found.point,
                "new_in_first_run": int(found.new_in_run[0]),
                "orders": n_orders,
                "median": shuffled["median"],
                "min": shuffled["min"],
                "max": shuffled["max"],
                "reached": shuffled["reached"],
            }
        )
    return pd.DataFrame(rows, columns=SATURATION_COLUMNS)


def discovery_table(data: SaturationData, n_orders: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The code-discovery curve: per interview count, codes found in the study's order
    and the median, minimum and maximum over random orders (all codes)."""
    n = len(data.transcripts)
    rule = SaturationRule(base=1, run=1, threshold=0.0)
    if n < 2:
        return pd.DataFrame(columns=["interviews", "transcript", "codes", "median", "min", "max"])
    found = saturation(data.presence, rule)
    band = random_orders(data.presence, rule, n_orders, seed).curve_band()
    return pd.DataFrame(
        {
            "interviews": np.arange(1, n + 1),
            "transcript": list(data.transcripts),
            "codes": found.curve,
            "median": band[:, 0],
            "min": band[:, 1],
            "max": band[:, 2],
        }
    )


__all__ = ["ALL", "SATURATION_COLUMNS", "SaturationData", "discovery_table", "saturation_table"]

# SPDX-License-Identifier: MIT
"""Thematic saturation after Guest, Namey & Chen (2020), and the code-discovery curve.

Pure: a presence matrix (interviews x codes, True where the code occurs in the
interview) and an interview order in, numbers and arrays out.

Guest, Namey & Chen (2020, PLoS ONE 15(5): e0232076) assess saturation with three
parameters: the **base size** b (the first b interviews; the codes found there are the
base), the **run length** r (the interviews just after a point, in which new codes are
sought) and the **new-information threshold** t (new codes in the run as a share of the
base's codes). As read here: after k interviews (k >= b), the run is interviews k+1..k+r;
``new(k)`` is the number of codes in the run that none of the first k interviews had;
saturation is reached at the first k whose ``new(k) / base`` is at most t - the run
confirms the point and is not counted in it. When no complete run meets the threshold,
saturation is not reached (``None``). :func:`random_orders` repeats this over random
interview orders, vectorized; :func:`saturation_point_loop` is the plain-loop
definition the tests and the benchmark compare it with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


class SaturationInputError(ValueError):
    """Parameters or data the saturation measures cannot use; the message says which."""


@dataclass(frozen=True)
class SaturationRule:
    """Guest et al.'s parameters: base size, run length, new-information threshold."""

    base: int = 4
    run: int = 2
    threshold: float = 0.05

    def check(self, n_interviews: int) -> None:
        """A one-line error when the rule cannot be applied to ``n_interviews``."""
        if self.base < 1 or self.run < 1:
            raise SaturationInputError(
                f"base size and run length must be at least 1, got {self.base} and {self.run}"
            )
        if not 0 <= self.threshold < 1:
            raise SaturationInputError(f"threshold must be in [0, 1), got {self.threshold}")
        if self.base + self.run > n_interviews:
            raise SaturationInputError(
                f"base size {self.base} plus run length {self.run} needs at least "
                f"{self.base + self.run} interviews, the study has {n_interviews}"
            )


def discovery_curve(presence: np.ndarray, order: Sequence[int] | None = None) -> np.ndarray:
    """Distinct codes found after 1, 2, ... n interviews taken in ``order``.

    ``presence``: interviews x codes, truthy where the code occurs. ``order``: interview
    indices (default: as given). Returns an int array of length n.
    """
    p = np.asarray(presence, dtype=bool)
    o = np.arange(len(p)) if order is None else np.asarray(order)
    return _curves(p, o[None, :])[0]


def _curves(presence: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """Discovery curves of many orders at once: orders (R x n) -> counts (R x n).

    Each code is first met at the smallest position, in the order, of the interviews
    that have it: the inverse permutation gathered at those interviews and reduced by
    minimum per code - work in proportion to the (interview, code) occurrences.
    """
    n_orders, n = orders.shape
    position = np.empty_like(orders)
    np.put_along_axis(position, orders, np.arange(n)[None, :], axis=1)
    code, interview = np.nonzero(presence.T)  # sorted by code
    if not len(code):
        return np.zeros((n_orders, n), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    first = np.minimum.reduceat(position[:, interview], starts, axis=1)  # R x codes found
    flat = (np.arange(n_orders)[:, None] * n + first).ravel()
    counts = np.bincount(flat, minlength=n_orders * n).reshape(n_orders, n)
    return np.cumsum(counts, axis=1)


def _points(curves: np.ndarray, rule: SaturationRule) -> np.ndarray:
    """Saturation point of each curve (R x n), -1 where it is not reached."""
    n = curves.shape[1]
    seen = np.concatenate([np.zeros((len(curves), 1), np.int64), curves], axis=1)  # D[k]
    base = seen[:, rule.base]
    ks = np.arange(rule.base, n - rule.run + 1)
    new = seen[:, ks + rule.run] - seen[:, ks]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base[:, None] > 0, new / base[:, None], np.where(new > 0, np.inf, 0.0))
    met = ratio <= rule.threshold + 1e-12
    return np.where(met.any(axis=1), ks[met.argmax(axis=1)], -1)


@dataclass(frozen=True)
class SaturationResult:
    """Saturation in one order: the point (``None`` if not reached) and its evidence."""

    point: int | None
    base_codes: int
    total_codes: int
    curve: np.ndarray  # distinct codes after 1..n interviews
    new_in_run: np.ndarray  # new(k) for k = base..n-run
    ratios: np.ndarray  # new(k) / base_codes


def saturation(
    presence: np.ndarray, rule: SaturationRule, order: Sequence[int] | None = None
) -> SaturationResult:
    """Guest et al.'s saturation point in ``order`` (default: the rows' order)."""
    p = np.asarray(presence, dtype=bool)
    rule.check(len(p))
    curve = discovery_curve(p, order)
    point = int(_points(curve[None, :], rule)[0])
    seen = np.concatenate([[0], curve])
    ks = np.arange(rule.base, len(p) - rule.run + 1)
    new = seen[ks + rule.run] - seen[ks]
    base = int(seen[rule.base])
    ratios = new / base if base else np.where(new > 0, np.inf, 0.0)
    return SaturationResult(
        point=None if point < 0 else point,
        base_codes=base,
        total_codes=int(curve[-1]) if len(curve) else 0,
        curve=curve,
        new_in_run=new,
        ratios=np.asarray(ratios, dtype=np.float64),
    )


@dataclass(frozen=True)
class RandomOrders:
    """Saturation over random interview orders: the points and the discovery curves."""

    points: np.ndarray  # one per order, -1 where not reached
    curves: np.ndarray  # orders x interviews

    @property
    def reached(self) -> float:
        """Share of the orders in which saturation was reached."""
        return float((self.points >= 0).mean())

    def summary(self) -> dict[str, float | None]:
        """Median, minimum and maximum of the reached points, and the share reached."""
        hit = self.points[self.points >= 0]
        if not len(hit):
            return {"median": None, "min": None, "max": None, "reached": 0.0}
        return {
            "median": float(np.median(hit)),
            "min": float(hit.min()),
            "max": float(hit.max()),
            "reached": self.reached,
        }

    def curve_band(self) -> np.ndarray:
        """Per interview count: median, minimum and maximum of the discovery curves (n x 3)."""
        c = self.curves
        return np.stack([np.median(c, axis=0), c.min(axis=0), c.max(axis=0)], axis=1)


def random_orders(
    presence: np.ndarray, rule: SaturationRule, n_orders: int = 1000, seed: int = 0
) -> RandomOrders:
    """Saturation in ``n_orders`` random orders of the interviews (seeded), vectorized."""
    p = np.asarray(presence, dtype=bool)
    rule.check(len(p))
    if n_orders < 1:
        raise SaturationInputError(f"need at least one random order, got {n_orders}")
    rng = np.random.default_rng(seed)
    orders = rng.permuted(np.tile(np.arange(len(p)), (n_orders, 1)), axis=1)
    curves = _curves(p, orders)
    return RandomOrders(points=_points(curves, rule), curves=curves)


def saturation_point_loop(
    presence: Sequence[Sequence[bool]], rule: SaturationRule, order: Sequence[int]
) -> int | None:
    """The same point written as the definition reads, with sets and loops (a baseline)."""
    codes = [{c for c, hit in enumerate(row) if hit} for row in presence]
    taken = [codes[i] for i in order]
    base: set[int] = set().union(*taken[: rule.base])
    for k in range(rule.base, len(taken) - rule.run + 1):
        before: set[int] = set().union(*taken[:k])
        run: set[int] = set().union(*taken[k : k + rule.run])
        new = len(run - before)
        if (new == 0) if not base else new / len(base) <= rule.threshold + 1e-12:
            return k
    return None


__all__ = [
    "RandomOrders",
    "SaturationInputError",
    "SaturationResult",
    "SaturationRule",
    "discovery_curve",
    "random_orders",
    "saturation",
    "saturation_point_loop",
]

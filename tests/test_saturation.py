# SPDX-License-Identifier: MIT
"""Saturation (Guest, Namey & Chen 2020) on a six-interview toy study worked out by hand.

Codes A-F; interviews in their recorded order::

    I1: A B C      I2: B D      I3: A E      I4: C F      I5: A B      I6: F

Discovery curve: 3, 4, 5, 6, 6, 6 (I2 adds D, I3 adds E, I4 adds F).
Base size 3, run length 2: the base is {A, B, C, D, E}, 5 codes.
  k = 3: run I4-I5 adds F         -> 1/5 = 0.20
  k = 4: run I5-I6 adds nothing   -> 0/5 = 0
So with a 0% threshold saturation is reached at 4 interviews, with 20% already at 3.
Reversed (I6 ... I1): curve 1, 3, 4, 5, 6, 6; base after I6, I5, I4 = {F, A, B, C}, 4 codes;
  k = 3: run I3-I2 adds E, D -> 2/4 = 0.50;  k = 4: run I2-I1 adds D -> 1/4 = 0.25
so at 20% it is not reached, at 25% it is reached at 4.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

from qualcarto.saturation import (
    SaturationInputError,
    SaturationRule,
    discovery_curve,
    random_orders,
    saturation,
    saturation_point_loop,
)

CODES = "ABCDEF"
INTERVIEWS = ["ABC", "BD", "AE", "CF", "AB", "F"]
PRESENCE = np.array([[c in row for c in CODES] for row in INTERVIEWS])


def test_the_discovery_curve_counts_distinct_codes_so_far() -> None:
    assert discovery_curve(PRESENCE).tolist() == [3, 4, 5, 6, 6, 6]
    assert discovery_curve(PRESENCE, [5, 4, 3, 2, 1, 0]).tolist() == [1, 3, 4, 5, 6, 6]


def test_saturation_in_the_recorded_order() -> None:
    zero = saturation(PRESENCE, SaturationRule(base=3, run=2, threshold=0.0))
    assert zero.point == 4
    assert zero.base_codes == 5 and zero.total_codes == 6
    assert zero.new_in_run.tolist() == [1, 0]
    assert zero.ratios.tolist() == [0.2, 0.0]
    assert saturation(PRESENCE, SaturationRule(3, 2, 0.2)).point == 3


def test_saturation_in_reverse_order() -> None:
    reverse = [5, 4, 3, 2, 1, 0]
    strict = saturation(PRESENCE, SaturationRule(3, 2, 0.2), reverse)
    assert strict.point is None and strict.base_codes == 4
    assert strict.ratios.tolist() == [0.5, 0.25]
    assert saturation(PRESENCE, SaturationRule(3, 2, 0.25), reverse).point == 4


def test_random_orders_agree_with_the_plain_loop_order_by_order() -> None:
    rule = SaturationRule(base=2, run=2, threshold=0.2)
    found = random_orders(PRESENCE, rule, n_orders=300, seed=7)
    rng = np.random.default_rng(7)
    orders = rng.permuted(np.tile(np.arange(6), (300, 1)), axis=1)
    expected = [saturation_point_loop(PRESENCE.tolist(), rule, o.tolist()) for o in orders]
    assert [None if p < 0 else int(p) for p in found.points] == expected
    assert found.curves[:, -1].tolist() == [6] * 300
    band = found.curve_band()
    assert band.shape == (6, 3) and (band[:, 1] <= band[:, 0]).all()


def test_every_order_of_the_toy_study_against_the_loop() -> None:
    rule = SaturationRule(base=3, run=2, threshold=0.0)
    for order in permutations(range(6)):
        got = saturation(PRESENCE, rule, list(order)).point
        assert got == saturation_point_loop(PRESENCE.tolist(), rule, list(order)), order


def test_the_summary_gives_median_range_and_share_reached() -> None:
    found = random_orders(PRESENCE, SaturationRule(3, 2, 0.0), n_orders=200, seed=1)
    summary = found.summary()
    hit = found.points[found.points >= 0]
    assert summary["median"] == float(np.median(hit))
    assert summary["min"] == hit.min() and summary["max"] == hit.max()
    assert summary["reached"] == pytest.approx(len(hit) / 200)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (SaturationRule(5, 2, 0.05), "needs at least 7 interviews, the study has 6"),
        (SaturationRule(0, 2, 0.05), "must be at least 1"),
        (SaturationRule(3, 2, 1.5), "threshold must be in [0, 1)"),
    ],
)
def test_a_rule_that_cannot_apply_is_one_line(rule: SaturationRule, message: str) -> None:
    with pytest.raises(SaturationInputError, match=message.replace("[", r"\[").replace(")", r"\)")):
        saturation(PRESENCE, rule)

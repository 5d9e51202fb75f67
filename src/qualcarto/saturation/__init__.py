# SPDX-License-Identifier: MIT
"""Thematic saturation (Guest, Namey & Chen 2020) and code discovery; pure, no I/O.

See :mod:`.measures` for the definitions and ``docs/appendix.md`` for their use.
"""

from qualcarto.saturation.measures import (
    RandomOrders,
    SaturationInputError,
    SaturationResult,
    SaturationRule,
    discovery_curve,
    random_orders,
    saturation,
    saturation_point_loop,
)
from qualcarto.saturation.tables import (
    SATURATION_COLUMNS,
    SaturationData,
    discovery_table,
    saturation_table,
)

__all__ = [
    "SATURATION_COLUMNS",
    "RandomOrders",
    "SaturationData",
    "SaturationInputError",
    "SaturationResult",
    "SaturationRule",
    "discovery_curve",
    "discovery_table",
    "random_orders",
    "saturation",
    "saturation_point_loop",
    "saturation_table",
]

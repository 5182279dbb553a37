"""Zone membership, every vessel in every zone at once, against shapely's own test
polygon by polygon."""

from __future__ import annotations

import numpy as np
import shapely

from portwatch.analytics.zones import ZoneIndex
from tests.core.simulated import port as demo_port


def test_membership_is_shapelys_polygon_by_polygon():
    zones = ZoneIndex(demo_port())
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-30_000, 30_000, 5000), rng.uniform(-30_000, 30_000, 5000)
    inside = zones.membership(x, y)
    expected = np.column_stack(
        [shapely.contains_xy(zone.feature.local, x, y) for zone in zones.zones]
    )
    assert len(zones) > 20
    assert inside.sum() > 500  # the points fall in zones, not only around them
    assert np.array_equal(inside, expected)
    assert zones.membership(np.empty(0), np.empty(0)).shape == (0, len(zones))

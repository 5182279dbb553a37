"""The route network's projection against shapely's own, and which route a vessel
is on: near it, heading along it; none when it heads the other way or lies far off."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from portwatch.analytics.routes import RouteNetwork
from tests.core.simulated import port as demo_port
from tests.core.watch_scenario import BENDING_ROUTE, write_port


def test_the_projection_is_shapelys():
    """Every route of the demo port (two to a dozen segments each, padded to one
    array), against random points around the port."""
    network = RouteNetwork(demo_port())
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-30_000, 30_000, 2000), rng.uniform(-30_000, 30_000, 2000)
    offset, along, _ = network._project_all(x, y)
    points = shapely.points(x, y)
    assert len(network.routes) > 3
    for route in network.routes:
        line = route.line
        assert offset[:, route.index] == pytest.approx(shapely.distance(line, points), abs=1e-6)
        # where two segments are equally near, both answers are right: compare the points
        ours = shapely.line_interpolate_point(line, along[:, route.index])
        theirs = shapely.line_interpolate_point(line, shapely.line_locate_point(line, points))
        assert shapely.distance(ours, points) == pytest.approx(
            shapely.distance(theirs, points), abs=1e-6
        )


def test_a_vessel_is_on_the_route_it_follows(tmp_path):
    network = RouteNetwork(write_port(tmp_path))
    west = next(r for r in network.routes if r.name == "West approach")
    # on the bending route's second leg, heading along it (north-east), 300 m off it
    (x0, y0), (x1, y1) = BENDING_ROUTE[1], BENDING_ROUTE[2]
    mid_x, mid_y = (x0 + x1) / 2 + 300, (y0 + y1) / 2
    course = np.degrees(np.arctan2(x1 - x0, y1 - y0))
    position = network.locate(
        np.array([mid_x, mid_x, mid_x + 20_000]),
        np.array([mid_y, mid_y, mid_y]),
        np.array([course, course + 180, course]),
    )
    assert position.route.tolist() == [west.index, -1, -1]  # along; against; far off
    assert position.offset_m[0] < 300
    assert position.remaining_m[0] == pytest.approx(west.length_m - position.along_m[0], rel=0.02)


def test_a_vessel_without_a_course_follows_no_route(tmp_path):
    """COG 360 (not available) arrives as NaN: right on the route, it still cannot be
    said to head along it, and the numbers raise no warning on the way."""
    network = RouteNetwork(write_port(tmp_path))
    (x0, y0), (x1, y1) = BENDING_ROUTE[1], BENDING_ROUTE[2]
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    course = np.degrees(np.arctan2(x1 - x0, y1 - y0))
    with np.errstate(all="raise"):
        position = network.locate(
            np.array([mid_x, mid_x]), np.array([mid_y, mid_y]), np.array([np.nan, course])
        )
    assert position.route[0] == -1
    assert position.route[1] >= 0

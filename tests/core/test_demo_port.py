"""The bundled demo port (San Pedro Bay): a valid port file whose routes really
lead from the sea through a pilot station to the terminals."""

from __future__ import annotations

import shapely

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import load_port


def test_the_demo_port_passes_validation_and_holds_every_kind() -> None:
    port = load_port(bundled_file(DEMO_PORT))
    kinds = {feature.kind for feature in port.features}
    assert kinds == {
        "approach", "anchorage", "fairway", "berth", "restricted", "pilot_boarding", "route",
    }  # fmt: skip
    assert [f.name for f in port.of_kind("pilot_boarding")] == [
        "Angels Gate pilot station",
        "Queens Gate pilot station",
    ]


def test_routes_lead_from_the_approach_through_a_pilot_station_to_a_berth() -> None:
    port = load_port(bundled_file(DEMO_PORT))
    approach = port.of_kind("approach")[0].local
    stations = {f.name: f for f in port.of_kind("pilot_boarding")}
    berths = {f.name: f for f in port.of_kind("berth")}
    for route in port.of_kind("route"):
        end = shapely.Point(route.local.coords[-1])
        start = shapely.Point(route.local.coords[0])
        target = route.properties["to"]
        if target in stations:  # from the traffic lanes to the pilot station
            station = stations[target]
            assert end.distance(station.local) <= station.properties["radius_m"]
            assert approach.contains(station.local)
        else:  # from a pilot station into the harbour
            assert any(
                start.distance(s.local) <= s.properties["radius_m"] for s in stations.values()
            ), route.name
            assert end.within(berths[target].local.buffer(50)), route.name
    for anchorage in port.of_kind("anchorage"):
        assert anchorage.local.within(approach), anchorage.name
        assert not any(anchorage.local.intersects(f.local) for f in port.of_kind("fairway"))


def test_the_coastline_is_real_land_and_the_sea_lanes_are_clear_of_it() -> None:
    """GSHHG land (see resources/ports/README.md): valid polygons, most of the box
    north of the bay, and no route, anchorage or pilot station on it."""
    port = load_port(bundled_file(DEMO_PORT))
    assert port.coastline
    assert all(part.geometry.is_valid for part in port.coastline)
    land = shapely.union_all([part.local for part in port.coastline])
    assert land.contains(shapely.Point(port.plane.to_local(-118.30, 33.90)))  # Los Angeles
    assert not land.contains(shapely.Point(port.plane.to_local(-118.20, 33.65)))  # the bay
    for kind in ("route", "anchorage", "pilot_boarding"):
        for feature in port.of_kind(kind):
            assert not feature.local.intersects(land), feature.name

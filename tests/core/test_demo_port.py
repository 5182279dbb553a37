"""The bundled demo port (San Pedro Bay): a valid port file whose routes really
lead from the sea through a pilot station to the terminals."""

from __future__ import annotations

from pathlib import Path

import shapely

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders import PositionReport, StreamDecoder, open_log
from portwatch.port.port_file import Port, load_port


def test_the_demo_port_passes_validation_and_holds_every_kind() -> None:
    port = load_port(bundled_file(DEMO_PORT))
    kinds = {feature.kind for feature in port.features}
    assert kinds == {
        "approach",
        "anchorage",
        "fairway",
        "berth",
        "restricted",
        "pilot_boarding",
        "route",
    }
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
    """GSHHG land and the harbour drawn over it (see resources/ports/README.md):
    valid polygons, most of the box north of the bay, the breakwater heads of both
    gates, and no route, anchorage or pilot station on it."""
    port = load_port(bundled_file(DEMO_PORT))
    assert port.coastline
    assert all(part.geometry.is_valid for part in port.coastline)
    land = shapely.union_all([part.local for part in port.coastline])
    assert land.contains(shapely.Point(port.plane.to_local(-118.30, 33.90)))  # Los Angeles
    assert not land.contains(shapely.Point(port.plane.to_local(-118.20, 33.65)))  # the bay
    for lon, lat in ((-118.2516, 33.70857), (-118.186821, 33.723237)):  # LA and LB Lights
        assert land.contains(shapely.Point(port.plane.to_local(lon, lat)))
    for lon, lat in ((-118.2483, 33.7095), (-118.1834, 33.7228)):  # Angels Gate, Queens Gate
        assert not land.contains(shapely.Point(port.plane.to_local(lon, lat)))
    for kind in ("route", "anchorage", "pilot_boarding"):
        for feature in port.of_kind(kind):
            assert not feature.local.intersects(land), feature.name


AIS250 = Path(__file__).resolve().parents[1] / "data" / "dma-aislib" / "ais250.txt"
"""Real AIS heard in San Pedro Bay (DMA AisLib test data, Apache-2.0; see
tests/data/README.md): no times, but positions, speeds and navigational status."""
MOORED, UNDER_WAY_KN, QUAY_M = 5, 3.0, 150.0


def _real_positions(port: Port) -> list[tuple[PositionReport, shapely.Point]]:
    """Every position report of the recording inside the port's approach zone."""
    approach = port.of_kind("approach")[0].local
    decoder = StreamDecoder(source=str(AIS250))
    found = []
    with open_log(AIS250) as handle:
        for records in decoder.iter_messages(handle):
            for record in records:
                if isinstance(record, PositionReport) and record.lat is not None:
                    point = shapely.Point(port.plane.to_local(record.lon, record.lat))
                    if approach.contains(point):
                        found.append((record, point))
    return found


def test_no_real_vessel_under_way_is_drawn_on_land() -> None:
    """Ships, tugs and pilot boats really under way in the bay and the channels are
    all on water: the landfills and breakwaters leave the channels and gates open."""
    port = load_port(bundled_file(DEMO_PORT))
    land = shapely.union_all([part.local for part in port.coastline])
    under_way = [(r, p) for r, p in _real_positions(port) if (r.sog_kn or 0.0) > UNDER_WAY_KN]
    assert len({r.mmsi for r, _ in under_way}) >= 8
    on_land = [(r.mmsi, r.lat, r.lon) for r, p in under_way if land.intersects(p)]
    assert on_land == []


def test_real_vessels_moored_lie_at_a_berth_or_a_quay() -> None:
    """A ship reporting moored is at (or within a ship's breadth of) a drawn berth;
    and nearly every vessel lying still in the harbour is by a quay, not in open
    water: the quays are where ships really lie."""
    port = load_port(bundled_file(DEMO_PORT))
    land = shapely.union_all([part.local for part in port.coastline])
    berths = shapely.union_all([b.local for b in port.of_kind("berth")])
    anchorages = shapely.union_all([a.local for a in port.of_kind("anchorage")])
    positions = _real_positions(port)
    moored = [p for r, p in positions if r.nav_status == MOORED and (r.sog_kn or 0.0) < 1.0]
    assert moored
    assert all(p.distance(berths) <= QUAY_M for p in moored)
    harbour = shapely.box(
        *port.plane.to_local(-118.290, 33.700), *port.plane.to_local(-118.176, 33.790)
    )
    still = {
        r.mmsi: p
        for r, p in positions
        if r.nav_status in (0, None)
        and (r.sog_kn or 0.0) < 0.5
        and harbour.contains(p)
        and not anchorages.contains(p)
    }
    by_a_quay = [m for m, p in still.items() if min(p.distance(land), p.distance(berths)) <= QUAY_M]
    assert len(still) >= 30
    assert len(by_a_quay) / len(still) >= 0.85, sorted(set(still) - set(by_a_quay))


def test_the_anchorages_hold_the_anchor_berths_33_cfr_110_214_names() -> None:
    """The deep-draft anchor berths that 33 CFR 110.214(a)(2) places by their
    centres, and the explosives anchorage's centre, lie in the anchorages drawn."""
    port = load_port(bundled_file(DEMO_PORT))

    def inside(name: str, lat: float, lon: float) -> bool:
        anchorage = next(a for a in port.of_kind("anchorage") if a.name.startswith(name))
        return anchorage.local.contains(shapely.Point(port.plane.to_local(lon, lat)))

    for name, lat, lon, what in (
        ("Anchorage B", (33, 43, 52.0), (118, 12, 47.9), "B-7"),
        ("Anchorage B", (33, 43, 28.5), (118, 13, 10.5), "B-9"),
        ("Anchorage B", (33, 43, 44.5), (118, 12, 17.0), "B-11"),
        ("Anchorage D", (33, 43, 40.5), (118, 10, 30.0), "D-5"),
        ("Anchorage D", (33, 43, 40.5), (118, 9, 57.5), "D-6"),
        ("Anchorage D", (33, 43, 40.5), (118, 9, 25.0), "D-7"),
        ("Anchorage D", (33, 43, 37.0), (118, 9, 5.3), "explosives anchorage"),
    ):
        assert inside(name, _degrees(*lat), -_degrees(*lon)), what


def _degrees(degrees: int, minutes: int, seconds: float) -> float:
    return degrees + minutes / 60 + seconds / 3600

"""Port files: a good one read onto the local plane; each way of breaking the rules
refused with a message naming the file, the feature and the field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from portwatch.geodesy import distance_m
from portwatch.port.port_file import PortFileError, load_port


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(kind: str, name: str, geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, **properties},
        "geometry": geometry,
    }


PORT: dict[str, Any] = {
    "type": "FeatureCollection",
    "name": "Test Harbour",
    "reference": [-118.25, 33.70],
    "coastline": "land.geojson",
    "features": [
        feature("approach", "Approach", box(-118.40, 33.55, -118.10, 33.78)),
        feature(
            "anchorage",
            "Anchorage B",
            box(-118.20, 33.66, -118.16, 33.69),
            capacity=12,
            depth_m=20,
            max_wait_h=48,
        ),
        feature("fairway", "Main Channel", box(-118.28, 33.70, -118.26, 33.74), speed_limit_kn=12),
        feature("berth", "Pier 400", box(-118.26, 33.735, -118.25, 33.745), terminal="APM"),
        feature("restricted", "Naval zone", box(-118.35, 33.70, -118.33, 33.72), reason="navy"),
        feature(
            "pilot_boarding", "Angels Gate PBP", {"type": "Point", "coordinates": [-118.26, 33.69]}
        ),
        feature(
            "route",
            "West lane in",
            {
                "type": "LineString",
                "coordinates": [[-118.40, 33.60], [-118.30, 33.66], [-118.26, 33.69]],
            },
            to="Angels Gate PBP",
        ),
    ],
}
LAND = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {}, "geometry": box(-118.30, 33.75, -118.10, 33.80)}
    ],
}


def write_port(folder: Path, document: dict[str, Any], land: dict[str, Any] | None = None) -> Path:
    (folder / "land.geojson").write_text(json.dumps(land or LAND))
    path = folder / "port.geojson"
    path.write_text(json.dumps(document, indent=1))
    return path


def test_a_good_port_file_on_the_local_plane(tmp_path: Path) -> None:
    port = load_port(write_port(tmp_path, PORT))
    assert port.name == "Test Harbour"
    assert [f.name for f in port.of_kind("anchorage")] == ["Anchorage B"]
    anchorage = port.feature("Anchorage B")
    assert anchorage.properties == {"capacity": 12, "depth_m": 20, "max_wait_h": 48}
    assert port.feature("Angels Gate PBP").properties["radius_m"] == 1000.0
    assert len(port.coastline) == 1
    # The local plane: metres east and north of the reference, true to the sphere.
    west, south, east, north = anchorage.local.bounds
    assert east - west == pytest.approx(distance_m(33.675, -118.20, 33.675, -118.16), rel=0.002)
    assert north - south == pytest.approx(distance_m(33.66, -118.2, 33.69, -118.2), rel=0.002)
    x, y = port.plane.to_local(-118.25, 33.70)
    assert (float(x), float(y)) == (0.0, 0.0)
    lon, lat = port.plane.to_lonlat(*port.plane.to_local(-118.3, 33.6))
    assert (float(lon), float(lat)) == pytest.approx((-118.3, 33.6))


def broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(PORT)
    change(document)
    return document


def _set(document: dict, index: int, key: str, value: Any) -> None:
    document["features"][index]["properties"][key] = value


BREAKAGES = {
    "no name": (lambda d: d.pop("name"), '"name" (text)'),
    "bad reference": (lambda d: d.update(reference=[200, 33]), '"reference" must be [lon, lat]'),
    "unknown kind": (
        lambda d: _set(d, 2, "kind", "channel"),
        "feature 2 ('Main Channel'): \"kind\" is 'channel'",
    ),
    "duplicate name": (
        lambda d: _set(d, 3, "name", "Main Channel"),
        "feature 3 ('Main Channel'): \"name\" already used by feature 2",
    ),
    "capacity missing": (
        lambda d: d["features"][1]["properties"].pop("capacity"),
        "feature 1 ('Anchorage B'): \"capacity\" missing",
    ),
    "capacity not whole": (
        lambda d: _set(d, 1, "capacity", 2.5),
        "feature 1 ('Anchorage B'): \"capacity\" is 2.5",
    ),
    "negative limit": (
        lambda d: _set(d, 2, "speed_limit_kn", -3),
        "feature 2 ('Main Channel'): \"speed_limit_kn\" is -3",
    ),
    "point anchorage": (
        lambda d: d["features"][1].update(
            geometry={"type": "Point", "coordinates": [-118.2, 33.67]}
        ),
        "feature 1 ('Anchorage B'): \"geometry\" is Point; an anchorage is a Polygon",
    ),
    "bow tie": (
        lambda d: d["features"][0]["geometry"].update(
            coordinates=[
                [
                    [-118.4, 33.55],
                    [-118.1, 33.78],
                    [-118.1, 33.55],
                    [-118.4, 33.78],
                    [-118.4, 33.55],
                ]
            ]
        ),
        "feature 0 ('Approach'): \"geometry\" is not a valid Polygon: Self-intersection",
    ),
    "lat lon swapped": (
        lambda d: d["features"][5]["geometry"].update(coordinates=[33.69, -118.26]),
        "feature 5 ('Angels Gate PBP'): \"geometry\" is not [lon, lat]",
    ),
    "route to nowhere": (
        lambda d: _set(d, 6, "to", "Queens Gate PBP"),
        "feature 6 ('West lane in'): \"to\" is 'Queens Gate PBP'",
    ),
    "chart not a list": (
        lambda d: d.update(chart="enc/US5CA52M.000"),
        '"chart" must be a list of ENC cell files',
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_broken_port_file_is_refused_with_where_and_why(tmp_path: Path, case: str) -> None:
    change, expected = BREAKAGES[case]
    path = write_port(tmp_path, broken(change))
    with pytest.raises(PortFileError) as raised:
        load_port(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "port.geojson"
    path.write_text('{\n  "type": "FeatureCollection",\n  "features": [,]\n}\n')
    with pytest.raises(PortFileError, match=r"port.geojson: line 3, column 16: not JSON"):
        load_port(path)


def test_a_missing_coastline_file_is_named(tmp_path: Path) -> None:
    path = write_port(tmp_path, PORT)
    (tmp_path / "land.geojson").unlink()
    with pytest.raises(PortFileError, match=r"land.geojson: cannot read"):
        load_port(path)


def test_chart_cells_are_relative_to_the_port_file(tmp_path: Path) -> None:
    """The ``chart`` member (ENC cells to draw) is optional; its paths are the port
    file's folder's, whether the cells are there or not (the chart layer says)."""
    assert load_port(write_port(tmp_path, PORT)).chart == ()
    document = dict(PORT, chart=["enc/US5CA52M.000", "/charts/US4CA11M.000"])
    port = load_port(write_port(tmp_path, document))
    assert port.chart == (tmp_path / "enc" / "US5CA52M.000", Path("/charts/US4CA11M.000"))

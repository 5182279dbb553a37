"""The operator's watch on real recordings, with a port file written in the test
around the waters they cover: nothing breaks, and what it says is plausible
(checked against the recording itself and against shapely)."""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from portwatch.decoders import open_log
from portwatch.decoders.records import PositionReport
from portwatch.decoders.stream import StreamDecoder
from portwatch.engine import Engine
from portwatch.port.port_file import load_port

BOX = (8.0, 54.5, 13.0, 58.0)
"""Danish waters: the approach zone of the made-up port (lon, lat corners)."""
SOUND = (12.4, 55.5, 12.9, 56.2)
"""The Sound (Øresund), as a fairway with a speed limit."""


def square(lon: float, lat: float, half_deg: float) -> list[list[float]]:
    return [
        [lon - half_deg, lat - half_deg],
        [lon + half_deg, lat - half_deg],
        [lon + half_deg, lat + half_deg],
        [lon - half_deg, lat + half_deg],
        [lon - half_deg, lat - half_deg],
    ]


def box(corners: tuple[float, float, float, float]) -> list[list[float]]:
    x0, y0, x1, y1 = corners
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def last_reports(path: Path) -> dict[int, PositionReport]:
    decoder = StreamDecoder(path.name)
    last: dict[int, PositionReport] = {}
    with open_log(path) as log:
        for records in decoder.iter_messages(log):
            for record in records:
                if isinstance(record, PositionReport) and record.lat is not None:
                    last[record.mmsi] = record
    return last


def test_a_national_feed_on_a_port_of_its_waters(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "dma-aislib" / "stream_example.txt"
    reports = last_reports(path)
    approach = shapely.Polygon(box(BOX)[:-1])
    anchored = {
        mmsi: r
        for mmsi, r in reports.items()
        if r.nav_status == 1
        and (r.sog_kn or 0) < 3
        and approach.contains(shapely.Point(r.lon, r.lat))
    }
    assert len(anchored) >= 3, "the recording has ships at anchor in these waters"

    def feature(kind: str, name: str, ring: list, **properties: object) -> dict:
        return {
            "type": "Feature",
            "properties": {"kind": kind, "name": name, **properties},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    features = [
        feature("approach", "Danish waters", box(BOX)),
        feature("fairway", "The Sound", box(SOUND), speed_limit_kn=8),
    ]
    for mmsi, report in anchored.items():  # an anchorage of 2 km round each
        features.append(
            feature(
                "anchorage", f"Anchorage {mmsi}", square(report.lon, report.lat, 0.01), capacity=2
            )
        )
    port_file = tmp_path / "danish.geojson"
    port_file.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "name": "Danish waters",
                "reference": [10.5, 56.0],
                "features": features,
            }
        )
    )
    port = load_port(port_file)
    events = []
    engine = Engine(port=port, on_event=events.append)
    with open_log(path) as log:
        engine.feed(log, source=path.name)
    engine.finish_input(path.name)  # the end of the log is analysed too
    engine.flush()
    watch = engine.snapshot().watch
    assert engine.analytics.passes >= 3  # 28 seconds of data, a pass every 10
    # Every ship reporting at anchor in the approach is at anchor in its anchorage.
    at_anchor = {e.mmsi: e.details["zone"] for e in events if e.kind == "anchored"}
    for mmsi in anchored:
        assert at_anchor.get(mmsi) == f"Anchorage {mmsi}"
    assert not [e for e in events if e.kind == "unauthorised_anchoring"]
    # What the analytics call inside the approach is what shapely calls inside.
    vessels = engine.snapshot().vessels
    for mmsi, view in vessels.items():
        if view.fix is None or view.kind not in ("class_a", "class_b"):
            continue
        inside = approach.contains(shapely.Point(view.fix.lon, view.fix.lat))
        assert watch.in_approach(mmsi) == inside, mmsi
    # 28 seconds cannot make a minute over a speed limit.
    assert not [e for e in events if e.kind == "speeding"]
    for event in (e for e in events if e.kind == "cpa"):
        assert event.details["cpa_m"] < event.details["limit_m"]
        assert 0 <= event.details["tcpa_s"] <= 720

"""Hand-built traffic with known truth for the operator's-watch tests: a small port
written in the test (not the demo port), ships placed on its local plane in metres,
and their AIS reports encoded by pyais behind tag blocks with the data time."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.port.plane import LocalPlane
from portwatch.port.port_file import Port, load_port
from tests.decoders.nmea import tag_block, vdm

REFERENCE = (-70.95, 42.35)
"""An invented harbour's origin (lon, lat): no real port's geometry is assumed."""
START_S = 1_735_000_000.0
KNOT_MPS = 1852.0 / 3600.0

ANCHORAGE = [(-3000, -3000), (-1000, -3000), (-1000, -1000), (-3000, -1000)]
FAIRWAY = [(-500, -6000), (500, -6000), (500, 3000), (-500, 3000)]
RESTRICTED = [(2000, -3000), (3000, -3000), (3000, -2000), (2000, -2000)]
BERTH = [(-300, 3000), (300, 3000), (300, 3200), (-300, 3200)]
APPROACH = [(-8000, -45000), (8000, -45000), (8000, 4000), (-8000, 4000)]
LAND = [(-8000, 3200), (8000, 3200), (8000, 6000), (-8000, 6000)]
PILOT_XY = (0.0, -5000.0)
SOUTH_ROUTE = [(0.0, -44000.0), PILOT_XY]
"""Straight in from the south to the pilot boarding place (39 km)."""
BENDING_ROUTE = [(-7000.0, -40000.0), (-7000.0, -20000.0), (-2000.0, -9000.0), PILOT_XY]
"""In from the south-west, turning twice on the way (the second route to the pilot)."""
INNER_ROUTE = [PILOT_XY, (0.0, 3000.0)]


def port_document(capacity: int = 4, speed_limit_kn: float = 8.0) -> dict[str, Any]:
    """The test harbour: an anchorage west of a north-south fairway leading to a berth
    at a quay, a restricted box east of it, all inside one approach zone."""
    plane = LocalPlane(*REFERENCE)

    def ring(points: list[tuple[float, float]]) -> list[list[float]]:
        closed = [*points, points[0]]
        lon, lat = plane.to_lonlat([p[0] for p in closed], [p[1] for p in closed])
        return [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]

    def point(x: float, y: float) -> list[float]:
        lon, lat = plane.to_lonlat(x, y)
        return [float(lon), float(lat)]

    def line(name: str, to: str, points: list[tuple[float, float]]) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"kind": "route", "name": name, "to": to},
            "geometry": {"type": "LineString", "coordinates": [point(*p) for p in points]},
        }

    def polygon(kind: str, name: str, points: list, **properties: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"kind": kind, "name": name, **properties},
            "geometry": {"type": "Polygon", "coordinates": [ring(points)]},
        }

    return {
        "type": "FeatureCollection",
        "name": "Test Harbour",
        "reference": list(REFERENCE),
        "features": [
            polygon("approach", "Approach", APPROACH),
            polygon(
                "anchorage",
                "Anchorage West",
                ANCHORAGE,
                capacity=capacity,
                depth_m=20,
                max_wait_h=2,
            ),
            polygon("fairway", "Main Channel", FAIRWAY, speed_limit_kn=speed_limit_kn),
            polygon("restricted", "Security Zone", RESTRICTED, reason="naval berth"),
            polygon("berth", "Quay 1", BERTH),
            polygon("coastline", "Land", LAND),
            {
                "type": "Feature",
                "properties": {"kind": "pilot_boarding", "name": "Pilot", "radius_m": 800},
                "geometry": {"type": "Point", "coordinates": point(*PILOT_XY)},
            },
            line("South approach", "Pilot", SOUTH_ROUTE),
            line("West approach", "Pilot", BENDING_ROUTE),
            line("Pilot to Quay 1", "Quay 1", INNER_ROUTE),
        ],
    }


def write_port(directory: Path, **options: Any) -> Port:
    path = directory / "test-harbour.geojson"
    path.write_text(json.dumps(port_document(**options)), encoding="utf-8")
    return load_port(path)


@dataclass
class Traffic:
    """AIS lines of a scenario, built vessel by vessel, replayed in time order."""

    plane: LocalPlane = field(default_factory=lambda: LocalPlane(*REFERENCE))
    lines: list[tuple[float, int, str]] = field(default_factory=list)
    _order: int = 0

    def _add(self, time_s: float, line: str) -> None:
        self._order += 1
        self.lines.append((time_s, self._order, line))

    def ship(
        self,
        mmsi: int,
        name: str,
        ship_type: int = 70,
        length_m: int = 200,
        at_s: float = START_S,
        eta: tuple[int, int, int, int] = (1, 1, 0, 0),
    ) -> None:
        """Static data (type 5): name, type, size and the reported ETA (month, day,
        hour, minute UTC)."""
        data = {
            "msg_type": 5,
            "mmsi": mmsi,
            "imo": 9_000_000 + mmsi % 1_000_000,
            "callsign": "TEST",
            "shipname": name,
            "ship_type": ship_type,
            "to_bow": int(length_m * 0.8),
            "to_stern": length_m - int(length_m * 0.8),
            "to_port": 15,
            "to_starboard": 15,
            "month": eta[0],
            "day": eta[1],
            "hour": eta[2],
            "minute": eta[3],
            "draught": 10.0,
            "destination": "TEST HARBOUR",
        }
        first, second = vdm(data, seq_id=(mmsi % 9) + 1)
        group = mmsi % 10_000
        self._add(at_s, tag_block(f"g:1-2-{group},s:TEST,c:{int(at_s)}") + first)
        self._add(at_s, tag_block(f"g:2-2-{group}") + second)

    def report(
        self,
        mmsi: int,
        time_s: float,
        x: float,
        y: float,
        sog_kn: float,
        cog_deg: float,
        status: int = 0,
        heading_deg: float | None = None,
    ) -> None:
        """One class A position report at local (x, y) metres."""
        lon, lat = self.plane.to_lonlat(x, y)
        heading = cog_deg if heading_deg is None else heading_deg
        data = {
            "msg_type": 1,
            "mmsi": mmsi,
            "status": status,
            "lat": float(lat),
            "lon": float(lon),
            "speed": round(sog_kn, 1),
            "course": round(cog_deg % 360, 1),
            "heading": round(heading) % 360,
            "second": int(time_s) % 60,
        }
        (sentence,) = vdm(data)
        self._add(time_s, tag_block(f"s:TEST,c:{int(time_s)}") + sentence)

    def path(
        self,
        mmsi: int,
        waypoints: list[tuple[float, float, float]],
        every_s: float,
        status: int | Callable[[float], int] = 0,
        heading: float | None = None,
        skip: Callable[[float], bool] | None = None,
    ) -> None:
        """Reports every ``every_s`` along (time, x, y) waypoints, moving in straight
        lines between them; SOG and COG from the motion."""
        for (t0, x0, y0), (t1, x1, y1) in itertools.pairwise(waypoints):
            duration = t1 - t0
            speed_kn = math.hypot(x1 - x0, y1 - y0) / duration / KNOT_MPS
            course = math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360
            t = t0
            while t < t1:
                f = (t - t0) / duration
                if skip is None or not skip(t):
                    code = status(t) if callable(status) else status
                    self.report(
                        mmsi,
                        t,
                        x0 + f * (x1 - x0),
                        y0 + f * (y1 - y0),
                        speed_kn,
                        course,
                        code,
                        heading,
                    )
                t += every_s

    def straight(
        self,
        mmsi: int,
        start_s: float,
        end_s: float,
        x: float,
        y: float,
        course_deg: float,
        sog_kn: float,
        every_s: float = 10.0,
        status: int = 0,
    ) -> None:
        """A vessel steaming on a steady course and speed from (x, y) at ``start_s``."""
        speed = sog_kn * KNOT_MPS
        dx = math.sin(math.radians(course_deg)) * speed
        dy = math.cos(math.radians(course_deg)) * speed
        t = start_s
        while t <= end_s:
            e = t - start_s
            self.report(mmsi, t, x + dx * e, y + dy * e, sog_kn, course_deg, status)
            t += every_s

    def approach(
        self,
        mmsi: int,
        route: list[tuple[float, float]],
        start_s: float,
        cruise_kn: float,
        slow_from_m: float = 5556.0,
        slow_to_kn: float = 7.0,
        end_m: float = 0.0,
        every_s: float = 10.0,
        sog_noise_kn: float = 0.0,
        seed: int = 0,
    ) -> float:
        """A ship steaming along ``route`` at ``cruise_kn``, slowing linearly from
        ``slow_from_m`` before its end to ``slow_to_kn`` at it; it reports until
        ``end_m`` before the end. Returns the time it reaches the route's end."""
        import random

        rng = random.Random(seed)
        legs = list(itertools.pairwise(route))
        total = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in legs)
        t, done, step = start_s, 0.0, 1.0
        next_report = start_s
        arrival_s = None
        while done < total:
            remaining = total - done
            speed = (
                cruise_kn
                if remaining > slow_from_m
                else (slow_to_kn + (cruise_kn - slow_to_kn) * remaining / slow_from_m)
            )
            if t >= next_report and remaining > end_m:
                x, y, course = _along(legs, done)
                sog = max(0.1, speed + rng.uniform(-sog_noise_kn, sog_noise_kn))
                self.report(mmsi, t, x, y, sog, course)
                next_report += every_s
            done += speed * KNOT_MPS * step
            t += step
        arrival_s = t
        return arrival_s

    def sorted_lines(self) -> list[str]:
        return [line for _, _, line in sorted(self.lines)]

    def between(self, start_s: float, end_s: float) -> list[str]:
        """The lines of data times in (``start_s``, ``end_s``], in time order."""
        return [line for t, _, line in sorted(self.lines) if start_s < t <= end_s]


def run(port: Port, lines: list[str], chunk: int | None = None) -> tuple[Engine, list[Event]]:
    """Feed ``lines`` through an engine watching ``port``; returns it and its events
    (all of them, in order). ``chunk`` feeds that many lines per call."""
    events: list[Event] = []
    engine = Engine(port=port, on_event=events.append)
    if chunk is None:
        engine.feed(lines, source="scenario")
    else:
        for first in range(0, len(lines), chunk):
            engine.feed(lines[first : first + chunk], source="scenario")
    engine.finish_input("scenario")
    engine.flush()
    return engine, events


def of_kind(events: list[Event], kind: str, mmsi: int | None = None) -> list[Event]:
    return [e for e in events if e.kind == kind and (mmsi is None or e.mmsi == mmsi)]


def _along(legs: list, distance_m: float) -> tuple[float, float, float]:
    """The point ``distance_m`` along a polyline's legs, and the leg's course."""
    for (x0, y0), (x1, y1) in legs:
        length = math.hypot(x1 - x0, y1 - y0)
        course = math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360
        if distance_m <= length:
            f = distance_m / length
            return x0 + f * (x1 - x0), y0 + f * (y1 - y0), course
        distance_m -= length
    (x0, y0), (x1, y1) = legs[-1]
    return x1, y1, math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360

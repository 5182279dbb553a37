"""What the simulated vessels say: AIS messages (simulator/encoding.py) as NMEA sentences
with IEC 61162-450 tag blocks (``s:`` the station, ``c:`` the time, ``g:`` the
sentence group of a multipart message)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from portwatch.decoders.framing import tag_block
from portwatch.port.plane import LocalPlane
from portwatch.simulator import encoding
from portwatch.simulator.agents import Agent

STATION = "PWSIM"
FAR_ETA_S = 12 * 86400.0
"""How far ahead an outbound ship's ETA at its next port lies."""


class ReportEncoder:
    """Encodes agents' reports on ``plane``; numbers multipart groups itself."""

    def __init__(self, plane: LocalPlane) -> None:
        self.plane = plane
        self._group = itertools.count(1)
        self._tag_second = -1
        self._tag = ""
        origin_lon, origin_lat = plane.to_lonlat(0.0, 0.0)
        east_lon, north_lat = plane.to_lonlat(1.0, 1.0)
        self._origin = (float(origin_lon), float(origin_lat))
        self._degrees_per_m = (float(east_lon - origin_lon), float(north_lat - origin_lat))

    def position(self, agent: Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        ship = agent.ship
        second = int(time_s) % 60
        speed = agent.speed_kn
        course = agent.course_deg  # both rounded to tenths in the payload
        if ship.class_b:
            payload = encoding.class_b_position(
                ship.mmsi, speed, lon, lat, course, agent.heading_deg, second
            )
        else:
            payload = encoding.position_report(
                ship.mmsi, agent.nav_status, speed, lon, lat, course, agent.heading_deg, second
            )
        return [self._tagged(time_s) + encoding.sentences(payload)[0]]

    def static(self, agent: Agent, time_s: float) -> list[str]:
        ship = agent.ship
        bow = round(ship.length_m * 0.8)
        port_side = ship.beam_m // 2
        dims = (bow, ship.length_m - bow, port_side, ship.beam_m - port_side)
        if ship.class_b:
            return self.sentences(encoding.class_b_static_a(ship.mmsi, ship.name), time_s) + (
                self.sentences(
                    encoding.class_b_static_b(ship.mmsi, ship.ship_type, ship.callsign, dims),
                    time_s,
                )
            )
        outbound = agent.phase == "outbound"  # sailing on: the next port's ETA
        eta_s = time_s + FAR_ETA_S if outbound else agent.eta_s
        eta = (0, 0, 0, 0)
        if eta_s is not None:
            when = datetime.fromtimestamp(eta_s, UTC)
            eta = (when.month, when.day, when.hour, when.minute)
        destination = "CN SHA" if outbound and agent.station else ship.destination
        payload = encoding.static_voyage(
            ship.mmsi,
            ship.imo,
            ship.callsign,
            ship.name,
            ship.ship_type,
            dims,
            eta,
            ship.draught_m,
            destination,
        )
        return self.sentences(payload, time_s)

    def base_station(self, agent: Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        now = datetime.fromtimestamp(int(time_s), UTC)
        payload = encoding.base_station(
            agent.ship.mmsi,
            now.year,
            now.month,
            now.day,
            now.hour,
            now.minute,
            now.second,
            lon,
            lat,
        )
        return self.sentences(payload, time_s)

    def aid_to_navigation(self, agent: Agent, time_s: float, virtual: bool) -> list[str]:
        """Type 21: a light on a breakwater (aid type 5, 'light without sectors') or
        a virtual isolated-danger mark (aid type 28) with no structure behind it."""
        lon, lat = self._lonlat(agent)
        payload = encoding.aid_to_navigation(
            agent.ship.mmsi,
            28 if virtual else 5,
            agent.ship.name,
            lon,
            lat,
            int(time_s) % 60,
            virtual,
        )
        return self.sentences(payload, time_s)

    def sentences(self, payload: encoding.Payload, time_s: float) -> list[str]:
        sentences = encoding.sentences(payload, sequence=0)
        if len(sentences) == 1:
            return [self._tagged(time_s) + sentences[0]]
        group = next(self._group) % 10_000
        total = len(sentences)
        return [
            tag_block(f"g:{number}-{total}-{group},s:{STATION},c:{int(time_s)}") + sentence
            for number, sentence in enumerate(sentences, start=1)
        ]

    def _tagged(self, time_s: float) -> str:
        """The tag block of a single sentence: one per second, so made once a second."""
        second = int(time_s)
        if second != self._tag_second:
            self._tag_second = second
            self._tag = tag_block(f"s:{STATION},c:{second}")
        return self._tag

    def _lonlat(self, agent: Agent) -> tuple[float, float]:
        """The plane's own (linear) projection, in plain floats: one call per report."""
        lon0, lat0 = self._origin
        lon_per_m, lat_per_m = self._degrees_per_m
        return lon0 + agent.x * lon_per_m, lat0 + agent.y * lat_per_m

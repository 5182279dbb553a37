"""What the simulated vessels say: AIS messages encoded by pyais as NMEA sentences
with IEC 61162-450 tag blocks (``s:`` the station, ``c:`` the time, ``g:`` the
sentence group of a multipart message)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from pyais.encode import encode_dict

from portwatch.decoders.framing import tag_block
from portwatch.port.plane import LocalPlane
from portwatch.simulator.agents import Agent

STATION = "PWSIM"
FAR_ETA_S = 12 * 86400.0
"""How far ahead an outbound ship's ETA at its next port lies."""


class ReportEncoder:
    """Encodes agents' reports on ``plane``; numbers multipart groups itself."""

    def __init__(self, plane: LocalPlane) -> None:
        self.plane = plane
        self._group = itertools.count(1)

    def position(self, agent: Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        speed = round(agent.speed_kn, 1)
        course = round(agent.course_deg, 1) % 360
        second = int(time_s) % 60
        mmsi = agent.ship.mmsi
        if agent.ship.class_b:
            data = {"msg_type": 18, "mmsi": mmsi, "speed": speed, "lon": lon, "lat": lat,
                    "course": course, "heading": agent.heading_deg, "second": second,
                    "cs": 1}  # fmt: skip
        else:
            data = {"msg_type": 1, "mmsi": mmsi, "status": agent.nav_status, "turn": 0,
                    "speed": speed, "accuracy": 1, "lon": lon, "lat": lat, "course": course,
                    "heading": agent.heading_deg, "second": second}  # fmt: skip
        return self.sentences(data, time_s)

    def static(self, agent: Agent, time_s: float) -> list[str]:
        ship = agent.ship
        bow = round(ship.length_m * 0.8)
        port_side = ship.beam_m // 2
        dims = {"to_bow": bow, "to_stern": ship.length_m - bow, "to_port": port_side,
                "to_starboard": ship.beam_m - port_side}  # fmt: skip
        if ship.class_b:
            part_a = {"msg_type": 24, "mmsi": ship.mmsi, "partno": 0, "shipname": ship.name}
            part_b = {"msg_type": 24, "mmsi": ship.mmsi, "partno": 1,
                      "ship_type": ship.ship_type, "callsign": ship.callsign, **dims}  # fmt: skip
            return self.sentences(part_a, time_s) + self.sentences(part_b, time_s)
        outbound = agent.phase == "outbound"  # sailing on: the next port's ETA
        eta_s = time_s + FAR_ETA_S if outbound else agent.eta_s
        eta = {}
        if eta_s is not None:
            when = datetime.fromtimestamp(eta_s, UTC)
            eta = {"month": when.month, "day": when.day, "hour": when.hour,
                   "minute": when.minute}  # fmt: skip
        destination = "CN SHA" if outbound and agent.station else ship.destination
        data = {"msg_type": 5, "mmsi": ship.mmsi, "imo": ship.imo, "callsign": ship.callsign,
                "shipname": ship.name, "ship_type": ship.ship_type, **dims, **eta,
                "draught": ship.draught_m, "destination": destination}  # fmt: skip
        return self.sentences(data, time_s)

    def base_station(self, agent: Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        now = datetime.fromtimestamp(int(time_s), UTC)
        data = {"msg_type": 4, "mmsi": agent.ship.mmsi, "year": now.year, "month": now.month,
                "day": now.day, "hour": now.hour, "minute": now.minute, "second": now.second,
                "accuracy": 1, "lon": lon, "lat": lat, "epfd": 7}  # fmt: skip
        return self.sentences(data, time_s)

    def aid_to_navigation(self, agent: Agent, time_s: float, virtual: bool) -> list[str]:
        """Type 21: a light on a breakwater (aid type 5, 'light without sectors') or
        a virtual isolated-danger mark (aid type 28) with no structure behind it."""
        lon, lat = self._lonlat(agent)
        data = {"msg_type": 21, "mmsi": agent.ship.mmsi, "aid_type": 28 if virtual else 5,
                "name": agent.ship.name, "accuracy": 1, "lon": lon, "lat": lat,
                "epfd": 7, "second": int(time_s) % 60, "virtual_aid": int(virtual)}  # fmt: skip
        return self.sentences(data, time_s)

    def sentences(self, data: dict, time_s: float) -> list[str]:
        sentences = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
        if len(sentences) == 1:
            return [tag_block(f"s:{STATION},c:{int(time_s)}") + sentences[0]]
        group = next(self._group) % 10_000
        total = len(sentences)
        return [
            tag_block(f"g:{number}-{total}-{group},s:{STATION},c:{int(time_s)}") + sentence
            for number, sentence in enumerate(sentences, start=1)
        ]

    def _lonlat(self, agent: Agent) -> tuple[float, float]:
        lon, lat = self.plane.to_lonlat(agent.x, agent.y)
        return round(float(lon), 6), round(float(lat), 6)

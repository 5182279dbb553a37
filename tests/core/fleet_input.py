"""NMEA lines for fleet and history tests: pyais-encoded sentences behind tag
blocks carrying the data time, as a shore station would relay them."""

from __future__ import annotations

from typing import Any

from tests.decoders.nmea import tag_block, vdm

START_S = 1_710_201_600  # 2024-03-12T00:00:00Z


def position_line(
    mmsi: int,
    time_s: float,
    lat: float,
    lon: float,
    sog_kn: float = 10.0,
    cog_deg: float = 90.0,
    status: int = 0,
    station: str = "PWTEST",
    msg_type: int = 1,
    own_ship: bool = False,
) -> str:
    """One class A position report (or class B with ``msg_type=18``)."""
    data: dict[str, Any] = {
        "msg_type": msg_type,
        "mmsi": mmsi,
        "lat": lat,
        "lon": lon,
        "speed": sog_kn,
        "course": cog_deg,
        "heading": round(cog_deg) % 360,
        "second": int(time_s) % 60,
    }
    if msg_type in (1, 2, 3):
        data["status"] = status
    (sentence,) = vdm(data, own_ship=own_ship)
    return tag_block(f"s:{station},c:{int(time_s)}") + sentence


def static_lines(
    mmsi: int, time_s: float, name: str, destination: str = "LONG BEACH", draught_m: float = 9.5
) -> list[str]:
    """A type 5 static and voyage report (two sentences, grouped by ``g:``)."""
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "imo": 9_300_000 + mmsi % 100_000,
        "callsign": "WTEST",
        "shipname": name,
        "ship_type": 70,
        "to_bow": 150,
        "to_stern": 50,
        "to_port": 15,
        "to_starboard": 17,
        "month": 3,
        "day": 12,
        "hour": 18,
        "minute": 0,
        "draught": draught_m,
        "destination": destination,
    }
    first, second = vdm(data, seq_id=(mmsi % 9) + 1)
    group = mmsi % 1000
    return [
        tag_block(f"g:1-2-{group},s:PWTEST,c:{int(time_s)}") + first,
        tag_block(f"g:2-2-{group}") + second,
    ]


def track_lines(
    mmsi: int,
    start_s: float,
    count: int,
    every_s: float = 10.0,
    lat: float = 33.70,
    lon: float = -118.30,
    sog_kn: float = 10.0,
    status: int = 0,
) -> list[str]:
    """``count`` reports of a vessel steaming east at ``sog_kn``."""
    lines = []
    for n in range(count):
        east_deg = sog_kn * 1852 / 3600 * every_s * n / (111_195 * 0.8320)  # cos(33.7 deg)
        lines.append(
            position_line(mmsi, start_s + n * every_s, lat, lon + east_deg, sog_kn, 90.0, status)
        )
    return lines

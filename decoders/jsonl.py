"""The JSON Lines form of decoded messages, as ``portwatch decode`` writes it.

One object per message with ``type``, ``mmsi`` and ``time`` always present
and the other keys where the message carries them (see README, "decode").
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from portwatch.decoders.records import (
    AidToNavigationReport,
    BaseStationReport,
    OtherMessage,
    PositionReport,
    Record,
    SafetyMessage,
    SarAircraftReport,
    StaticReport,
)


def iso_utc(seconds: float | None) -> str | None:
    """Unix seconds as ISO 8601 UTC with a ``Z`` (milliseconds when present)."""
    if seconds is None:
        return None
    whole = int(seconds // 1)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    millis = round((seconds - whole) * 1000)
    if millis == 1000:
        text, millis = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole + 1)), 0
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def message_to_json(records: Sequence[Record]) -> dict[str, Any]:
    """The JSON object of one message (the records one line completed)."""
    first = records[0]
    out: dict[str, Any] = {
        "type": first.msg_type,
        "mmsi": first.mmsi,
        "time": iso_utc(first.time_s),
    }
    for record in records:
        _add_fields(out, record)
    if first.own_ship:
        out["own_ship"] = True
    if first.station is not None:
        out["station"] = first.station
    if first.raw is not None:
        out["raw"] = list(first.raw)
    return out


def _add_fields(out: dict[str, Any], r: Record) -> None:
    if isinstance(r, PositionReport):
        out.update(
            lat=r.lat,
            lon=r.lon,
            sog_kn=r.sog_kn,
            cog_deg=r.cog_deg,
            heading_deg=r.heading_deg,
            accuracy=r.accuracy,
        )
        if r.msg_type in (1, 2, 3, 27):
            out["nav_status"] = r.nav_status
        if r.msg_type in (1, 2, 3):
            out["rot"] = r.rot_deg_min
    elif isinstance(r, StaticReport):
        if r.part is not None:
            out["part"] = r.part
        if r.msg_type in (5, 19) or r.part == "A":
            out["name"] = r.name
        if r.msg_type == 5 or r.part == "B":
            out["callsign"] = r.callsign
        if r.msg_type == 5:
            out.update(
                imo=r.imo,
                draught_m=r.draught_m,
                destination=r.destination,
                eta_reported=iso_utc(r.eta_reported_s),
            )
        if r.msg_type in (5, 19) or r.part == "B":
            out.update(
                ship_type=r.ship_type,
                to_bow_m=r.to_bow_m,
                to_stern_m=r.to_stern_m,
                to_port_m=r.to_port_m,
                to_starboard_m=r.to_starboard_m,
            )
        if r.mothership_mmsi is not None:
            out["mothership_mmsi"] = r.mothership_mmsi
    elif isinstance(r, BaseStationReport):
        out.update(
            lat=r.lat, lon=r.lon, accuracy=r.accuracy, reported_time=iso_utc(r.reported_time_s)
        )
    elif isinstance(r, AidToNavigationReport):
        out.update(
            name=r.name,
            aid_type=r.aid_type,
            lat=r.lat,
            lon=r.lon,
            accuracy=r.accuracy,
            to_bow_m=r.to_bow_m,
            to_stern_m=r.to_stern_m,
            to_port_m=r.to_port_m,
            to_starboard_m=r.to_starboard_m,
            off_position=r.off_position,
            virtual_aid=r.virtual_aid,
        )
    elif isinstance(r, SarAircraftReport):
        out.update(
            lat=r.lat,
            lon=r.lon,
            sog_kn=r.sog_kn,
            cog_deg=r.cog_deg,
            altitude_m=r.altitude_m,
            accuracy=r.accuracy,
        )
    elif isinstance(r, SafetyMessage):
        out["text"] = r.text
        if r.dest_mmsi is not None:
            out["dest_mmsi"] = r.dest_mmsi
    elif isinstance(r, OtherMessage):
        out["fields"] = {k: v for k, v in r.fields.items() if k not in ("msg_type", "mmsi")}

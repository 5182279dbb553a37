"""The JSON Lines form of decoded messages, as ``portwatch decode`` writes it.

One object per message with ``type``, ``mmsi`` and ``time`` always present
and the other keys where the message carries them (see docs/commands.md, "decode").
"""

from __future__ import annotations

import json
import json.encoder
import time
from collections.abc import Sequence
from functools import lru_cache
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
    millis = round((seconds - whole) * 1000)
    if millis == 1000:
        whole, millis = whole + 1, 0
    text = _whole_second(whole)
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


@lru_cache(maxsize=4096)
def _whole_second(seconds: int) -> str:
    """Formatting is the slow part and a feed repeats each second many times."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def message_to_json_text(records: Sequence[Record]) -> str:
    """``json.dumps(message_to_json(records))``, written directly for the commonest
    message, a position report (tests check the two agree character for character)."""
    first = records[0]
    if type(first) is not PositionReport or len(records) > 1 or first.raw is not None:
        return _dumps(message_to_json(records))
    msg_type = first.msg_type
    text = (
        f'{{"type": {msg_type}, "mmsi": {first.mmsi}, "time": {_json_time(first.time_s)}, '
        f'"lat": {_number(first.lat)}, "lon": {_number(first.lon)}, '
        f'"sog_kn": {_number(first.sog_kn)}, "cog_deg": {_number(first.cog_deg)}, '
        f'"heading_deg": {_number(first.heading_deg)}, '
        f'"accuracy": {"true" if first.accuracy else "false"}'
    )
    if msg_type <= 3 or msg_type == 27:
        text += f', "nav_status": {_number(first.nav_status)}'
    if msg_type <= 3:
        text += f', "rot": {_number(first.rot_deg_min)}'
    if first.own_ship:
        text += ', "own_ship": true'
    if first.station is not None:
        text += f', "station": {_json_string(first.station)}'
    return text + "}"


def _number(value: float | None) -> str:
    return "null" if value is None else repr(value)


def _json_time(seconds: float | None) -> str:
    return "null" if seconds is None else f'"{iso_utc(seconds)}"'


_dumps = json.JSONEncoder(check_circular=False).encode
_json_string = json.encoder.encode_basestring_ascii  # what json.dumps uses for strings


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

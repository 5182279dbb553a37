"""The history database played back as NMEA lines, for replay over a time range.

A replay over history must give what live gave: the same decoder, fleet and
analytics. So the stored reports are encoded again as AIS sentences (by pyais)
with an IEC 61162-450 tag block carrying their time, and go through the engine
like any log. Positions are stored as AIS sends them (microdegrees of the decoded
1/10000 minute, 1/10 knot, 1/10 degree), so the decoded values come back as
they were stored.

A vessel's static and voyage data (as of the moment) goes out just before its
first position in the range, and again whenever it changed in history.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from pyais.encode import encode_dict

from portwatch.decoders.framing import tag_block
from portwatch.history.store import HistoryStore
from portwatch.vessel import Fix, StaticData
from portwatch.vessel_kinds import AID_TO_NAVIGATION, BASE_STATION, CLASS_B, SAR_AIRCRAFT

STATION = "PWHIST"
"""The tag block's ``s:`` (source station) of replayed history."""
_NOT_AVAILABLE = {"speed": 102.3, "course": 360.0, "heading": 511, "status": 15}
"""ITU-R M.1371 'not available' values for the fields history may hold as NULL."""


def history_lines(
    store: HistoryStore, since_s: float, until_s: float
) -> Iterator[tuple[float, bytes]]:
    """Every stored report from ``since_s`` to ``until_s`` (inclusive), in time
    order, as (data time, NMEA line with a tag block)."""
    kinds = store.kinds()
    statics = store.statics_as_of(since_s)
    changes = iter(store.static_changes_between(since_s, until_s))
    change = next(changes, None)
    announced: set[int] = set()
    group = 0
    for fix in store.fixes_between(since_s, until_s):
        while change is not None and change[1] <= fix.time_s:
            mmsi, time_s, static = change
            statics[mmsi] = static
            if mmsi in announced:
                group += 1
                for line in _static_lines(mmsi, kinds.get(mmsi), static, time_s, group):
                    yield time_s, line
            change = next(changes, None)
        kind = kinds.get(fix.mmsi)
        static = statics.get(fix.mmsi)
        if fix.mmsi not in announced:
            announced.add(fix.mmsi)
            if static is not None:
                group += 1
                for line in _static_lines(fix.mmsi, kind, static, fix.time_s, group):
                    yield fix.time_s, line
        for line in _position_lines(fix, kind, static, group):
            yield fix.time_s, line


def _position_lines(
    fix: Fix, kind: str | None, static: StaticData | None, group: int
) -> list[bytes]:
    position = {
        "mmsi": fix.mmsi, "lat": fix.lat, "lon": fix.lon, "accuracy": 1,
        "speed": _or_not_available(fix.sog_kn, "speed"),
        "course": _or_not_available(fix.cog_deg, "course"),
        "heading": _or_not_available(fix.heading_deg, "heading"),
        "second": int(fix.time_s) % 60,
    }  # fmt: skip
    if kind == CLASS_B:
        data = {**position, "msg_type": 18, "cs": 1}
    elif kind == BASE_STATION:
        when = datetime.fromtimestamp(int(fix.time_s), UTC)
        data = {"msg_type": 4, "mmsi": fix.mmsi, "lat": fix.lat, "lon": fix.lon, "accuracy": 1,
                "year": when.year, "month": when.month, "day": when.day, "hour": when.hour,
                "minute": when.minute, "second": when.second, "epfd": 7}  # fmt: skip
    elif kind == AID_TO_NAVIGATION:
        name = (static.name if static else None) or ""
        data = {"msg_type": 21, "mmsi": fix.mmsi, "lat": fix.lat, "lon": fix.lon,
                "accuracy": 1, "name": name, "second": int(fix.time_s) % 60}  # fmt: skip
    elif kind == SAR_AIRCRAFT:
        data = {**position, "msg_type": 9, "alt": 4095}
        del data["heading"]
    else:
        status = _or_not_available(fix.nav_status, "status")
        data = {**position, "msg_type": 1, "status": status, "turn": -128}
    return _sentences(data, fix.time_s, group)


def _static_lines(
    mmsi: int, kind: str | None, static: StaticData, time_s: float, group: int
) -> list[bytes]:
    dims = {
        "to_bow": static.to_bow_m or 0, "to_stern": static.to_stern_m or 0,
        "to_port": static.to_port_m or 0, "to_starboard": static.to_starboard_m or 0,
    }  # fmt: skip
    if kind == CLASS_B:
        part_a = {"msg_type": 24, "mmsi": mmsi, "partno": 0, "shipname": static.name or ""}
        part_b = {"msg_type": 24, "mmsi": mmsi, "partno": 1, "ship_type": static.ship_type or 0,
                  "callsign": static.callsign or "", **dims}  # fmt: skip
        return _sentences(part_a, time_s, group) + _sentences(part_b, time_s, group)
    if kind in (BASE_STATION, AID_TO_NAVIGATION, SAR_AIRCRAFT):
        return []  # an aid's name travels in its own position report
    eta = {}
    if static.eta_reported_s is not None:
        when = datetime.fromtimestamp(static.eta_reported_s, UTC)
        eta = {"month": when.month, "day": when.day, "hour": when.hour, "minute": when.minute}
    data = {"msg_type": 5, "mmsi": mmsi, "imo": static.imo or 0,
            "callsign": static.callsign or "", "shipname": static.name or "",
            "ship_type": static.ship_type or 0, **dims, **eta, "draught": static.draught_m or 0.0,
            "destination": static.destination or ""}  # fmt: skip
    return _sentences(data, time_s, group)


def _or_not_available(value: float | int | None, field: str) -> float | int:
    return _NOT_AVAILABLE[field] if value is None else value


def _sentences(data: dict, time_s: float, group: int) -> list[bytes]:
    sentences = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
    stamp = f"s:{STATION},c:{int(time_s)}"
    if len(sentences) == 1:
        return [(tag_block(stamp) + sentences[0]).encode("ascii")]
    total = len(sentences)
    return [
        (tag_block(f"g:{number}-{total}-{group % 10_000},{stamp}") + sentence).encode("ascii")
        for number, sentence in enumerate(sentences, start=1)
    ]

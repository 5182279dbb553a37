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

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

from pyais.encode import encode_dict

from portwatch.decoders.framing import tag_block
from portwatch.history.store import HistoryStore
from portwatch.vessel import Fix, StaticData
from portwatch.vessel_kinds import AID_TO_NAVIGATION, BASE_STATION, CLASS_B, SAR_AIRCRAFT

STATION = "PWHIST"
"""The tag block's ``s:`` when a stored fix has no receiving station."""
WINDOW_S = 600
"""History is read ten minutes at a time: each read is short (the live writer's
WAL is not held open) and a seek starts afresh without reading the rest."""
HALF_YEAR_S = 183 * 86_400.0
"""AIS sends an ETA without its year: the decoder takes the year that puts it
nearest the message. An ETA further than this from the line's time would come
back in the wrong year, so it is sent as not available."""
_NOT_AVAILABLE = {"speed": 102.3, "course": 360.0, "heading": 511, "status": 15}
"""ITU-R M.1371 'not available' values for the fields history may hold as NULL."""
SAR_SPEED_NOT_AVAILABLE = 1023
"""Type 9 gives speed in whole knots: 1023 is its 'not available'."""
AID_NAME_CHARS, AID_NAME_EXTENSION_CHARS = 20, 14
_SIX_BIT = frozenset(chr(code) for code in range(0x20, 0x60))
"""The characters AIS text can carry (ITU-R M.1371 Table 47): space to underscore."""


def history_lines(
    store: HistoryStore, since_s: float, until_s: float
) -> Iterator[tuple[float, bytes]]:
    """Every stored report from ``since_s`` to ``until_s`` (inclusive), in time
    order, as (data time, NMEA line with a tag block)."""
    kinds = store.kinds()
    statics = store.statics_as_of(since_s)
    announced: set[int] = set()
    groups = itertools.count(1)
    changed_after_s = since_s
    for window_s in _windows(since_s, until_s):
        window_end_s = min(window_s + WINDOW_S, until_s)
        last_window = window_end_s >= until_s
        changes = store.static_changes_between(changed_after_s, window_end_s)
        changed_after_s = window_end_s
        # Half-open windows, the last one closed: times with milliseconds fall in one.
        fixes = store.fixes_between(window_s, window_end_s, until_inclusive=last_window)
        next_change = 0
        for fix in fixes:
            while next_change < len(changes) and changes[next_change][1] <= fix.time_s:
                mmsi, time_s, static = changes[next_change]
                next_change += 1
                statics[mmsi] = static
                if mmsi in announced:
                    lines = _static_lines(
                        mmsi, kinds.get(mmsi), static, time_s, STATION, next(groups)
                    )
                    yield from ((time_s, line) for line in lines)
            kind, static = kinds.get(fix.mmsi), statics.get(fix.mmsi)
            station = _station(fix.source)
            if fix.mmsi not in announced:
                announced.add(fix.mmsi)
                if static is not None:
                    lines = _static_lines(fix.mmsi, kind, static, fix.time_s, station, next(groups))
                    yield from ((fix.time_s, line) for line in lines)
            for line in _position_lines(fix, kind, static, station):
                yield fix.time_s, line
        for mmsi, time_s, static in changes[next_change:]:  # after the window's last fix
            statics[mmsi] = static
            if mmsi in announced:
                lines = _static_lines(mmsi, kinds.get(mmsi), static, time_s, STATION, next(groups))
                yield from ((time_s, line) for line in lines)


def _windows(since_s: float, until_s: float) -> Iterator[float]:
    """The start of each ``WINDOW_S`` window from ``since_s`` to ``until_s``."""
    for count in itertools.count():
        start_s = since_s + count * WINDOW_S
        if start_s > until_s or (count and start_s == until_s):
            return
        yield start_s


def _position_lines(
    fix: Fix, kind: str | None, static: StaticData | None, station: str
) -> list[bytes]:
    """The report that carried ``fix``, by the kind of station that sent it: class
    B (18), base station (4), aid to navigation (21, with its name and size), SAR
    aircraft (9), else class A (1)."""
    position = {
        "mmsi": fix.mmsi,
        "lat": fix.lat,
        "lon": fix.lon,
        "accuracy": 1,
        "speed": _or_not_available(fix.sog_kn, "speed"),
        "course": _or_not_available(fix.cog_deg, "course"),
        "heading": _or_not_available(fix.heading_deg, "heading"),
        "second": int(fix.time_s) % 60,
    }
    if kind == CLASS_B:
        data = {**position, "msg_type": 18, "cs": 1}
    elif kind == BASE_STATION:
        when = datetime.fromtimestamp(int(fix.time_s), UTC)
        data = {
            "msg_type": 4,
            "mmsi": fix.mmsi,
            "lat": fix.lat,
            "lon": fix.lon,
            "accuracy": 1,
            "year": when.year,
            "month": when.month,
            "day": when.day,
            "hour": when.hour,
            "minute": when.minute,
            "second": when.second,
            "epfd": 7,
        }
    elif kind == AID_TO_NAVIGATION:
        name = _six_bit(static.name if static else None)
        data = {
            "msg_type": 21,
            "mmsi": fix.mmsi,
            "lat": fix.lat,
            "lon": fix.lon,
            "accuracy": 1,
            "name": name[:AID_NAME_CHARS],
            "name_ext": name[AID_NAME_CHARS : AID_NAME_CHARS + AID_NAME_EXTENSION_CHARS],
            **(_dimensions(static) if static else {}),
            "second": int(fix.time_s) % 60,
        }
    elif kind == SAR_AIRCRAFT:
        speed = SAR_SPEED_NOT_AVAILABLE if fix.sog_kn is None else round(fix.sog_kn)
        data = {**position, "msg_type": 9, "alt": 4095, "speed": speed}
        del data["heading"]
    else:
        status = _or_not_available(fix.nav_status, "status")
        data = {**position, "msg_type": 1, "status": status, "turn": -128}
    return _sentences(data, fix.time_s, station, group=0)


def _static_lines(
    mmsi: int, kind: str | None, static: StaticData, time_s: float, station: str, group: int
) -> list[bytes]:
    """Static and voyage data as its kind of station sends it: class B in the two
    parts of type 24, class A in type 5; others carry theirs in their position."""
    if kind == CLASS_B:
        part_a = {"msg_type": 24, "mmsi": mmsi, "partno": 0, "shipname": _six_bit(static.name)}
        part_b = {
            "msg_type": 24,
            "mmsi": mmsi,
            "partno": 1,
            "ship_type": static.ship_type or 0,
            "callsign": _six_bit(static.callsign),
            **_dimensions(static),
        }
        return _sentences(part_a, time_s, station, 0) + _sentences(part_b, time_s, station, 0)
    if kind in (BASE_STATION, AID_TO_NAVIGATION, SAR_AIRCRAFT):
        return []
    eta = {}
    eta_s = static.eta_reported_s
    if eta_s is not None and abs(eta_s - time_s) <= HALF_YEAR_S:
        when = datetime.fromtimestamp(eta_s, UTC)
        eta = {"month": when.month, "day": when.day, "hour": when.hour, "minute": when.minute}
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "imo": static.imo or 0,
        "callsign": _six_bit(static.callsign),
        "shipname": _six_bit(static.name),
        "ship_type": static.ship_type or 0,
        **_dimensions(static),
        **eta,
        "draught": static.draught_m or 0.0,
        "destination": _six_bit(static.destination),
    }
    return _sentences(data, time_s, station, group)


def _dimensions(static: StaticData) -> dict[str, int]:
    return {
        "to_bow": static.to_bow_m or 0,
        "to_stern": static.to_stern_m or 0,
        "to_port": static.to_port_m or 0,
        "to_starboard": static.to_starboard_m or 0,
    }


def _or_not_available(value: float | int | None, field: str) -> float | int:
    return _NOT_AVAILABLE[field] if value is None else value


def _six_bit(text: str | None) -> str:
    """``text`` in the AIS alphabet (upper case; anything else as '?'): pyais
    refuses other characters, and one refused name must not end a replay."""
    return "".join(c if c in _SIX_BIT else "?" for c in (text or "").upper())


def _station(source: str | None) -> str:
    """The receiving station, as a tag block's ``s:`` can carry it."""
    if not source or source == "?":
        return STATION
    return source.translate(_TAG_BLOCK_UNSAFE)


_TAG_BLOCK_UNSAFE = str.maketrans({",": "_", "*": "_", "\\": "_", "!": "_", "$": "_"})


def _sentences(data: dict, time_s: float, station: str, group: int) -> list[bytes]:
    """Encoded, each behind a tag block with the time and station; the sentences
    of a multipart message are grouped (``g:``) as a receiver groups them."""
    sentences = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
    stamp = f"s:{station},c:{_tag_time(time_s)}"
    if len(sentences) == 1:
        return [(tag_block(stamp) + sentences[0]).encode("ascii")]
    total = len(sentences)
    return [
        (tag_block(f"g:{number}-{total}-{group % 10_000},{stamp}") + sentence).encode("ascii")
        for number, sentence in enumerate(sentences, start=1)
    ]


def _tag_time(time_s: float) -> int:
    """A tag block's ``c:``: Unix seconds, or milliseconds when the time has them
    (the decoder reads 13 digits as milliseconds), so a replayed fix keeps its time."""
    millis = round(time_s * 1000)
    return millis // 1000 if millis % 1000 == 0 else millis

"""Turn pyais's decoded messages into PortWatch records.

pyais decodes every message type; this module only maps its fields onto the
typed records and replaces the standard's "not available" values by None. It
is also the reference the fast position decoder is tested against.
"""

from __future__ import annotations

import enum
from typing import Any

from pyais.bit_vector import bit_vector
from pyais.messages import MSG_CLASS

from portwatch.decoders.errors import DecodeError
from portwatch.decoders.eta import resolve_reported_eta
from portwatch.decoders.fields import utc_seconds
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

SUPPORTED_TYPES = frozenset(range(1, 28))
Header = tuple[float | None, str, str | None, bool, tuple[str, ...] | None]


def payload_type(payload: bytes) -> int:
    """The message number carried by the first six bits of an armoured payload."""
    value = payload[0] - 48
    if value > 40:
        value -= 8
    return value


def decode_with_pyais(payload: bytes, fill_bits: int, header: Header) -> list[Record]:
    """Decode one assembled payload with pyais into records (two for type 19).

    Raises DecodeError with kind ``unsupported_type`` or ``undecodable``.
    """
    if not payload:
        raise DecodeError("undecodable", "empty payload")
    if not all(48 <= c <= 87 or 96 <= c <= 119 for c in payload):
        raise DecodeError("undecodable", "payload holds characters outside the AIS armour")
    msg_type = payload_type(payload)
    if msg_type not in SUPPORTED_TYPES:
        raise DecodeError("unsupported_type", f"message type {msg_type} is not defined")
    try:
        bits = bit_vector(payload, fill_bits)
        message = MSG_CLASS[msg_type].from_vector(bits)
    except Exception as error:  # pyais raises many kinds on truncated payloads
        raise DecodeError("undecodable", f"type {msg_type}: {error}") from error
    mmsi = getattr(message, "mmsi", None)
    if not isinstance(mmsi, int):
        raise DecodeError("undecodable", f"type {msg_type}: payload too short for an MMSI")
    try:
        return _to_records(msg_type, mmsi, message, header, payload, fill_bits, bits)
    except (TypeError, ValueError) as error:
        raise DecodeError("undecodable", f"type {msg_type}: {error}") from error


def _to_records(
    msg_type: int, mmsi: int, m: Any, header: Header, payload: bytes, fill_bits: int, bits: Any
) -> list[Record]:
    time_s, source, station, own_ship, raw = header
    common: dict[str, Any] = {
        "msg_type": msg_type,
        "mmsi": mmsi,
        "time_s": time_s,
        "source": source,
        "station": station,
        "own_ship": own_ship,
        "raw": raw,
    }
    if msg_type in (1, 2, 3):
        lat, lon = _position(m.lat, m.lon)
        return [
            PositionReport(
                **common,
                lat=lat,
                lon=lon,
                sog_kn=_sog(m.speed),
                cog_deg=_cog(m.course),
                heading_deg=_heading(m.heading),
                nav_status=_nav_status(m.status),
                rot_deg_min=_rot(m.turn),
                accuracy=bool(m.accuracy),
                second=_second(m.second),
                raim=bool(m.raim),
            )
        ]
    if msg_type in (18, 19):
        lat, lon = _position(m.lat, m.lon)
        position = PositionReport(
            **common,
            lat=lat,
            lon=lon,
            sog_kn=_sog(m.speed),
            cog_deg=_cog(m.course),
            heading_deg=_heading(m.heading),
            nav_status=None,
            rot_deg_min=None,
            accuracy=bool(m.accuracy),
            second=_second(m.second),
            raim=bool(m.raim),
        )
        if msg_type == 18:
            return [position]
        static = StaticReport(
            **common,
            name=_text(m.shipname),
            ship_type=_ship_type(bits, msg_type),
            **_dimensions(m),
        )
        return [position, static]
    if msg_type == 27:
        lat, lon = _position(m.lat, m.lon)
        sog = None if m.speed is None or m.speed >= 63 else float(m.speed)
        cog = None if m.course is None or m.course >= 360 else float(m.course)
        return [
            PositionReport(
                **common,
                lat=lat,
                lon=lon,
                sog_kn=sog,
                cog_deg=cog,
                heading_deg=None,
                nav_status=_nav_status(m.status),
                rot_deg_min=None,
                accuracy=bool(m.accuracy),
                second=None,
                raim=bool(m.raim),
            )
        ]
    if msg_type == 5:
        eta_s = resolve_reported_eta(m.month, m.day, m.hour, m.minute, time_s)
        return [
            StaticReport(
                **common,
                name=_text(m.shipname),
                callsign=_text(m.callsign),
                imo=m.imo or None,
                ship_type=_ship_type(bits, msg_type),
                **_dimensions(m),
                draught_m=_draught(m.draught),
                destination=_text(m.destination),
                eta_reported_s=eta_s,
                eta_month=m.month or None,
                eta_day=m.day or None,
                eta_hour=None if m.hour is None or m.hour >= 24 else m.hour,
                eta_minute=None if m.minute is None or m.minute >= 60 else m.minute,
            )
        ]
    if msg_type == 24:
        if m.partno == 0:
            return [StaticReport(**common, part="A", name=_text(m.shipname))]
        if m.partno == 1:
            auxiliary = hasattr(m, "mothership_mmsi")
            return [
                StaticReport(
                    **common,
                    part="B",
                    callsign=_text(m.callsign),
                    ship_type=_ship_type(bits, msg_type),
                    mothership_mmsi=(m.mothership_mmsi or None) if auxiliary else None,
                    # An auxiliary craft gives its mother ship instead of dimensions
                    # (none at all when the payload is cut short before them).
                    **({} if auxiliary else _dimensions(m)),
                )
            ]
        raise DecodeError("undecodable", f"type 24 with part number {m.partno}")
    if msg_type in (4, 11):
        lat, lon = _position(m.lat, m.lon)
        return [
            BaseStationReport(
                **common,
                lat=lat,
                lon=lon,
                accuracy=bool(m.accuracy),
                reported_time_s=utc_seconds(m.year, m.month, m.day, m.hour, m.minute, m.second),
                epfd=bits.get(134, 4) or None,  # raw: pyais maps reserved codes to None,
            )
        ]
    if msg_type == 21:
        lat, lon = _position(m.lat, m.lon)
        # The name goes on in the extension (whole six-bit characters after bit
        # 272); each part ends at its first "@". Read from the bits: pyais strips
        # each part's spaces and reads leftover bits as one more character.
        extension_characters = max(0, (len(payload) * 6 - fill_bits - 272) // 6)
        name = _text(
            _raw_text(bits, 43, 20).partition("@")[0]
            + _raw_text(bits, 272, extension_characters).partition("@")[0]
        )
        return [
            AidToNavigationReport(
                **common,
                aid_type=_int(m.aid_type) or None,
                name=name,
                lat=lat,
                lon=lon,
                accuracy=bool(m.accuracy),
                **{**_NO_DIMENSIONS, **_dimensions(m)},
                off_position=bool(m.off_position),
                virtual_aid=bool(m.virtual_aid),
            )
        ]
    if msg_type == 9:
        lat, lon = _position(m.lat, m.lon)
        altitude = None if m.alt is None or m.alt >= 4095 else int(m.alt)
        sog = None if m.speed is None or m.speed >= 1023 else float(m.speed)
        return [
            SarAircraftReport(
                **common,
                altitude_m=altitude,
                sog_kn=sog,
                lat=lat,
                lon=lon,
                cog_deg=_cog(m.course),
                accuracy=bool(m.accuracy),
                second=_second(m.second),
            )
        ]
    if msg_type in (12, 14):
        dest = getattr(m, "dest_mmsi", None)
        # Text is whole 6-bit characters; pyais also decodes leftover bits
        # (fewer than six) as one more character.
        text_start = 72 if msg_type == 12 else 40
        characters = max(0, (len(payload) * 6 - fill_bits - text_start) // 6)
        text = (m.text or "")[:characters].partition("@")[0].rstrip()
        return [SafetyMessage(**common, dest_mmsi=dest, text=text)]
    return [OtherMessage(**common, fields=_plain_fields(m))]


def _position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    if lat is None or lon is None or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None, None
    return lat, lon


def _sog(speed: float | None) -> float | None:
    return None if speed is None or speed >= 102.25 else speed


def _cog(course: float | None) -> float | None:
    return None if course is None or course >= 360.0 else course


def _heading(heading: int | None) -> int | None:
    return None if heading is None or heading >= 360 else int(heading)


def _nav_status(status: Any) -> int | None:
    value = _int(status)
    return None if value is None or value == 15 else value


def _rot(turn: Any) -> float | None:
    """pyais gives deg/min rounded to a whole number, or a TurnRate member."""
    if turn is None or isinstance(turn, enum.Enum):
        return None
    return float(turn)


def _second(second: int | None) -> int | None:
    return None if second is None or second >= 60 else int(second)


_SHIP_TYPE_BIT = {5: 232, 19: 263, 24: 40}


def _ship_type(bits: Any, msg_type: int) -> int | None:
    """The raw type of ship and cargo (M.1371-5 Table 53); 0 = not available.

    Read from the bits, because pyais maps reserved values (38, 39, ...) to a
    placeholder or to nothing, and a reserved code is still what the ship sent.
    """
    return bits.get(_SHIP_TYPE_BIT[msg_type], 8) or None


def _draught(draught: float | None) -> float | None:
    return draught or None


_NO_DIMENSIONS = dict.fromkeys(("to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m"))


def _dimensions(m: Any) -> dict[str, int]:
    """Distances from the reference point (antenna) to bow, stern, port, starboard.

    All four zero means "reference point not available" (M.1371-5 Fig. 42): no
    distances then; a single zero is real (an antenna right at the starboard side).
    """
    dims = (m.to_bow, m.to_stern, m.to_port, m.to_starboard)
    if any(d is None for d in dims) or not any(dims):
        return {}
    return dict(zip(_NO_DIMENSIONS, dims, strict=True))


def _text(text: str | None) -> str | None:
    """A fixed-length 6-bit text field: it ends at the first ``@`` (the padding
    character, M.1371-5 Table 47); what follows is filler, not text."""
    return (text or "").partition("@")[0].strip() or None


_SIXBIT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"


def _raw_text(bits: Any, start: int, characters: int) -> str:
    """Six-bit characters as they are, without pyais's stripping."""
    return "".join(_SIXBIT[bits.get(start + 6 * i, 6)] for i in range(characters))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _plain_fields(message: Any) -> dict[str, Any]:
    """pyais's fields with enums as ints and bytes as hex, ready for JSON."""
    fields = message.asdict(enum_as_int=True)
    for key, value in fields.items():
        if isinstance(value, bytes):
            fields[key] = value.hex()
    return fields

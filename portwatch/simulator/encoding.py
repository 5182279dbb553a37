"""AIS payloads for the simulator, packed straight into integers.

pyais's ``encode_dict`` builds a bit string field by field and took four fifths
of the simulator's time; a busy bay sends tens of reports a second. Here each
message type is one integer built with shifts, armoured by the C base64 codec
(the payload alphabet is base64 with other characters, as in decoders/armour.py),
and checksummed by folding (decoders/framing.py). Field layouts and units are
those of ITU-R M.1371-5: Table 46 (types 1-3), 51 (4), 52 (5), 70 (18),
73-74 (24 parts A and B), 78 (21).
"""

from __future__ import annotations

from binascii import b2a_base64

from portwatch.decoders.framing import nmea_checksum

_BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))
_BASE64_TO_ARMOUR = bytes.maketrans(_BASE64, _ARMOUR)
MAX_CHARACTERS = 60
"""Payload characters per sentence (NMEA 0183's 82-character limit)."""

Payload = tuple[str, int]
"""Armoured payload and its fill bits."""


def armour(value: int, bits: int) -> Payload:
    """``value`` (``bits`` long) as payload characters, padded to six bits."""
    fill = -bits % 6
    characters = (bits + fill) // 6
    padding = -characters & 3
    raw = (value << (fill + 6 * padding)).to_bytes((characters + padding) * 3 // 4, "big")
    text = b2a_base64(raw, newline=False)[:characters].translate(_BASE64_TO_ARMOUR)
    return text.decode("ascii"), fill


def sixbit_text(text: str, characters: int) -> int:
    """``text`` in the six-bit alphabet, upper case, padded with ``@`` to ``characters``."""
    value = 0
    for char in text.upper()[:characters].ljust(characters, "@"):
        code = ord(char)
        value = (value << 6) | ((code - 64 if code >= 64 else code) & 0x3F)
    return value


def _signed(value: int, bits: int) -> int:
    return value & ((1 << bits) - 1)


def _position(lon: float, lat: float) -> tuple[int, int]:
    return _signed(round(lon * 600_000), 28), _signed(round(lat * 600_000), 27)


def position_report(
    mmsi: int,
    status: int,
    speed_kn: float,
    lon: float,
    lat: float,
    course_deg: float,
    heading_deg: int,
    second: int,
) -> Payload:
    """Type 1, class A; rate of turn 0, high accuracy, no RAIM, SOTDMA state 0."""
    x, y = _position(lon, lat)
    value = 1
    value = (value << 2) << 30 | mmsi
    value = value << 4 | status
    value = value << 8  # rate of turn: 0
    value = value << 10 | min(1022, round(speed_kn * 10))
    value = (value << 1 | 1) << 28 | x
    value = value << 27 | y
    value = value << 12 | round(course_deg * 10) % 3600
    value = value << 9 | heading_deg
    value = value << 6 | second
    value = value << 25  # manoeuvre, spare, RAIM, radio status
    return armour(value, 168)


def class_b_position(
    mmsi: int,
    speed_kn: float,
    lon: float,
    lat: float,
    course_deg: float,
    heading_deg: int,
    second: int,
) -> Payload:
    """Type 18, a class B "CS" unit (carrier-sense flag set)."""
    x, y = _position(lon, lat)
    value = 18
    value = (value << 2) << 30 | mmsi
    value = value << 8  # reserved
    value = value << 10 | min(1022, round(speed_kn * 10))
    value = (value << 1 | 1) << 28 | x
    value = value << 27 | y
    value = value << 12 | round(course_deg * 10) % 3600
    value = value << 9 | heading_deg
    value = value << 6 | second
    value = value << 2  # regional
    value = value << 1 | 1  # CS unit
    value = value << 26  # display, DSC, band, msg 22, assigned, RAIM, radio
    return armour(value, 168)


def base_station(
    mmsi: int,
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    lon: float,
    lat: float,
) -> Payload:
    """Type 4; position fixed by a surveyed position (EPFD 7)."""
    x, y = _position(lon, lat)
    value = 4
    value = (value << 2) << 30 | mmsi
    value = value << 14 | year
    value = value << 4 | month
    value = value << 5 | day
    value = value << 5 | hour
    value = value << 6 | minute
    value = value << 6 | second
    value = (value << 1 | 1) << 28 | x
    value = value << 27 | y
    value = value << 4 | 7
    value = value << 30  # spare, RAIM, radio status
    return armour(value, 168)


def aid_to_navigation(
    mmsi: int, aid_type: int, name: str, lon: float, lat: float, second: int, virtual: bool
) -> Payload:
    """Type 21 with a name of up to 20 characters (no extension), no dimensions."""
    x, y = _position(lon, lat)
    value = 21
    value = (value << 2) << 30 | mmsi
    value = value << 5 | aid_type
    value = value << 120 | sixbit_text(name, 20)
    value = (value << 1 | 1) << 28 | x
    value = value << 27 | y
    value = value << 30  # dimensions
    value = value << 4 | 7
    value = value << 6 | second
    value = value << 1  # off position
    value = value << 8  # regional
    value = value << 1  # RAIM
    value = value << 1 | int(virtual)
    value = value << 1  # assigned mode
    value = value << 1  # spare
    return armour(value, 272)


def static_voyage(
    mmsi: int,
    imo: int,
    callsign: str,
    name: str,
    ship_type: int,
    dimensions: tuple[int, int, int, int],
    eta: tuple[int, int, int, int],
    draught_m: float,
    destination: str,
) -> Payload:
    """Type 5: AIS version 0, EPFD GPS; ``eta`` as (month, day, hour, minute), all 0
    for none; ``dimensions`` to bow, stern, port, starboard in metres."""
    bow, stern, port, starboard = dimensions
    month, day, hour, minute = eta
    value = 5
    value = (value << 2) << 30 | mmsi
    value = value << 2  # AIS version
    value = value << 30 | imo
    value = value << 42 | sixbit_text(callsign, 7)
    value = value << 120 | sixbit_text(name, 20)
    value = value << 8 | ship_type
    value = value << 9 | min(bow, 511)
    value = value << 9 | min(stern, 511)
    value = value << 6 | min(port, 63)
    value = value << 6 | min(starboard, 63)
    value = value << 4 | 1
    value = value << 4 | month
    value = value << 5 | day
    value = value << 5 | (hour if month else 24)
    value = value << 6 | (minute if month else 60)
    value = value << 8 | min(255, round(draught_m * 10))
    value = value << 120 | sixbit_text(destination, 20)
    value = value << 2  # DTE, spare
    return armour(value, 424)


def class_b_static_a(mmsi: int, name: str) -> Payload:
    """Type 24 part A: the name."""
    value = ((24 << 2) << 30 | mmsi) << 2
    value = value << 120 | sixbit_text(name, 20)
    return armour(value << 8, 168)


def class_b_static_b(
    mmsi: int, ship_type: int, callsign: str, dimensions: tuple[int, int, int, int]
) -> Payload:
    """Type 24 part B: type of ship, call sign and dimensions."""
    bow, stern, port, starboard = dimensions
    value = ((24 << 2) << 30 | mmsi) << 2 | 1
    value = value << 8 | ship_type
    value = value << 42  # vendor id
    value = value << 42 | sixbit_text(callsign, 7)
    value = value << 9 | min(bow, 511)
    value = value << 9 | min(stern, 511)
    value = value << 6 | min(port, 63)
    value = value << 6 | min(starboard, 63)
    value = value << 6  # spare
    return armour(value, 168)


def sentences(payload: Payload, sequence: int | str = "") -> list[str]:
    """``!AIVDM`` sentences on channel A carrying ``payload``, split at 60 characters."""
    text, fill = payload
    if len(text) <= MAX_CHARACTERS:
        body = f"AIVDM,1,1,,A,{text},{fill}"
        return [f"!{body}*{nmea_checksum(body.encode('ascii')):02X}"]
    parts = [text[i : i + MAX_CHARACTERS] for i in range(0, len(text), MAX_CHARACTERS)]
    lines = []
    for number, part in enumerate(parts, start=1):
        part_fill = fill if number == len(parts) else 0
        body = f"AIVDM,{len(parts)},{number},{sequence},A,{part},{part_fill}"
        lines.append(f"!{body}*{nmea_checksum(body.encode('ascii')):02X}")
    return lines

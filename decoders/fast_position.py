"""Fast decoding of the hot message types: 168-bit position reports 1, 2, 3 and 18.

These make up most of any AIS feed. The payload becomes one integer
(``armour.payload_bits``) and every field is a shift and a mask. pyais decodes
the same payloads in the tests, field by field, as the reference
(tests/decoders/test_fast_paths.py).
"""

from __future__ import annotations

from portwatch.decoders.records import PositionReport

FAST_PAYLOAD_LENGTH = 28  # 168 bits, six bits per character, no fill bits
# First payload character of each fast type ("1", "2", "3", "B").
FAST_LEADS = frozenset(b"123B")


def _rate_of_turn(raw: int) -> float | None:
    """Degrees per minute from the 8-bit ROT_AIS = 4.733 * sqrt(ROT) (M.1371-5 Table 46).

    -128 is "not available"; +-127 only says "turning faster than 5 deg/30 s".
    """
    if raw in (-128, -127, 127):
        return None
    rate = round((raw / 4.733) ** 2, 1)
    return -rate if raw < 0 else rate


RATE_OF_TURN = tuple(_rate_of_turn(raw if raw < 128 else raw - 256) for raw in range(256))
"""Indexed by the unsigned 8 bits of the field."""


def degrees(lat: int, lon: int) -> tuple[float | None, float | None]:
    """Signed 27/28-bit latitude/longitude fields (1/10000 minute) as degrees.

    None for both when either is "not available" (91, 181) or impossible
    (beyond 90, 180). Rounded like pyais (round(raw / 600000, 6), in integer
    arithmetic), so the two decoders agree to the bit.
    """
    if lon & 0x8000000:
        lon -= 0x10000000
    if lat & 0x4000000:
        lat -= 0x8000000
    if (
        lon == 108600000
        or lat == 54600000
        or not (-108000000 <= lon <= 108000000 and -54000000 <= lat <= 54000000)
    ):
        return None, None
    return ((10 * lat + 3) // 6) / 1e6, ((10 * lon + 3) // 6) / 1e6


def decode_position(
    v: int,
    time_s: float | None,
    source: str,
    station: str | None,
    own_ship: bool,
    raw: tuple[str, ...] | None,
) -> PositionReport:
    """Decode the 168 bits ``v`` of a type 1, 2, 3 or 18 report (M.1371-5 Tables 46, 70)."""
    msg_type = v >> 162
    if msg_type == 18:
        sog = (v >> 112) & 0x3FF
        accuracy = (v >> 111) & 1 == 1
        lon_units = (v >> 83) & 0xFFFFFFF
        lat_units = (v >> 56) & 0x7FFFFFF
        cog = (v >> 44) & 0xFFF
        heading = (v >> 35) & 0x1FF
        utc_second = (v >> 29) & 0x3F
        raim = (v >> 20) & 1 == 1
        nav_status = None
        rot_deg_min = None
    else:
        status = (v >> 126) & 0xF
        nav_status = None if status == 15 else status
        rot_deg_min = RATE_OF_TURN[(v >> 118) & 0xFF]
        sog = (v >> 108) & 0x3FF
        accuracy = (v >> 107) & 1 == 1
        lon_units = (v >> 79) & 0xFFFFFFF
        lat_units = (v >> 52) & 0x7FFFFFF
        cog = (v >> 40) & 0xFFF
        heading = (v >> 31) & 0x1FF
        utc_second = (v >> 25) & 0x3F
        raim = (v >> 19) & 1 == 1
    if lon_units & 0x8000000:
        lon_units -= 0x10000000
    if lat_units & 0x4000000:
        lat_units -= 0x8000000
    # degrees(), inlined: this is the hottest function of all.
    if (
        lon_units == 108600000
        or lat_units == 54600000
        or not (-108000000 <= lon_units <= 108000000 and -54000000 <= lat_units <= 54000000)
    ):
        lat = lon = None
    else:
        lat = ((10 * lat_units + 3) // 6) / 1e6
        lon = ((10 * lon_units + 3) // 6) / 1e6
    mmsi = (v >> 130) & 0x3FFFFFFF
    sog_kn = None if sog == 1023 else sog / 10.0
    cog_deg = None if cog >= 3600 else cog / 10.0
    heading_deg = None if heading >= 360 else heading
    second = None if utc_second >= 60 else utc_second
    # Positional, in the order of PositionReport's fields, each argument a variable
    # named as its field: built with keywords, the general path (decode_line, every
    # live line) took 8 % longer on benchmarks/decode.py's log (1.494 s against
    # 1.382 s, CPU time, medians of four interleaved runs). tests/decoders/
    # test_fast_paths.py checks the names, and every field against pyais's decoding.
    return PositionReport(
        msg_type,
        mmsi,
        time_s,
        source,
        station,
        own_ship,
        raw,
        lat,
        lon,
        sog_kn,
        cog_deg,
        heading_deg,
        nav_status,
        rot_deg_min,
        accuracy,
        second,
        raim,
    )

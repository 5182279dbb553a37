"""Fast decoding of fixed stations: base station reports (4, 11) and aids to navigation (21).

Every receiver in a port hears its base stations every few seconds and its
buoys every few minutes, so these come right after positions and static data
in volume. Same technique as ``fast_position``; pyais decodes the same payloads
in the tests as the reference (tests/decoders/test_fast_paths.py).
"""

from __future__ import annotations

from portwatch.decoders.armour import payload_value, sixbit_characters
from portwatch.decoders.fast_position import degrees
from portwatch.decoders.fast_static import dimensions
from portwatch.decoders.fields import utc_seconds
from portwatch.decoders.records import AidToNavigationReport, BaseStationReport

BASE_STATION_BITS = 168
AID_TO_NAVIGATION_MIN_BITS = 272
AID_TO_NAVIGATION_MAX_BITS = 360


def decode_station(
    payload: bytes,
    fill_bits: int,
    time_s: float | None,
    source: str,
    station: str | None,
    own_ship: bool,
    raw: tuple[str, ...] | None,
) -> BaseStationReport | AidToNavigationReport | None:
    """Decode a type 4, 11 or 21 payload of a standard length; None for anything else."""
    bits = len(payload) * 6 - fill_bits
    if bits != BASE_STATION_BITS and not (
        AID_TO_NAVIGATION_MIN_BITS <= bits <= AID_TO_NAVIGATION_MAX_BITS
    ):
        return None
    v, bits = payload_value(payload, fill_bits)
    msg_type = v >> (bits - 6)
    if msg_type in (4, 11) and bits == BASE_STATION_BITS:
        lat_deg, lon_deg = degrees((v >> 34) & 0x7FFFFFF, (v >> 61) & 0xFFFFFFF)
        epfd = (v >> 30) & 0xF
        return BaseStationReport(
            msg_type=msg_type,
            mmsi=(v >> 130) & 0x3FFFFFFF,
            time_s=time_s,
            source=source,
            station=station,
            own_ship=own_ship,
            raw=raw,
            lat=lat_deg,
            lon=lon_deg,
            accuracy=(v >> 89) & 1 == 1,
            reported_time_s=utc_seconds(
                (v >> 116) & 0x3FFF,
                (v >> 112) & 0xF,
                (v >> 107) & 0x1F,
                (v >> 102) & 0x1F,
                (v >> 96) & 0x3F,
                (v >> 90) & 0x3F,
            ),
            epfd=epfd or None,
        )
    if msg_type == 21 and AID_TO_NAVIGATION_MIN_BITS <= bits <= AID_TO_NAVIGATION_MAX_BITS:
        extension_characters = (bits - AID_TO_NAVIGATION_MIN_BITS) // 6
        extension = sixbit_characters(
            v >> (bits - AID_TO_NAVIGATION_MIN_BITS - 6 * extension_characters),
            extension_characters,
        )
        v >>= bits - AID_TO_NAVIGATION_MIN_BITS  # now exactly the 272 fixed bits
        # The name goes on in the extension; each part ends at its first "@".
        full_name = (
            sixbit_characters(v >> 109, 20).partition(b"@")[0] + extension.partition(b"@")[0]
        )
        name = full_name.strip().decode("ascii") or None
        lat_deg, lon_deg = degrees((v >> 53) & 0x7FFFFFF, (v >> 80) & 0xFFFFFFF)
        aid_type = (v >> 229) & 0x1F
        to_bow_m, to_stern_m, to_port_m, to_starboard_m = dimensions(v >> 23)
        return AidToNavigationReport(
            msg_type=21,
            mmsi=(v >> 234) & 0x3FFFFFFF,
            time_s=time_s,
            source=source,
            station=station,
            own_ship=own_ship,
            raw=raw,
            aid_type=aid_type or None,
            name=name,
            lat=lat_deg,
            lon=lon_deg,
            accuracy=(v >> 108) & 1 == 1,
            to_bow_m=to_bow_m,
            to_stern_m=to_stern_m,
            to_port_m=to_port_m,
            to_starboard_m=to_starboard_m,
            off_position=(v >> 12) & 1 == 1,
            virtual_aid=(v >> 2) & 1 == 1,
        )
    return None

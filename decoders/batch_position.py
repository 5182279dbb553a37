"""Position reports decoded a thousand at a time, with numpy.

A port feed is mostly one-sentence position reports. Decoded one by one in
Python, each costs a few dozen bytecode operations for its checksum and its
fields; here the checksums of a whole batch are one XOR reduction and every
field is one array operation, leaving Python only the records to build. The
per-message decoder ``fast_position.decode_position`` stays the definition:
tests check the two agree on every field (tests/decoders/test_batch_position.py).
"""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from portwatch.decoders.armour import ARMOUR_TO_BASE64
from portwatch.decoders.fast_position import RATE_OF_TURN
from portwatch.decoders.framing import (
    matched_time_s,
    nmea_checksum,
)
from portwatch.decoders.records import PositionReport

_BODY_WIDTH = 48
"""Longest body of a hot line: ``XXVDM,1,1,9,A,`` + 28 payload characters + ``,0``."""


def checksums(bodies: Sequence[bytes]) -> list[int]:
    """NMEA checksums (XOR of all bytes) of many sentence bodies at once."""
    if any(len(body) > _BODY_WIDTH for body in bodies):
        return [nmea_checksum(body) for body in bodies]
    table = np.frombuffer(
        b"".join([body.ljust(_BODY_WIDTH, b"\0") for body in bodies]), np.uint8
    ).reshape(-1, _BODY_WIDTH)
    return np.bitwise_xor.reduce(table, axis=1).tolist()


def epoch_times(texts: Sequence[bytes | None]) -> list[float | None]:
    """Tag-block ``c:`` times of many lines, as ``framing.plausible_epoch`` reads each.

    Each distinct text is read once: a feed stamps whole seconds, and a batch of a
    thousand lines holds a few dozen of them (a port's) to a few (a nation's)."""
    times = {text: matched_time_s(text) for text in set(texts)}
    return list(map(times.__getitem__, texts))


def decode_positions(
    payloads: Sequence[bytes],
    times_s: Sequence[float | None],
    source: str,
    stations: Sequence[str | None],
    own_ships: Sequence[bool],
) -> list[PositionReport]:
    """Decode 28-character payloads of types 1, 2, 3 and 18, exactly as
    ``decode_position`` does one at a time (M.1371-5 Tables 46 and 70)."""
    count = len(payloads)
    raw = np.frombuffer(
        a2b_base64(b"".join(payloads).translate(ARMOUR_TO_BASE64)), np.uint8
    ).reshape(count, 21)
    padded = np.zeros((count, 24), np.uint8)
    padded[:, :21] = raw
    words = padded.view(">u8").astype(np.uint64)
    w0 = words[:, 0]  # bits 0-63
    w1 = words[:, 1]  # bits 64-127
    w2 = words[:, 2] >> 24  # bits 128-167, as a 40-bit number
    msg_type = (w0 >> 58).astype(np.int64)
    mmsi = (w0 >> 26) & 0x3FFFFFFF
    class_b = msg_type == 18
    # Class A (types 1-3) and class B (type 18) put the same fields at
    # different offsets: compute both, keep the one each row needs.
    sog = np.where(class_b, (w0 >> 8) & 0x3FF, (w0 >> 4) & 0x3FF).astype(np.int64)
    accuracy = np.where(class_b, (w0 >> 7) & 1, (w0 >> 3) & 1) == 1
    lon = np.where(class_b, ((w0 & 0x7F) << 21) | (w1 >> 43), ((w0 & 0x7) << 25) | (w1 >> 39))
    lat = np.where(class_b, (w1 >> 16) & 0x7FFFFFF, (w1 >> 12) & 0x7FFFFFF)
    cog = np.where(class_b, (w1 >> 4) & 0xFFF, w1 & 0xFFF).astype(np.int64)
    heading = np.where(class_b, ((w1 & 0xF) << 5) | (w2 >> 35), (w2 >> 31) & 0x1FF)
    heading = heading.astype(np.int64)
    second = np.where(class_b, (w2 >> 29) & 0x3F, (w2 >> 25) & 0x3F).astype(np.int64)
    raim = np.where(class_b, (w2 >> 20) & 1, (w2 >> 19) & 1) == 1
    status = ((w0 >> 22) & 0xF).astype(np.int64)
    turn = ((w0 >> 14) & 0xFF).astype(np.int64)

    lon = (lon & 0xFFFFFFF).astype(np.int64)
    lon = np.where(lon & 0x8000000, lon - 0x10000000, lon)
    lat = lat.astype(np.int64)
    lat = np.where(lat & 0x4000000, lat - 0x8000000, lat)
    no_fix = (
        (lon == 108600000)
        | (lat == 54600000)
        | (lon < -108000000)
        | (lon > 108000000)
        | (lat < -54000000)
        | (lat > 54000000)
    )
    # Same rounding as fast_position.degrees: floor((10 * raw + 3) / 6) / 1e6.
    lat_deg = _with_none(((10 * lat + 3) // 6) / 1e6, no_fix)
    lon_deg = _with_none(((10 * lon + 3) // 6) / 1e6, no_fix)
    sog_kn = _with_none(sog / 10.0, sog == 1023)
    cog_deg = _with_none(cog / 10.0, cog >= 3600)
    heading_deg = _with_none(heading, heading >= 360)
    seconds = _with_none(second, second >= 60)
    nav_status = _with_none(status, class_b | (status == 15))
    rate_of_turn = RATE_OF_TURN
    rot = [
        None if b else rate_of_turn[t] for b, t in zip(class_b.tolist(), turn.tolist(), strict=True)
    ]
    # Columns in the order of PositionReport's fields, as decode_position passes them
    # (map takes no keywords); tests/decoders/test_batch_position.py holds every
    # record to decode_position's.
    return list(
        map(
            PositionReport,
            msg_type.tolist(),
            mmsi.tolist(),
            times_s,
            repeat(source, count),
            stations,
            own_ships,
            repeat(None, count),
            lat_deg,
            lon_deg,
            sog_kn,
            cog_deg,
            heading_deg,
            nav_status,
            rot,
            accuracy.tolist(),
            seconds,
            raim.tolist(),
        )
    )


def _with_none(values: np.ndarray, not_available: np.ndarray) -> list:
    """``values`` as Python numbers, with None where ``not_available``."""
    out = values.tolist()
    for index in np.flatnonzero(not_available).tolist():
        out[index] = None
    return out

"""The fast position decoder agrees with pyais, field by field.

pyais stays the reference: every type 1, 2, 3 and 18 payload of every shared
recording, and random 168-bit payloads, are decoded both ways and compared.
pyais rounds the rate of turn to whole degrees per minute; PortWatch keeps a
tenth, so that one field is compared to within half a degree per minute.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portwatch.decoders import PositionReport, StreamDecoder, open_log
from portwatch.decoders.fast_position import (
    FAST_LEADS,
    FAST_PAYLOAD_LENGTH,
    decode_position,
    payload_bits,
)
from portwatch.decoders.pyais_adapter import decode_with_pyais

HEADER = (1452468552.0, "test", "station", False, None)
ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))


def assert_same_as_pyais(payload: bytes) -> None:
    fast = decode_position(payload_bits(payload), *HEADER)
    (reference,) = decode_with_pyais(payload, 0, HEADER)
    assert isinstance(reference, PositionReport)
    fast_fields = dataclasses.asdict(fast)
    reference_fields = dataclasses.asdict(reference)
    fast_rot = fast_fields.pop("rot_deg_min")
    reference_rot = reference_fields.pop("rot_deg_min")
    assert fast_fields == reference_fields, payload
    if reference_rot is None or fast_rot is None:
        assert (fast_rot, reference_rot) == (None, None), payload
    else:
        assert fast_rot == pytest.approx(reference_rot, abs=0.5), payload


def hot_payloads(path: Path) -> list[bytes]:
    """The payloads of a file that the stream decoder sends down the fast path."""
    decoder = StreamDecoder(keep_raw=True)
    payloads = []
    with open_log(path) as handle:
        for record in decoder.decode_lines(handle):
            if record.raw and len(record.raw) == 1:
                sentence = record.raw[0][record.raw[0].index("!") :]
                fields = sentence.split(",")
                payload = fields[5].encode()
                if (
                    len(payload) == FAST_PAYLOAD_LENGTH
                    and fields[6].startswith("0")
                    and payload[0] in FAST_LEADS
                ):
                    payloads.append(payload)
    return payloads


RECORDINGS = [
    "aisdb/test_data_20211101.nm4",
    "amsa-risky/exact-earth-augmented-2.txt",
    "amsa-risky/exact-earth-with-tag-block.txt",
    "amsa-risky/nmea-timestamped.txt",
    "dma-aislib/ais250.txt",
    "dma-aislib/decode_encode_messages.txt",
    "dma-aislib/replay_dump.txt",
    "dma-aislib/stream_example.txt",
    "gpsd/sample.aivdm",
    "libais/tagblock.nmea",
    "libais/test.aivdm",
    "libais/typeexamples.nmea",
    "norwegian-nca/norwegian.raw",
    "pyais/mixed.txt",
    "pyais/nmea_data_sample.txt",
    "signalk/nais300-merrimac.log",
    "signalk/nais400-merrimac.log",
]


@pytest.mark.parametrize("name", RECORDINGS)
def test_fast_path_matches_pyais_on_real_recordings(shared_data: Path, name: str) -> None:
    payloads = hot_payloads(shared_data / name)
    assert payloads, f"{name} has no position reports to compare"
    for payload in payloads:
        assert_same_as_pyais(payload)


@given(
    lead=st.sampled_from(sorted(FAST_LEADS)),
    rest=st.binary(min_size=FAST_PAYLOAD_LENGTH - 1, max_size=FAST_PAYLOAD_LENGTH - 1).map(
        lambda raw: bytes(ARMOUR[b % 64] for b in raw)
    ),
)
def test_fast_path_matches_pyais_on_random_payloads(lead: int, rest: bytes) -> None:
    assert_same_as_pyais(bytes([lead]) + rest)


def test_stream_uses_the_fast_path_for_hot_types() -> None:
    # 168-bit type 1 from gpsd/sample.aivdm (Kurt Schwehr):
    # !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A
    (record,) = StreamDecoder().decode_line("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A")
    assert record == decode_position(
        payload_bits(b"15RTgt0PAso;90TKcjM8h6g208CQ"), None, "-", None, False, None
    )
    assert (record.mmsi, record.sog_kn, record.cog_deg, record.heading_deg) == (
        371798000,
        12.3,
        224.0,
        215,
    )
    assert record.lat == pytest.approx(48.38163333, abs=1e-6)
    assert record.lon == pytest.approx(-123.39538333, abs=1e-6)

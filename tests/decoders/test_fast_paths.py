"""The fast decoders agree with pyais, field by field.

pyais stays the reference: every position report (types 1, 2, 3, 18) and every
static report (types 5, 24) of every shared recording, and random payloads of
those types, are decoded both ways and compared. pyais rounds the rate of turn
to whole degrees per minute; PortWatch keeps a tenth, so that one field is
compared to within half a degree per minute.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portwatch.decoders import PositionReport, StreamDecoder, accelerator, open_log, records
from portwatch.decoders.armour import payload_bits
from portwatch.decoders.fast_position import FAST_LEADS, FAST_PAYLOAD_LENGTH, decode_position
from portwatch.decoders.fast_static import decode_static
from portwatch.decoders.fast_stations import decode_station
from portwatch.decoders.pyais_adapter import decode_with_pyais

HEADER = (1452468552.0, "test", "station", False, None)
ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))


def assert_position_same_as_pyais(payload: bytes) -> None:
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


def assert_other_same_as_pyais(payload: bytes, fill_bits: int) -> bool:
    """Compare when a fast decoder other than positions takes the payload; say whether one did."""
    for fast_decoder in (decode_static, decode_station):
        fast = fast_decoder(payload, fill_bits, *HEADER)
        if fast is not None:
            (reference,) = decode_with_pyais(payload, fill_bits, HEADER)
            assert type(fast) is type(reference)
            assert dataclasses.asdict(fast) == dataclasses.asdict(reference), payload
            return True
    return False


def recorded_payloads(path: Path) -> list[tuple[bytes, int]]:
    """(payload, fill bits) of every message a recording decodes to."""
    decoder = StreamDecoder(keep_raw=True)
    payloads = []
    with open_log(path) as handle:
        for record in decoder.decode_lines(handle):
            if record.raw is None:
                continue
            fields = [sentence[sentence.index("!") :].split(",") for sentence in record.raw]
            payload = "".join(f[5] for f in fields).encode()
            payloads.append((payload, int(fields[-1][6][0])))
    return payloads


RECORDINGS = [
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
    "pyais/mixed.txt",
    "pyais/nmea_data_sample.txt",
    "signalk/nais300-merrimac.log",
    "signalk/nais400-merrimac.log",
]


@pytest.mark.parametrize("name", RECORDINGS)
def test_fast_paths_match_pyais_on_real_recordings(shared_data: Path, name: str) -> None:
    positions = 0
    for payload, fill_bits in recorded_payloads(shared_data / name):
        if len(payload) == FAST_PAYLOAD_LENGTH and fill_bits == 0 and payload[0] in FAST_LEADS:
            assert_position_same_as_pyais(payload)
            positions += 1
        else:
            assert_other_same_as_pyais(payload, fill_bits)
    assert positions, f"{name} has no position reports to compare"


def test_fast_paths_see_real_static_and_station_reports(shared_data: Path) -> None:
    """Guard against comparing nothing: the DMA stream holds 424 type 5, 74 type 24,
    129 type 4 and 37 type 21 messages."""
    taken = sum(
        assert_other_same_as_pyais(payload, fill_bits)
        for payload, fill_bits in recorded_payloads(shared_data / "dma-aislib/stream_example.txt")
    )
    assert taken >= 424 + 70 + 120 + 30


def armoured(length: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=length, max_size=length).map(
        lambda raw: bytes(ARMOUR[b % 64] for b in raw)
    )


@given(lead=st.sampled_from(sorted(FAST_LEADS)), rest=armoured(FAST_PAYLOAD_LENGTH - 1))
def test_fast_position_matches_pyais_on_random_payloads(lead: int, rest: bytes) -> None:
    assert_position_same_as_pyais(bytes([lead]) + rest)


@given(rest=armoured(70))
def test_fast_type_5_matches_pyais_on_random_payloads(rest: bytes) -> None:
    assert assert_other_same_as_pyais(b"5" + rest, 2)


def with_part_number(payload: bytes, part: int) -> bytes:
    """Set bits 38-39 (the type 24 part number), the middle of the seventh character."""
    value = ARMOUR.index(payload[6])
    value = (value & 0b110011) | (part << 2)
    return payload[:6] + bytes([ARMOUR[value]]) + payload[7:]


@given(shape=st.sampled_from([(0, 27, 2), (0, 28, 0), (1, 28, 0)]), rest=armoured(27))
def test_fast_type_24_matches_pyais_on_random_payloads(
    shape: tuple[int, int, int], rest: bytes
) -> None:
    part, length, fill_bits = shape
    payload = with_part_number((b"H" + rest)[:length], part)
    assert assert_other_same_as_pyais(payload, fill_bits)


@given(lead=st.sampled_from([b"4", b";"]), rest=armoured(27))
def test_fast_base_station_matches_pyais_on_random_payloads(lead: bytes, rest: bytes) -> None:
    assert assert_other_same_as_pyais(lead + rest, 0)


@given(
    shape=st.sampled_from([(46, 0), (47, 2), (48, 0), (49, 2), (55, 2), (60, 0)]),
    rest=armoured(59),
)
def test_fast_aid_to_navigation_matches_pyais_on_random_payloads(
    shape: tuple[int, int], rest: bytes
) -> None:
    length, fill_bits = shape
    assert assert_other_same_as_pyais((b"E" + rest)[:length], fill_bits)


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


@pytest.mark.parametrize(
    ("module", "function", "record"),
    [
        ("fast_position", "decode_position", "PositionReport"),
        ("fast_static", "_type_5", "StaticReport"),
    ],
)
def test_records_built_positionally_name_every_argument_as_its_field(
    module: str, function: str, record: str
) -> None:
    """The hot decoders build their records positionally, for speed (the figures are
    in their comments); each argument is then a variable named as its field (or a
    constant), so that the order can be read, and checked here. Read from the source
    file: a compiled module's functions have no source to inspect."""
    (tree,) = [
        node
        for node in ast.walk(ast.parse((accelerator.SOURCES / f"{module}.py").read_text()))
        if isinstance(node, ast.FunctionDef) and node.name == function
    ]
    (call,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == record
    ]
    fields = [field.name for field in dataclasses.fields(getattr(records, record))]
    assert len(call.args) == len(fields)
    for argument, field in zip(call.args, fields, strict=True):
        assert isinstance(argument, ast.Constant) or (
            isinstance(argument, ast.Name) and argument.id == field
        ), f"{record}.{field} is given {ast.unparse(argument)}"

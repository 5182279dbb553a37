"""The numpy batch decoder agrees with the one-at-a-time decoder on every field,
and batch checksums with ``nmea_checksum``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portwatch.decoders.armour import payload_bits
from portwatch.decoders.batch_position import checksums, decode_positions, epoch_times
from portwatch.decoders.fast_position import FAST_LEADS, FAST_PAYLOAD_LENGTH, decode_position
from portwatch.decoders.framing import nmea_checksum, plausible_epoch
from tests.decoders.test_fast_paths import RECORDINGS, armoured, recorded_payloads


def assert_batch_matches_single(payloads: list[bytes]) -> None:
    times = [1452468552.0 + n for n in range(len(payloads))]
    stations = [None if n % 2 else f"s{n}" for n in range(len(payloads))]
    own = [n % 3 == 0 for n in range(len(payloads))]
    batch = decode_positions(payloads, times, "src", stations, own)
    single = [
        decode_position(payload_bits(p), t, "src", s, o, None)
        for p, t, s, o in zip(payloads, times, stations, own, strict=True)
    ]
    assert batch == single


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(FAST_LEADS)), armoured(FAST_PAYLOAD_LENGTH - 1)).map(
            lambda parts: bytes([parts[0]]) + parts[1]
        ),
        min_size=1,
        max_size=50,
    )
)
def test_batch_matches_single_on_random_payloads(payloads: list[bytes]) -> None:
    assert_batch_matches_single(payloads)


@pytest.mark.parametrize("name", RECORDINGS)
def test_batch_matches_single_on_real_recordings(shared_data: Path, name: str) -> None:
    payloads = [
        payload
        for payload, fill_bits in recorded_payloads(shared_data / name)
        if len(payload) == FAST_PAYLOAD_LENGTH and fill_bits == 0 and payload[0] in FAST_LEADS
    ]
    assert_batch_matches_single(payloads)


@given(st.lists(st.binary(max_size=48), min_size=1, max_size=40))
def test_batch_checksums(bodies: list[bytes]) -> None:
    assert checksums(bodies) == [nmea_checksum(body) for body in bodies]


@given(st.lists(st.binary(max_size=120), min_size=1, max_size=40))
def test_batch_checksums_of_overlong_bodies(bodies: list[bytes]) -> None:
    assert checksums(bodies) == [nmea_checksum(body) for body in bodies]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(10**8, 10**13 - 1).map(lambda n: str(n).encode()),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_batch_times_match_plausible_epoch(texts: list[bytes | None]) -> None:
    expected = [None if text is None else plausible_epoch(float(text)) for text in texts]
    assert epoch_times(texts) == expected
    present = [text for text in texts if text is not None]
    if present:  # the numpy path: no line without a time
        assert epoch_times(present) == [plausible_epoch(float(text)) for text in present]

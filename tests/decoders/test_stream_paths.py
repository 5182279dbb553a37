"""``iter_messages`` (the batch path, with matchers for the commonest lines) gives
exactly what ``decode_line`` (the general path) gives, line for line.

The batch path exists only for speed; the general path reads every framing.
They must agree on the records and on every counter, on real recordings, on
the benchmark's simulated port day, and on damaged input.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portwatch.decoders import StreamDecoder, open_log
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, gofree, nmea, tag_block, vdm
from tests.decoders.test_fast_paths import RECORDINGS
from tests.decoders.test_robustness import damaged_line

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def both_ways(lines: list[bytes]) -> tuple[StreamDecoder, list, StreamDecoder, list]:
    general = StreamDecoder(source="x")
    general_records = [
        dataclasses.astuple(record) for line in lines for record in general.decode_line(line)
    ]
    general.finish()
    batch = StreamDecoder(source="x")
    batch_records = [
        dataclasses.astuple(record) for records in batch.iter_messages(lines) for record in records
    ]
    batch.finish()
    return general, general_records, batch, batch_records


def assert_same(lines: list[bytes]) -> None:
    general, general_records, batch, batch_records = both_ways(lines)
    assert batch_records == general_records
    assert batch.stats == general.stats


@pytest.mark.parametrize("name", RECORDINGS)
def test_paths_agree_on_real_recordings(shared_data: Path, name: str) -> None:
    with open_log(shared_data / name) as handle:
        assert_same(handle.readlines())


def test_paths_agree_on_a_simulated_port_day(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from corpus import write_corpus  # the benchmark's generator
    finally:
        sys.path.remove(str(BENCHMARKS))
    path = tmp_path / "day.nmea"
    write_corpus(path, sentences=6000, seed=7)
    lines = path.read_bytes().splitlines(keepends=True)
    general, general_records, batch, batch_records = both_ways(lines)
    assert batch_records == general_records
    assert batch.stats == general.stats
    assert general.stats.messages > 5000
    assert set(general.stats.by_type) >= {1, 5, 18, 24}


@given(st.lists(damaged_line(), max_size=40))
def test_paths_agree_on_damaged_input(lines: list[str]) -> None:
    assert_same([line.encode("latin-1", "replace") for line in lines])


def test_paths_agree_on_fragment_numbers_beyond_the_count() -> None:
    first, second = vdm(EXAMPLE_STATIC, seq_id=3)
    bad = nmea(first[1 : first.index("*")].replace(",2,1,", ",2,9,"), start="!")
    lines = [
        tag_block("g:9-2-5,c:1452468552") + bad,
        tag_block("g:1-2-5") + first,
        tag_block("g:2-2-5") + second,
    ]
    assert_same([line.encode() for line in lines])
    general, *_ = both_ways([line.encode() for line in lines])
    assert (general.stats.malformed, general.stats.by_type[5], general.stats.defects) == (1, 1, 0)


def test_paths_agree_on_fragment_age_across_batches() -> None:
    """A fragment's partner 1,500 sentences later is still within the age limit of
    2,000 sentences, however the lines fall into batches."""
    first, second = vdm(EXAMPLE_STATIC, seq_id=3)
    position = vdm(EXAMPLE_POSITION)[0]
    lines = [position] * 1000 + [first] + [position] * 1500 + [second]
    general, general_records, batch, batch_records = both_ways([x.encode() for x in lines])
    assert batch_records == general_records
    assert batch.stats == general.stats
    assert general.stats.by_type[5] == 1


def test_paths_agree_on_overlong_lines() -> None:
    position = vdm(EXAMPLE_POSITION)[0]
    assert_same([(tag_block("s:" + "x" * 3000 + ",c:1452468552") + position).encode()])
    assert_same([(position + " " * 3000).encode()])


@st.composite
def damaged_but_checked(draw: st.DrawFn) -> str:
    """A damaged line whose checksum is made right again, so the damage reaches
    the fields and the payload instead of stopping at the checksum."""
    line = draw(damaged_line())
    if "!" in line and "*" in line[line.index("!") :]:
        start = line.index("!")
        star = line.index("*", start)
        body = line[start + 1 : star]
        if body.isascii():
            return line[:start] + nmea(body, start="!")
    return line


@given(st.lists(damaged_but_checked(), max_size=40))
def test_paths_agree_on_damage_behind_good_checksums(lines: list[str]) -> None:
    assert_same([line.encode("latin-1", "replace") for line in lines])


NAVICO_STATIC = [gofree(sentence) for sentence in vdm(EXAMPLE_STATIC, seq_id=3)]
NAVICO_LINES = [
    gofree(vdm(EXAMPLE_POSITION)[0]),
    gofree(vdm(dict(EXAMPLE_POSITION, type=18, mmsi=211000111))[0]),
    tag_block("s:north,c:1452468552") + gofree(vdm(EXAMPLE_POSITION)[0]),
    *NAVICO_STATIC,
    tag_block("g:1-2-4,c:1452468552") + NAVICO_STATIC[0],
    tag_block("g:2-2-4,c:1452468553") + NAVICO_STATIC[1],
    gofree(vdm(EXAMPLE_POSITION, own_ship=True)[0]),
    vdm(EXAMPLE_POSITION)[0],
    *vdm(EXAMPLE_STATIC, seq_id=5),
]
"""GoFree/Navico lines (a field after the fill bits) among standard ones."""


@given(st.lists(st.sampled_from(NAVICO_LINES), max_size=40))
def test_paths_agree_on_the_gofree_navico_layout(lines: list[str]) -> None:
    assert_same([line.encode() for line in lines])

"""``iter_messages`` (the batch path, with matchers for the commonest lines) gives
exactly what ``decode_line`` (the general path) gives, line for line.

The fast paths (``portwatch.decoders.stream.PATHS``) exist only for speed; the
general path reads every framing. Every path, alone (the general path reading
what it leaves) and all together, must agree with it on the records and on every
counter, on real recordings, on the benchmark's simulated port day, and on
damaged input.
"""

from __future__ import annotations

import dataclasses
import math
from itertools import islice, zip_longest
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders import StreamDecoder, open_log
from portwatch.decoders.framing import (
    HOT_POSITION_LINE,
    SINGLE_SENTENCE_LINE,
    TAGGED_FRAGMENT_LINE,
)
from portwatch.decoders.stream import PATHS
from portwatch.port.port_file import load_port
from portwatch.simulator.traffic import TrafficSimulator
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, gofree, nmea, tag_block, vdm
from tests.decoders.test_fast_paths import RECORDINGS
from tests.decoders.test_robustness import damaged_line


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


def by_path(lines: list[bytes], path: str) -> tuple[StreamDecoder, list]:
    """``iter_messages`` with one path only, the general path reading what it leaves."""
    decoder = StreamDecoder(source="x", paths=[path])
    records = [
        dataclasses.astuple(record)
        for records in decoder.iter_messages(lines)
        for record in records
    ]
    decoder.finish()
    return decoder, records


def assert_same(lines: list[bytes]) -> None:
    """All paths together, and every path alone, read ``lines`` as the general path does."""
    general, general_records, batch, batch_records = both_ways(lines)
    assert batch_records == general_records
    assert batch.stats == general.stats
    for path in PATHS:
        alone, records = by_path(lines, path)
        assert records == general_records, path
        assert alone.stats == general.stats, path


def test_every_path_reads_its_lines_as_the_general_path_does() -> None:
    """The differential test of the paths: one feed with lines for every path (and
    lines only the general path reads, and damaged ones for each), read by each
    path alone and by all together."""
    time_s = 1452468552
    position = vdm(EXAMPLE_POSITION)[0]
    station = vdm({"type": 4, "mmsi": 3669713, "lon": -118.2, "lat": 33.7, "year": 2016})[0]
    pair = grouped(vdm(EXAMPLE_STATIC, seq_id=1), "11", time_s)
    apart = grouped(vdm(OWN_STATIC, seq_id=2, own_ship=True), "12", time_s + 1)
    lines = [
        position,
        tag_block(f"s:north,c:{time_s}") + position,
        position[:-2] + "00",  # a bad checksum among the batch's positions
        *pair,
        apart[0],
        tag_block(f"c:{time_s + 2}") + station,
        apart[1],
        pair[0][:-2] + "00",  # a fragment with a bad checksum
        gofree(vdm(EXAMPLE_POSITION)[0]),  # a field after the fill bits
        station,
        "2016-01-10T23:31:02Z " + position,  # a time prefix: the general path's only
        nmea("PGHP,1,2016,1,10,23,31,2,250,231,45,992190934,1,2B"),
        position,  # takes the $PGHP time
        "# a comment",
        nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,"),
    ]
    matched = {
        "position batch": [line for line in lines if HOT_POSITION_LINE.fullmatch(line.encode())],
        "tagged fragment": [
            line for line in lines if TAGGED_FRAGMENT_LINE.fullmatch(line.encode())
        ],
        "single sentence": [
            line
            for line in lines
            if SINGLE_SENTENCE_LINE.fullmatch(line.encode())
            and not HOT_POSITION_LINE.fullmatch(line.encode())
        ],
    }
    assert {name: len(found) for name, found in matched.items()} == {
        "position batch": 4,
        "tagged fragment": 5,
        "single sentence": 3,
    }
    assert set(PATHS) == {
        "position batch",
        "fragment pair",
        "tagged fragment",
        "single sentence",
        "general",
    }
    encoded = [line.encode() for line in lines]
    assert_same(encoded)
    general, records, *_ = both_ways(encoded)
    assert general.stats.by_type == {1: 5, 4: 2, 5: 2}
    assert general.stats.bad_checksum == 2
    assert [record[1] for record in records].count(OWN_STATIC["mmsi"]) == 1


@pytest.mark.parametrize("name", RECORDINGS)
def test_paths_agree_on_real_recordings(shared_data: Path, name: str) -> None:
    with open_log(shared_data / name) as handle:
        assert_same(handle.readlines())


def test_paths_agree_on_tag_block_groups_of_feeds_left_out_of_tests_data() -> None:
    """Two framings whose real recordings tests/data cannot hold (their licences):
    the Norwegian Coastal Administration's NMEA 4 group form
    ``\\1G2:58944,s:2573225,c:…*hh\\!BSVDM,2,1,1,B,…`` and AISdb's satellite
    ``g:`` groups with an empty channel and the station on the first fragment only."""
    time_s = 1733782034
    norwegian = vdm(EXAMPLE_STATIC, talker="BS", seq_id=1)
    satellite = [line.replace(",2,A,", ",2,,") for line in vdm(EXAMPLE_STATIC, seq_id=2)]
    satellite = [nmea(line[1 : line.index("*")], start="!") for line in satellite]
    (position,) = vdm(EXAMPLE_POSITION, talker="BS")
    lines = [
        tag_block(f"1G2:58944,s:2573225,c:{time_s}") + norwegian[0],
        tag_block(f"s:2573238,c:{time_s}") + position,
        tag_block(f"2G2:58944,s:2573225,c:{time_s}") + norwegian[1],
        tag_block(f"g:1-2-3454,s:41925,c:{time_s},t:{time_s + 60}") + satellite[0],
        tag_block("g:2-2-3454") + satellite[1],
    ]
    general, records, _, _ = both_ways([line.encode() for line in lines])
    assert general.stats.messages == 3
    assert general.stats.orphan_fragments == 0
    assert [record[1] for record in records] == [
        EXAMPLE_POSITION["mmsi"],
        *[EXAMPLE_STATIC["mmsi"]] * 2,
    ]
    assert_same([line.encode() for line in lines])


def test_paths_agree_on_a_simulated_port_day() -> None:
    """The benchmarks' log (benchmarks/port_log.py), shorter: the product's simulator
    on the demo port, from the first line."""
    simulator = TrafficSimulator(load_port(bundled_file(DEMO_PORT)), seed=7)
    lines = [line.encode() + b"\n" for line in islice(simulator.lines(math.inf), 6000)]
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


@pytest.mark.parametrize("outside", ["X", "_", "*", "\\", "!", "\x7f"])
def test_paths_agree_on_a_position_payload_with_a_character_outside_the_armour(
    outside: str,
) -> None:
    """The position batch matches any 28 characters as a payload and checks the
    armour for the whole batch at once: a line with one character outside it, its
    checksum good, among good lines, is undecodable as the general path says."""
    (position,) = vdm(EXAMPLE_POSITION)
    body = position[1 : position.index("*")]
    payload = body.split(",")[5]
    damaged = nmea(body.replace(payload, payload[:9] + outside + payload[10:]), start="!")
    lines = [
        tag_block("s:a,c:1452468552") + position,
        tag_block("s:a,c:1452468553") + damaged,
        damaged,
        position,
    ]
    assert_same([line.encode() for line in lines])
    general, records, *_ = both_ways([line.encode() for line in lines])
    assert (general.stats.messages, len(records)) == (2, 2)
    if outside != "*":  # a "*" ends the sentence early: its checksum then fails
        assert general.stats.undecodable == 2


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


OWN_STATIC = dict(EXAMPLE_STATIC, mmsi=366000111, shipname="OWN SHIP")


def grouped(sentences: list[str], group: str, time_s: int | None = None) -> list[str]:
    """The sentences of one message behind ``g:`` tag blocks, as IEC 61162-450 feeds
    send multipart messages; the first carries the station and the time."""
    count = len(sentences)
    lines = []
    for number, sentence in enumerate(sentences, start=1):
        fields = f"g:{number}-{count}-{group}"
        if number == 1:
            fields += ",s:RX1" + (f",c:{time_s}" if time_s is not None else "")
        lines.append(tag_block(fields) + sentence)
    return lines


@pytest.mark.parametrize("first_own", [True, False])
def test_a_vdo_and_a_vdm_fragment_of_one_group_are_never_one_message(first_own: bool) -> None:
    """Own ship's type 5 (VDO) and a vessel's (VDM) numbered alike by two streams:
    half of one and half of the other are no message, and a vessel's static data
    never goes to own-ship handling, whichever path reads the lines."""
    own = vdm(OWN_STATIC, seq_id=3, own_ship=True)
    vessel = vdm(EXAMPLE_STATIC, seq_id=3)
    first, second = (own[0], vessel[1]) if first_own else (vessel[0], own[1])
    lines = [line.encode() for line in grouped([first, second], "7", 1452468552)]
    general, general_records, batch, batch_records = both_ways(lines)
    assert batch_records == general_records == []
    assert batch.stats == general.stats
    assert general.stats.orphan_fragments == 2
    # Whole messages of either stream still make their records, own ship's as own ship.
    lines = grouped(own, "7", 1452468552) + grouped(vessel, "7", 1452468553)
    general, general_records, batch, batch_records = both_ways([x.encode() for x in lines])
    assert batch_records == general_records
    assert [(r[1], r[5]) for r in general_records] == [(366000111, True), (366999001, False)]


@st.composite
def tag_block_groups(draw: st.DrawFn) -> list[str]:
    """Lines of a feed with ``g:`` groups: several multipart messages, each VDM or
    VDO (or, as two streams numbering alike give, a mix), group ids that collide,
    fragments now and then lost, repeated or out of order, between single sentences."""
    messages = []
    for n in range(draw(st.integers(1, 5))):
        data = dict(
            EXAMPLE_STATIC,
            mmsi=draw(st.sampled_from([366999001, 366000111, 211000111])),
            shipname=f"SHIP {n}",
        )
        own = draw(st.sampled_from(["VDM", "VDO", "mixed"]))
        sentences = vdm(data, seq_id=draw(st.integers(0, 9)), own_ship=own == "VDO")
        if own == "mixed":
            other = vdm(data, own_ship=True)
            sentences = [draw(st.sampled_from(pair)) for pair in zip(sentences, other, strict=True)]
        group = draw(st.sampled_from(["1", "2", "77"]))
        time_s = draw(st.sampled_from([None, 1452468552, 1452468552 + 3600]))
        lines = grouped(sentences, group, time_s)
        change = draw(st.sampled_from(["none", "drop", "repeat", "reverse"]))
        if change == "drop":
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif change == "repeat":
            lines.append(lines[0])
        elif change == "reverse":
            lines.reverse()
        messages.append(lines)
        if draw(st.booleans()):
            messages.append([vdm(EXAMPLE_POSITION, own_ship=draw(st.booleans()))[0]])
    if draw(st.booleans()):  # interleave two messages' fragments
        mixed = [line for pair in zip_longest(*messages[:2]) for line in pair if line]
        messages = [mixed, *messages[2:]]
    return [line for lines in messages for line in lines]


@given(tag_block_groups())
def test_paths_agree_on_tag_block_groups(lines: list[str]) -> None:
    assert_same([line.encode() for line in lines])


@given(tag_block_groups())
def test_own_ship_is_what_every_fragment_says(lines: list[str]) -> None:
    """A record is own ship's exactly when its message came in VDO sentences."""
    decoder = StreamDecoder(keep_raw=True)
    for records in decoder.iter_messages([line.encode() for line in lines]):
        for record in records:
            sentences = [raw[raw.index("!") :] for raw in record.raw]
            formatters = {sentence[3:6] for sentence in sentences}
            assert formatters == ({"VDO"} if record.own_ship else {"VDM"})

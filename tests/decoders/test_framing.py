"""Every real-world line framing is recognised per line, without configuration."""

from __future__ import annotations

import calendar
import dataclasses
import gzip
from pathlib import Path

import pyais
import pytest

from portwatch.decoders import (
    PositionReport,
    StaticReport,
    StreamDecoder,
    decode_sentences,
    open_log,
)
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, gofree, nmea, tag_block, vdm

POSITION = vdm(EXAMPLE_POSITION)[0]
T0 = calendar.timegm((2016, 1, 10, 23, 31, 2))


def decode_one(line: str | bytes) -> PositionReport:
    decoder = StreamDecoder(source="test")
    records = decoder.decode_line(line)
    assert len(records) == 1, decoder.stats
    record = records[0]
    assert isinstance(record, PositionReport)
    return record


def test_bare_sentence_decodes_with_units_and_no_time() -> None:
    record = decode_one(POSITION)
    assert (record.mmsi, record.msg_type) == (366999001, 1)
    assert record.lat == pytest.approx(33.71, abs=1e-6)
    assert record.lon == pytest.approx(-118.18, abs=1e-6)
    assert (record.sog_kn, record.cog_deg, record.heading_deg) == (12.3, 90.1, 91)
    assert record.time_s is None
    assert record.source == "test"
    assert not record.own_ship


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "  \r\n", ""])
def test_line_endings_do_not_matter(ending: str) -> None:
    assert decode_one(POSITION + ending).mmsi == 366999001
    assert decode_one((POSITION + ending).encode()).mmsi == 366999001


@pytest.mark.parametrize("talker", ["AI", "AB", "AN", "BS", "SA", "B1", "B2", "AR"])
def test_any_talker(talker: str) -> None:
    assert decode_one(vdm(EXAMPLE_POSITION, talker=talker)[0]).mmsi == 366999001


def test_vdo_is_flagged_as_own_ship() -> None:
    decoder = StreamDecoder()
    (record,) = decoder.decode_line(vdm(EXAMPLE_POSITION, own_ship=True)[0])
    assert record.own_ship
    assert decoder.stats.own_ship == 1


def test_tag_block_gives_time_and_station() -> None:
    record = decode_one(tag_block(f"s:2573238,c:{T0}") + POSITION)
    assert record.time_s == T0
    assert record.station == "2573238"


def test_tag_block_time_in_milliseconds() -> None:
    assert decode_one(tag_block(f"c:{T0}250") + POSITION).time_s == pytest.approx(T0 + 0.25)


def test_tag_block_with_wrong_checksum_is_used() -> None:
    # AMSA archives write every tag block with checksum 00
    # (amsa-risky/nmea-timestamped.txt: "\c:1420030798*00\!ABVDM,...").
    decoder = StreamDecoder()
    (record,) = decoder.decode_line(f"\\c:{T0}*00\\" + POSITION)
    assert record.time_s == T0


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (f"{T0}.938 ", T0 + 0.938),
        (f"{T0} ", T0),
        (f"{T0}938,", T0 + 0.938),
        ("2016-01-10T23:31:02Z ", T0),
        ("2016-01-10T23:31:02.500+00:00 ", T0 + 0.5),
        ("2016-01-10 23:31:02;", T0),
        ("2016-01-10T23:31:02\t", T0),
    ],
)
def test_time_prefixes(prefix: str, expected: float) -> None:
    assert decode_one(prefix + POSITION).time_s == pytest.approx(expected)


def test_prefix_before_a_tag_block() -> None:
    record = decode_one(f"{T0 + 5} " + tag_block("s:north") + POSITION)
    assert (record.time_s, record.station) == (T0 + 5, "north")


def test_uscg_trailing_fields() -> None:
    # Shape of libais/typeexamples.nmea (USCG NAIS): station fields then epochs.
    record = decode_one(POSITION + f",d-109,S2105,t050056.00,T56.13,r003669946,{T0},{T0 - 59}")
    assert record.time_s == T0
    assert record.station == "r003669946"


def test_uscg_trailing_epoch_in_milliseconds() -> None:
    # Shape of amsa-risky/exact-earth-augmented-2.txt: "...,2*67,1328133720012".
    assert decode_one(POSITION + f",{T0}012").time_s == pytest.approx(T0 + 0.012)


def test_gatehouse_line_times_the_next_sentence_only() -> None:
    decoder = StreamDecoder()
    pghp = nmea("PGHP,1,2016,1,10,23,31,2,250,231,45,992190934,1,2B")
    assert decoder.decode_line(pghp) == ()
    (first,) = decoder.decode_line(POSITION)
    (second,) = decoder.decode_line(POSITION)
    assert first.time_s == pytest.approx(T0 + 0.25)
    assert second.time_s is None
    assert decoder.stats.time_lines == 1


def test_tag_block_time_wins_over_gatehouse() -> None:
    decoder = StreamDecoder()
    decoder.decode_line(nmea("PGHP,1,2016,1,10,23,31,2,250,231,45,992190934,1,2B"))
    (record,) = decoder.decode_line(tag_block(f"c:{T0 + 60}") + POSITION)
    assert record.time_s == T0 + 60


def test_implausible_times_become_none() -> None:
    assert decode_one(tag_block("c:12415440354") + POSITION).time_s is None


@pytest.mark.parametrize(
    ("line", "counter"),
    [
        (nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,"), "non_ais"),
        (nmea("AIALR,000000.00,001,A,V,AIS: general failure", start="!"), "non_ais"),
        ("", "blank"),
        ("# a comment", "blank"),
        (POSITION[:-2] + "00", "bad_checksum"),
        (POSITION[:20], "malformed"),
        ("IamNotAnAisMessage1111", "malformed"),
        ("\\c:1452468552*0F", "malformed"),
        ("$PGHP,1,2009,5,9,0,0,0,10,338,2,,1,09*17", "bad_checksum"),
        (nmea("PGHP,1,2009,13,9,0,0,0,10,338,2,,1,09"), "malformed"),
        ("!AIVDM,1,1,,A,15Mwmn@01sGS0u0CBOl3QBn1P000,0*ZZ", "malformed"),
        (nmea("AIVDM,1,2,3,A,15Mwmn@01sGS0u0CBOl3QBn1P000,0,extra", start="!"), "malformed"),
        (nmea("AIVDM,1,1,,A,15Mwmn@01sGS0u0CBOl3QBn1P000,7", start="!"), "malformed"),
        (nmea("AIVDM,1,1,1,,15Mwmn@01sGS0u0CBOl3QBn1P000,7,0", start="!"), "malformed"),
        (nmea("AIVDM,1,1,1,,15Mwmn@01sGS0u0CBOl3QBn1P000", start="!"), "malformed"),
        (nmea("AIVDM,1,1,,B,,0", start="!"), "undecodable"),
        (nmea("AIVDM,1,1,,B,~~~~,0", start="!"), "undecodable"),
        (nmea("AIVDM,1,1,,A,l5Mwmn@01sGS0u0CBOl3QBn1P000,0", start="!"), "unsupported_type"),
    ],
)
def test_what_is_skipped_is_counted_by_kind(line: str, counter: str) -> None:
    decoder = StreamDecoder()
    assert decoder.decode_line(line) == ()
    assert getattr(decoder.stats, counter) == 1
    assert decoder.stats.messages == 0


def test_gofree_navico_layout_is_decoded_on_every_path_and_only_noted() -> None:
    """GoFree/Navico multifunction displays add a field after the fill bits
    (``!AIVDM,1,1,1,,PAYLOAD,0,0*1C``): pyais decodes these lines, so must every
    path here, giving what the standard layout gives, and counting the layout as
    a note (``extra_fields``), never as a failure."""
    first, second = vdm(EXAMPLE_STATIC, seq_id=3)
    standard = [
        POSITION,  # the batch path's hot line, when in the standard layout
        tag_block(f"s:north,c:{T0}") + POSITION,
        f"{T0}.5 " + POSITION,
        first,
        second,
        tag_block(f"g:1-2-7,c:{T0}") + first,
        tag_block(f"g:2-2-7,c:{T0}") + second,
        vdm(EXAMPLE_POSITION, own_ship=True)[0],
        vdm(dict(EXAMPLE_POSITION, type=3, mmsi=211000111))[0],
    ]
    navico = [line[: line.index("!")] + gofree(line[line.index("!") :]) for line in standard]
    assert pyais.decode(navico[0]).mmsi == EXAMPLE_POSITION["mmsi"]

    def decoded(lines: list[str], batch: bool) -> tuple[list[tuple], StreamDecoder]:
        decoder = StreamDecoder(source="test")
        data = [line.encode() for line in lines]
        messages = decoder.iter_messages(data) if batch else map(decoder.decode_line, data)
        records = [dataclasses.astuple(record) for records in messages for record in records]
        decoder.finish()
        return records, decoder

    expected, reference = decoded(standard, batch=False)
    assert len(expected) == 7
    assert reference.stats.extra_fields == 0
    for batch in (False, True):
        records, decoder = decoded(navico, batch)
        assert records == expected
        stats = decoder.stats
        assert (stats.sentences, stats.messages, stats.extra_fields) == (9, 7, 9)
        assert not any(stats.failures().values())
        assert "(9 with extra fields after the fill bits)" in stats.summary()
    (strict,) = decode_sentences(navico[0], source="test")
    assert dataclasses.astuple(strict) == expected[0]


def test_two_part_message_takes_time_of_last_fragment() -> None:
    first, second = vdm(EXAMPLE_STATIC, seq_id=3)
    decoder = StreamDecoder(keep_raw=True)
    line_one = tag_block(f"c:{T0}") + first
    line_two = tag_block(f"c:{T0 + 1}") + second
    assert decoder.decode_line(line_one) == ()
    (record,) = decoder.decode_line(line_two)
    assert isinstance(record, StaticReport)
    assert record.time_s == T0 + 1
    assert record.raw == (line_one, line_two)
    assert (record.name, record.callsign, record.imo) == ("EXAMPLE STAR", "WDE1234", 9123456)
    assert (record.to_bow_m, record.to_stern_m, record.to_port_m, record.to_starboard_m) == (
        150,
        50,
        15,
        17,
    )
    assert record.draught_m == pytest.approx(11.2)
    assert record.destination == "LOS ANGELES"
    assert record.eta_reported_s == calendar.timegm((2016, 1, 11, 6, 30, 0))


def test_fragments_interleaved_with_other_talkers_and_channels() -> None:
    other = dict(EXAMPLE_STATIC, mmsi=538000111, shipname="OTHER SHIP")
    a1, a2 = vdm(EXAMPLE_STATIC, talker="AI", seq_id=3)
    b1, b2 = vdm(other, talker="BS", seq_id=3)
    c1, c2 = vdm(dict(other, mmsi=538000222), talker="AI", seq_id=3, channel="B")
    decoder = StreamDecoder()
    names = [
        r.name
        for line in (a1, b1, POSITION, c1, b2, a2, c2)
        for r in decoder.decode_line(line)
        if isinstance(r, StaticReport)
    ]
    assert names == ["OTHER SHIP", "EXAMPLE STAR", "OTHER SHIP"]
    assert decoder.stats.orphan_fragments == 0


def test_tag_block_groups_tie_fragments() -> None:
    # Shape of aisdb/test_data_20211101.nm4: g: groups, an empty channel field and
    # the station only on the first fragment.
    first, second = (line.replace(",2,A,", ",2,,") for line in vdm(EXAMPLE_STATIC, seq_id=2))
    first, second = (nmea(line[1 : line.index("*")], start="!") for line in (first, second))
    decoder = StreamDecoder()
    decoder.decode_line(tag_block(f"g:1-2-3454,s:41925,c:{T0}") + first)
    (record,) = decoder.decode_line(tag_block("g:2-2-3454") + second)
    assert (record.name, record.station, record.time_s) == ("EXAMPLE STAR", "41925", T0)


def test_orphan_fragments_are_counted() -> None:
    first, second = vdm(EXAMPLE_STATIC, seq_id=4)
    decoder = StreamDecoder()
    assert len(decoder.decode_line(second)) == 0
    assert len(decoder.decode_line(first)) == 1  # out of order, still whole
    decoder.decode_line(first)
    decoder.decode_line(first)  # the first again: the earlier one is given up
    decoder.finish()  # and this one never completes
    assert decoder.stats.orphan_fragments == 2
    assert decoder.stats.messages == 1


def test_fragments_far_apart_on_the_data_clock_are_not_joined() -> None:
    first, second = vdm(EXAMPLE_STATIC, seq_id=4)
    decoder = StreamDecoder()
    decoder.decode_line(tag_block(f"c:{T0}") + first)
    assert decoder.decode_line(tag_block(f"c:{T0 + 601}") + second) == ()
    decoder.finish()
    assert decoder.stats.orphan_fragments == 2


def test_fragments_out_of_time_order_still_join() -> None:
    # Satellite feeds (libais/tagblock.nmea, ORBCOMM) put a line stamped 40
    # minutes later between the two fragments of a type 5.
    first, second = vdm(EXAMPLE_STATIC, seq_id=6)
    decoder = StreamDecoder()
    decoder.decode_line(tag_block(f"g:1-2-1604,c:{T0}") + first)
    decoder.decode_line(tag_block(f"c:{T0 + 2512}") + POSITION)
    (record,) = decoder.decode_line(tag_block(f"g:2-2-1604,c:{T0}") + second)
    assert record.name == "EXAMPLE STAR"


def test_orphans_expire_after_many_sentences() -> None:
    first, _ = vdm(EXAMPLE_STATIC, seq_id=4)
    decoder = StreamDecoder()
    decoder.decode_line(first)
    for _ in range(decoder.assembler.max_age_sentences + 1):
        decoder.decode_line(POSITION)
    assert decoder.stats.orphan_fragments == 1
    assert decoder.assembler.pending_fragments() == 0


def test_nmea_4_group_form_ties_fragments() -> None:
    # Norwegian Coastal Administration feed (norwegian-nca/norwegian.raw):
    # "\1G2:58944,s:2573225,c:1733782037*63\!BSVDM,2,1,1,B,...".
    first, second = vdm(EXAMPLE_STATIC, talker="BS", seq_id=1)
    decoder = StreamDecoder()
    decoder.decode_line(tag_block(f"1G2:58944,s:2573225,c:{T0}") + first)
    (record,) = decoder.decode_line(tag_block(f"2G2:58944,s:2573225,c:{T0}") + second)
    assert (record.name, record.station) == ("EXAMPLE STAR", "2573225")


def test_type_19_gives_position_and_static() -> None:
    data = {
        "type": 19, "mmsi": 338123456, "speed": 5.5, "lon": -118.2, "lat": 33.7, "course": 45.0,
        "heading": 44, "shipname": "SEA BREEZE", "ship_type": 37, "to_bow": 8, "to_stern": 4,
        "to_port": 2, "to_starboard": 2,
    }  # fmt: skip
    decoder = StreamDecoder()
    records = [r for line in vdm(data) for r in decoder.decode_line(line)]
    position, static = records
    assert isinstance(position, PositionReport)
    assert isinstance(static, StaticReport)
    assert (position.sog_kn, position.nav_status, static.name, static.ship_type) == (
        5.5,
        None,
        "SEA BREEZE",
        37,
    )
    assert decoder.stats.messages == 1


def test_type_24_parts() -> None:
    part_a = {"type": 24, "mmsi": 338123456, "partno": 0, "shipname": "LITTLE WING"}
    part_b = {
        "type": 24, "mmsi": 338123456, "partno": 1, "ship_type": 36, "callsign": "WDF5678",
        "to_bow": 6, "to_stern": 3, "to_port": 1, "to_starboard": 2,
    }  # fmt: skip
    decoder = StreamDecoder()
    (a,) = decoder.decode_line(vdm(part_a)[0])
    (b,) = decoder.decode_line(vdm(part_b)[0])
    assert (a.part, a.name, a.callsign) == ("A", "LITTLE WING", None)
    assert (b.part, b.name, b.callsign, b.ship_type, b.to_bow_m) == ("B", None, "WDF5678", 36, 6)


def test_not_available_values_are_none() -> None:
    data = dict(
        EXAMPLE_POSITION,
        lat=91,
        lon=181,
        speed=102.3,
        course=360,
        heading=511,
        status=15,
        turn=-128,
        second=60,
    )
    record = decode_one(vdm(data)[0])
    assert (record.lat, record.lon, record.sog_kn, record.cog_deg) == (None, None, None, None)
    assert (record.heading_deg, record.nav_status, record.rot_deg_min, record.second) == (
        None,
        None,
        None,
        None,
    )


def test_gzip_and_plain_files_read_the_same(tmp_path: Path) -> None:
    lines = "\r\n".join([tag_block(f"c:{T0}") + POSITION, *vdm(EXAMPLE_STATIC, seq_id=1)])
    plain = tmp_path / "log.nmea"
    packed = tmp_path / "log.nmea.gz"
    plain.write_bytes(lines.encode())
    packed.write_bytes(gzip.compress(lines.encode()))
    decoded = []
    for path in (plain, packed):
        decoder = StreamDecoder(source=path.name)
        with open_log(path) as handle:
            decoded.append([(r.mmsi, r.msg_type, r.time_s) for r in decoder.decode_lines(handle)])
    assert decoded[0] == decoded[1] == [(366999001, 1, T0), (366999001, 5, None)]


def test_prefix_time_serves_a_tag_block_without_c() -> None:
    first, second = vdm(EXAMPLE_STATIC, seq_id=2)
    decoder = StreamDecoder()
    decoder.decode_line(f"{T0} " + tag_block("g:1-2-77,s:north") + first)
    (record,) = decoder.decode_line(f"{T0} " + tag_block("g:2-2-77") + second)
    assert record.time_s == T0
    assert record.eta_reported_s == calendar.timegm((2016, 1, 11, 6, 30, 0))


def test_gatehouse_time_is_spent_on_a_broken_sentence() -> None:
    decoder = StreamDecoder()
    decoder.decode_line(nmea("PGHP,1,2016,1,10,23,31,2,250,231,45,992190934,1,2B"))
    decoder.decode_line(POSITION[:-2] + "00")  # the sentence it timed, broken
    (record,) = decoder.decode_line(POSITION)
    assert record.time_s is None


def test_gatehouse_line_with_an_absurd_year() -> None:
    decoder = StreamDecoder()
    assert decoder.decode_line(nmea("PGHP,1,99999999999999999999,1,10,23,31,2,0,1,1,1,1,2B")) == ()
    assert (decoder.stats.malformed, decoder.stats.defects) == (1, 0)


@pytest.mark.parametrize(
    "body",
    [
        "AIVDM,1,1,,A,H,2",  # six bits minus the fill: too short for any field
        "AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8XXXX08CQ,0",  # "X" is outside the armour
        "AIVDM,1,1,,A,5,0",  # a type 5 cut short
    ],
)
def test_payloads_that_cannot_be_decoded(body: str) -> None:
    decoder = StreamDecoder()
    assert decoder.decode_line(nmea(body, start="!")) == ()
    assert (decoder.stats.undecodable, decoder.stats.defects) == (1, 0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (tag_block(f"s:x,c:{T0}") + POSITION, T0),
        (f"{T0}.5 " + POSITION, T0 + 0.5),
        (POSITION + f",d-109,r003669946,{T0}", T0),
        (POSITION, None),
        (tag_block("s:x") + POSITION + f",{T0}", T0),
    ],
)
def test_line_time_for_replay_pacing(line: str, expected: float | None) -> None:
    from portwatch.decoders.framing import line_time_s

    assert line_time_s(line.encode()) == expected

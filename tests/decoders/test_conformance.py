"""Conformance of ``StreamDecoder`` with two independent AIS decoders: gpsd and libais.

Why: PortWatch decodes with pyais plus its own fast path and field mapping.
gpsd (C) and libais (C++) were written independently and publish what they
decode from real recordings (copied unmodified into ``tests/data``, see its
README.md). Agreeing with them field by field catches scaling and unit
mistakes, wrong "not available" handling and text decoding errors, ours or
pyais's, on real messages instead of on messages we encoded ourselves.

Compared, wherever both our record and the reference carry the field (reference
JSON key on the left; libais writes gpsd's names):

- ``lat``/``lon`` (within 1e-4 degrees) of every type with a position: 1-4, 9, 11,
  18, 19, 21, 27; ``speed`` and ``course`` of 1-3, 9, 18, 19, 27; ``heading`` of
  1-3, 18, 19; ``status`` (navigational status) of 1-3 and 27;
- ``shipname``, ``callsign``, ``imo``, ``shiptype``, ``destination``, ``draught``
  of static reports (5, 19, 24 part A: name only, 24 part B: callsign and type);
- beyond those, the aid-to-navigation ``name`` (21) and the safety ``text`` (12, 14),
  because they are text fields of our records as well;
- for libais, the data time and the receiving station taken from the line framing.

The references write the ITU-R M.1371-5 "not available" numbers (lat 91, lon 181,
heading 511, ...); they are translated to our ``None`` before comparing (see
``expected_value``). Types our decoder keeps as ``OtherMessage`` (6, 7, 8, 10,
13, 15, 16, 17, 20, 22, 23, 25, 26) carry pyais's fields unmapped: for them only
type and MMSI are matched.

Where the decoders genuinely disagree (a difference of interpretation, not a
defect of ours), the case is listed in a table below with the reason and the
side M.1371-5 supports, and the tests assert that exactly the listed cases
differ: a new difference fails, and so does a listed one that disappears.
Two defects this comparison found in our text decoding (a name read past its
``@`` terminator, a safety text with a seventh character made of four leftover
bits) were fixed in ``pyais_adapter``; those fields now agree like the rest.
The counts of messages and comparisons are pinned so that a broken matching
cannot pass by comparing nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portwatch.decoders import (
    AidToNavigationReport,
    BaseStationReport,
    PositionReport,
    Record,
    SafetyMessage,
    SarAircraftReport,
    StaticReport,
    StreamDecoder,
)

TOLERANCE = 1e-4
"""Degrees for positions; knots, degrees and metres for the rest. The references
write positions to 1e-7 degrees and libais writes float32 (35.900001525878906),
while the fields themselves come in steps of 1/600000 degree and 0.1 units."""

CaseKey = tuple[int, int, int, str]
"""(line number, message type, MMSI, reference field): one compared value.
The line is the one that completes the message (its last sentence)."""


@dataclass(frozen=True, slots=True)
class Message:
    """The records one input line completed: one, or two for a type 19."""

    line_no: int
    line: str
    records: tuple[Record, ...]

    @property
    def msg_type(self) -> int:
        return self.records[0].msg_type

    @property
    def mmsi(self) -> int:
        return self.records[0].mmsi

    @property
    def key(self) -> tuple[int, int, str | None]:
        """(type, MMSI, type 24 part): what identifies a message across decoders."""
        first = self.records[0]
        part = first.part if isinstance(first, StaticReport) and first.msg_type == 24 else None
        return self.msg_type, self.mmsi, part


Reference = dict[str, Any]
"""One decoded message as the reference decoder's JSON gives it."""
Pair = tuple[Message, Reference]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field of one message as both decoders see it."""

    ours: Any
    theirs: Any
    """As the reference JSON writes it."""
    expected: Any
    """``theirs`` in our conventions (not-available numbers become None)."""

    @property
    def agrees(self) -> bool:
        return agree(self.ours, self.expected)


@dataclass(frozen=True, slots=True)
class Difference:
    """A documented case where we and a reference decoder interpret a field differently."""

    line_no: int
    msg_type: int
    mmsi: int
    field: str
    """The reference JSON key."""
    ours: Any
    theirs: Any
    """As the reference JSON writes it."""
    reason: str
    itu: str
    """Which side ITU-R M.1371-5 supports, and where it says so."""

    @property
    def key(self) -> CaseKey:
        return self.line_no, self.msg_type, self.mmsi, self.field


GPSD_OBJECTS = 97
"""JSON objects gpsdecode wrote (one per message it reports)."""
GPSD_OUR_MESSAGES = 102
"""Messages we decode from sample.aivdm (118 sentences, one without its ``!``)."""
GPSD_MATCHED_MESSAGES = 99
"""Our messages paired with a gpsd object: 97, plus one each for the two type 24
objects, which stand for a part A and a part B message of ours."""
GPSD_COMPARISONS = 126
"""Field values compared over those pairs."""

GPSD_UNREPORTED: dict[int, tuple[int, int, str | None]] = {
    # The "type 24 collisions" section of sample.aivdm: gpsd holds one part A per
    # channel and reports a type 24 only when the matching part B follows it. We
    # report every part on its own, as M.1371-5 (Table 76) defines them.
    # !AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40  (B without an A before it)
    987: (24, 271041815, "B"),
    # !AIVDM,1,1,,A,H42O3qiA8U10Tp0000000000000,2*37  (A replaced by the next A)
    992: (24, 271041511, "A"),
    # !AIVDM,1,1,,A,H42Mh`lUi2hhljiI=mikk000B050,0*17  (B whose A was replaced)
    1001: (24, 271020195, "B"),
}
"""Line numbers of our messages that gpsd deliberately does not report."""

GPSD_DIFFERENCES: tuple[Difference, ...] = (
    # Type 4 "with year set to 10196 (0x27D4) ... a bad epfd as well":
    # !AIVDM,1,1,,B,4>O7m7Iu@<9qUfbtm`vSnwvH20S8,0*46
    # raw lat 65599231 and lon 123070132 (1/10000 minute) are 109.33 and 205.12 degrees.
    Difference(
        1026,
        4,
        972158237,
        "lat",
        None,
        109.3320517,
        reason="raw latitude beyond 90 degrees: gpsd scales whatever was sent; we report "
        "no position because the value is not a latitude (nor the 91 sentinel)",
        itu="ours: Table 49 defines latitude in +-90 degrees, 91 = not available; "
        "nothing outside that range is a position",
    ),
    Difference(
        1026,
        4,
        972158237,
        "lon",
        None,
        205.1168867,
        reason="raw longitude beyond 180 degrees: gpsd scales it, we report no position",
        itu="ours: Table 49 defines longitude in +-180 degrees, 181 = not available",
    ),
)


TYPEEXAMPLES_MESSAGES = 26
TYPEEXAMPLES_COMPARISONS = 48

TYPEEXAMPLES_DIFFERENCES: tuple[Difference, ...] = (
    # !AIVDM,1,1,,A,KvQ:1o`7EBrBQ`?w,0*37,d-127,S0258,t111606.00,...
    Difference(
        11,
        27,
        974291422,
        "lon",
        None,
        200.23167419433594,
        reason="longitude beyond 180 degrees: libais scales it, we report no position",
        itu="ours: Table 83 defines longitude in +-180 degrees, 181 = not available",
    ),
    Difference(
        11,
        27,
        974291422,
        "lat",
        None,
        -77.96833038330078,
        reason="a valid latitude paired with an invalid longitude: we treat the position "
        "as one value and drop both halves, libais keeps the latitude",
        itu="neither: M.1371-5 defines the two fields separately; dropping the pair is "
        "our design (a track point needs both coordinates)",
    ),
    # !AIVDM,1,1,,B,2T8Mur>pJNw77ks5q?7mdfhoOgMo,0*3A,d-128,S1317,t192435.00,...
    Difference(
        21,
        2,
        277315048,
        "lat",
        None,
        -101.54704284667969,
        reason="latitude beyond 90 degrees: libais scales it, we report no position",
        itu="ours: Table 46 defines latitude in +-90 degrees, 91 = not available",
    ),
    Difference(
        21,
        2,
        277315048,
        "lon",
        None,
        -12.425178527832031,
        reason="a valid longitude paired with an invalid latitude: we drop the pair",
        itu="neither: the fields are defined separately; dropping the pair is our design",
    ),
    Difference(
        21,
        2,
        277315048,
        "heading",
        None,
        472,
        reason="true heading 472 is undefined: libais reports the raw number, we report no heading",
        itu="ours: Table 46 defines 0-359 degrees and 511 = not available; 360-510 mean nothing",
    ),
    # !AIVDM,1,1,,B,9muc;QvN2`TG6BE76wm;U7u>K>?b,0*64,d-110,S1797,t012247.00,...
    Difference(
        24,
        9,
        400214919,
        "lat",
        None,
        -99.42364501953125,
        reason="latitude beyond 90 degrees: libais scales it, we report no position",
        itu="ours: Table 54 defines latitude in +-90 degrees, 91 = not available",
    ),
    Difference(
        24,
        9,
        400214919,
        "lon",
        None,
        60.969932556152344,
        reason="a valid longitude paired with an invalid latitude: we drop the pair",
        itu="neither: the fields are defined separately; dropping the pair is our design",
    ),
    Difference(
        24,
        9,
        400214919,
        "speed",
        168.0,
        16.799999237060547,
        reason="libais divides the SAR aircraft speed by 10 as for ships; it is in whole "
        "knots (raw 168). gpsd agrees with us: type 9 from 111232511 is 42 knots in both",
        itu="ours: Table 54, speed over ground 'in knot steps (0-1 022 knots)', "
        "1 023 = not available",
    ),
    # !AIVDM,1,1,5,B,E<eNSpRtjkGoqmIsgm`>ekv92?KN9R<Man9UV;cwLhuFLh,4*62,d-127,...
    Difference(
        20,
        21,
        852992994,
        "name",
        "9%&//3*37_+P]['<RD^6",
        "9%&//3*37-+P][`<RD^6",
        reason="libais's 6-bit character table has '-' for code 31 and '`' for code 39",
        itu="ours: Table 47 (6-bit ASCII) has '_' at 31 and the apostrophe at 39; '`' is "
        "not in the set",
    ),
)


TAGBLOCK_MESSAGES = 4
"""Five lines: three type 1 and a type 5 in two sentences grouped by ``g:1-2-1604``."""
TAGBLOCK_COMPARISONS = 24
TAGBLOCK_DIFFERENCES: tuple[Difference, ...] = ()


def decode_recording(path: Path) -> list[Message]:
    """Decode a recording line by line, keeping the records of each line together."""
    decoder = StreamDecoder(source=path.name)
    messages: list[Message] = []
    with path.open("rb") as lines:
        for line_no, line in enumerate(lines, start=1):
            records = decoder.decode_line(line)
            if records:
                text = line.strip().decode("ascii", "replace")
                messages.append(Message(line_no, text, tuple(records)))
    decoder.finish()
    return messages


def read_json_lines(path: Path) -> list[Reference]:
    """One JSON object per non-empty line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def our_fields(message: Message) -> dict[str, Any]:
    """Our values of a message under the reference decoders' (gpsd's) JSON names.

    Only the fields the message type carries: a type 24 part A has no call sign,
    a type 27 no heading, class B no navigational status.
    """
    fields: dict[str, Any] = {}
    for record in message.records:
        values: dict[str, Any] = {}
        if isinstance(record, PositionReport):
            values = {
                "lat": record.lat,
                "lon": record.lon,
                "speed": record.sog_kn,
                "course": record.cog_deg,
            }
            if record.msg_type != 27:
                values["heading"] = record.heading_deg
            if record.msg_type in (1, 2, 3, 27):
                values["status"] = record.nav_status
        elif isinstance(record, StaticReport):
            if record.part != "B":
                values["shipname"] = record.name
            if record.part != "A":
                values["shiptype"] = record.ship_type
            if record.msg_type == 5 or record.part == "B":
                values["callsign"] = record.callsign
            if record.msg_type == 5:
                values.update(
                    imo=record.imo, destination=record.destination, draught=record.draught_m
                )
        elif isinstance(record, SarAircraftReport):
            values = {
                "lat": record.lat,
                "lon": record.lon,
                "speed": record.sog_kn,
                "course": record.cog_deg,
            }
        elif isinstance(record, BaseStationReport):
            values = {"lat": record.lat, "lon": record.lon}
        elif isinstance(record, AidToNavigationReport):
            values = {"lat": record.lat, "lon": record.lon, "name": record.name}
        elif isinstance(record, SafetyMessage):
            values = {"text": record.text}
        assert not fields.keys() & values.keys(), f"two records give the same field: {message}"
        fields.update(values)
    return fields


def expected_value(field: str, value: Any, msg_type: int) -> Any:
    """A reference value in our conventions: M.1371-5 "not available" numbers become None.

    Only the exact sentinels are translated; anything else out of range stays as
    the reference wrote it, so that such cases show up as differences.
    """
    if value is None:
        return None
    if field in ("shipname", "callsign", "destination", "name"):
        return value.rstrip("@ ") or None
    if field == "text":
        return value.rstrip("@ ")
    if field == "imo":
        return int(value) or None  # libais writes the IMO number as a string
    not_available = {
        "lat": 91,
        "lon": 181,
        "speed": {9: 1023, 27: 63}.get(msg_type, 102.3),
        "course": 511 if msg_type == 27 else 360,
        "heading": 511,
        "status": 15,
        "shiptype": 0,
        "draught": 0,
    }.get(field)
    if not_available is not None and math.isclose(value, not_available, abs_tol=TOLERANCE):
        return None
    return value


def agree(ours: Any, expected: Any) -> bool:
    """Equal, numbers within ``TOLERANCE``."""
    if ours is None or expected is None:
        return ours is expected
    if isinstance(ours, int | float) and isinstance(expected, int | float):
        return math.isclose(ours, expected, rel_tol=0.0, abs_tol=TOLERANCE)
    return bool(ours == expected)


def compare(pairs: Iterable[Pair]) -> dict[CaseKey, Comparison]:
    """Every field both sides carry, for every pair."""
    comparisons: dict[CaseKey, Comparison] = {}
    for message, reference in pairs:
        for field, ours in our_fields(message).items():
            if field in reference:
                theirs = reference[field]
                key = (message.line_no, message.msg_type, message.mmsi, field)
                expected = expected_value(field, theirs, message.msg_type)
                comparisons[key] = Comparison(ours, theirs, expected)
    return comparisons


def check_differences(
    comparisons: dict[CaseKey, Comparison],
    documented: Sequence[Difference],
) -> None:
    """Exactly the documented cases differ."""
    observed = {key: (c.ours, c.theirs) for key, c in comparisons.items() if not c.agrees}
    assert observed == {d.key: (d.ours, d.theirs) for d in documented}


def pair_in_order(messages: Sequence[Message], references: Iterable[Reference]) -> Iterator[Pair]:
    """Pair each gpsd object with the next of our messages of the same type and MMSI.

    gpsd reports a subsequence of the messages we decode, in the same order: it
    drops some (``GPSD_UNREPORTED``) and never adds any. So a forward scan pairs
    them; an object with no partner left fails the test. gpsd writes a type 24
    once it has both parts, as one object: that object is paired with our
    part A and then with our part B message.
    """
    position = 0
    for reference in references:
        keys: list[tuple[int, int, str | None]] = []
        if reference["type"] == 24:
            if "shipname" in reference:
                keys.append((24, reference["mmsi"], "A"))
            if "callsign" in reference or "shiptype" in reference:
                keys.append((24, reference["mmsi"], "B"))
        else:
            keys.append((reference["type"], reference["mmsi"], None))
        for key in keys:
            while position < len(messages) and messages[position].key != key:
                position += 1
            if position == len(messages):
                pytest.fail(f"gpsd reports {key} and we have no such message left: {reference}")
            yield messages[position], reference
            position += 1


def pair_by_line(messages: Sequence[Message], references: Sequence[Reference]) -> list[Pair]:
    """libais's JSON has one object per decoded message, in the same order."""
    assert len(messages) == len(references)
    pairs = list(zip(messages, references, strict=True))
    for message, reference in pairs:
        assert (message.msg_type, message.mmsi) == (reference["type"], reference["mmsi"]), (
            message.line,
            reference,
        )
    return pairs


@pytest.fixture(scope="module")
def gpsd_messages(shared_data: Path) -> list[Message]:
    return decode_recording(shared_data / "gpsd" / "sample.aivdm")


@pytest.fixture(scope="module")
def gpsd_references(shared_data: Path) -> list[Reference]:
    return read_json_lines(shared_data / "gpsd" / "sample.aivdm.js.chk")


@pytest.fixture(scope="module")
def gpsd_pairs(gpsd_messages: list[Message], gpsd_references: list[Reference]) -> list[Pair]:
    return list(pair_in_order(gpsd_messages, gpsd_references))


@pytest.fixture(scope="module")
def typeexamples_pairs(shared_data: Path) -> list[Pair]:
    libais = shared_data / "libais"
    return pair_by_line(
        decode_recording(libais / "typeexamples.nmea"),
        read_json_lines(libais / "typeexamples.json"),
    )


@pytest.fixture(scope="module")
def tagblock_pairs(shared_data: Path) -> list[Pair]:
    libais = shared_data / "libais"
    return pair_by_line(
        decode_recording(libais / "tagblock.nmea"),
        read_json_lines(libais / "tagblock.json"),
    )


def test_gpsd_reports_a_subsequence_of_our_messages(
    gpsd_messages: list[Message], gpsd_references: list[Reference], gpsd_pairs: list[Pair]
) -> None:
    """Every gpsd object has its message of ours; ours that gpsd leaves out are known."""
    assert len(gpsd_references) == GPSD_OBJECTS
    assert len(gpsd_messages) == GPSD_OUR_MESSAGES
    assert len(gpsd_pairs) == GPSD_MATCHED_MESSAGES
    paired = {message.line_no for message, _ in gpsd_pairs}
    assert len(paired) == GPSD_MATCHED_MESSAGES, "a message of ours was paired twice"
    unreported = {m.line_no: m.key for m in gpsd_messages if m.line_no not in paired}
    assert unreported == GPSD_UNREPORTED


def test_gpsd_fields_agree_except_documented(gpsd_pairs: list[Pair]) -> None:
    """Positions, motion and static data agree with gpsd but for ``GPSD_DIFFERENCES``."""
    comparisons = compare(gpsd_pairs)
    assert len(comparisons) == GPSD_COMPARISONS
    check_differences(comparisons, GPSD_DIFFERENCES)


def test_libais_typeexamples_fields_agree_except_documented(
    typeexamples_pairs: list[Pair],
) -> None:
    """One message of each type 1-27 (no 19) agrees with libais but for the table."""
    assert len(typeexamples_pairs) == TYPEEXAMPLES_MESSAGES
    comparisons = compare(typeexamples_pairs)
    assert len(comparisons) == TYPEEXAMPLES_COMPARISONS
    check_differences(comparisons, TYPEEXAMPLES_DIFFERENCES)


# libais's USCG parser (ais/uscg.py, USCG_RE): letter-prefixed fields after the
# checksum, then the logger's Unix time; the station is the field starting with "r".
# !AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30,d-080,S2118,t050056.00,T56.4837741,
#     r003669946,1325394060,1325394001   <- time 1325394060 (a second, later epoch follows)
_USCG_TIME = re.compile(r"\*[0-9A-Fa-f]{2}(?:,[A-Za-z][^,]*)*,(\d+(?:\.\d*)?)")
_USCG_STATION = re.compile(r"\*[0-9A-Fa-f]{2}(?:,[A-Za-z][^,]*)*?,(r[A-Za-z0-9_-]*)")


def test_libais_typeexamples_time_and_station(typeexamples_pairs: list[Pair]) -> None:
    """USCG trailing fields give the data time and station as libais's parser reads them.

    libais's JSON does not carry them, so they are read from each line the way
    libais's USCG parser does (``_USCG_TIME``, ``_USCG_STATION``).
    """
    for message, _ in typeexamples_pairs:
        time_match = _USCG_TIME.search(message.line)
        station_match = _USCG_STATION.search(message.line)
        assert time_match is not None, message.line
        assert station_match is not None, message.line
        for record in message.records:
            assert record.time_s == float(time_match.group(1)), message.line
            assert record.station == station_match.group(1), message.line


def test_libais_tagblock_fields_time_and_station(tagblock_pairs: list[Pair]) -> None:
    """Tag-block lines, incl. a type 5 in two sentences grouped by ``g:``, agree with libais.

    \\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o...
    \\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\\!AIVDM,2,2,6,A,000...
    (with a type 1 from another station between the two halves).
    """
    assert len(tagblock_pairs) == TAGBLOCK_MESSAGES
    comparisons = compare(tagblock_pairs)
    assert len(comparisons) == TAGBLOCK_COMPARISONS
    check_differences(comparisons, TAGBLOCK_DIFFERENCES)
    for message, reference in tagblock_pairs:
        stamp = datetime.strptime(reference["tagblock_timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
        for record in message.records:
            assert record.time_s == stamp.replace(tzinfo=UTC).timestamp(), message.line
            assert record.station == reference["tagblock_station"], message.line

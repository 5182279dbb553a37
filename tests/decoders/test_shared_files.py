"""Every shared real-world recording decodes without an exception, and what it
decodes is pinned: messages by type, failures by kind, messages with a time.

The figures were cross-checked against tests/data/README.md (computed there
with pyais 3.3.1): where PortWatch differs, it is because it validates
checksums and refuses orphan fragments that pyais decodes regardless, or
decodes a type 19 pyais fails on (gpsd/sample.aivdm). A change in any figure
means the decoder changed what it reads from real feeds: look before re-pinning.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from portwatch.decoders import StreamDecoder, open_log
from portwatch.decoders.stats import LINE_OUTCOMES


@dataclass(frozen=True)
class Pinned:
    by_type: dict[int, int]
    failures: dict[str, int]
    timed: int = 0
    """Records carrying a data time (a type 19 gives two records)."""


PINNED: dict[str, Pinned] = {
    "amsa-risky/exact-earth-augmented-2.txt": Pinned(
        {
            1: 616,
            3: 96,
            5: 198,
            6: 18,
            7: 5,
            8: 18,
            10: 5,
            12: 5,
            13: 3,
            14: 2,
            15: 5,
            16: 10,
            17: 5,
            18: 85,
            20: 6,
            21: 10,
            22: 2,
            23: 5,
            24: 30,
            25: 5,
            26: 3,
            27: 1,
        },
        {"undecodable": 2},
        timed=1133,
    ),
    "amsa-risky/exact-earth-with-tag-block.txt": Pinned(
        {1: 163, 3: 15, 5: 21, 11: 1}, {}, timed=200
    ),
    "amsa-risky/nmea-timestamped.txt": Pinned({1: 75, 3: 25}, {}, timed=100),
    "dma-aislib/ais250.txt": Pinned(
        {1: 162, 3: 13, 4: 19, 8: 1, 18: 23, 21: 3, 24: 14}, {"orphan_fragments": 8}, timed=0
    ),
    "dma-aislib/decode_encode_messages.txt": Pinned(
        {1: 282, 3: 35, 4: 71, 5: 15, 8: 30, 18: 103, 20: 37, 24: 28}, {}, timed=0
    ),
    "dma-aislib/replay_dump.txt": Pinned({1: 43, 3: 1, 4: 2, 5: 1, 18: 1, 24: 2}, {}, timed=50),
    "dma-aislib/stream_example.txt": Pinned(
        {
            1: 2511,
            2: 7,
            3: 369,
            4: 129,
            5: 424,
            6: 37,
            7: 9,
            8: 63,
            9: 1,
            15: 66,
            16: 23,
            17: 5,
            18: 101,
            20: 191,
            21: 37,
            23: 4,
            24: 74,
        },
        {},
        timed=4051,
    ),
    "gpsd/sample.aivdm": Pinned(
        {
            1: 4,
            2: 1,
            3: 1,
            4: 4,
            5: 3,
            6: 13,
            7: 3,
            8: 18,
            9: 2,
            10: 2,
            11: 1,
            12: 7,
            13: 1,
            14: 3,
            15: 3,
            16: 2,
            17: 2,
            18: 3,
            19: 1,
            20: 5,
            21: 2,
            22: 3,
            23: 1,
            24: 7,
            25: 3,
            26: 5,
            27: 2,
        },
        {"malformed": 1},
        timed=3,
    ),
    "libais/tagblock.nmea": Pinned({1: 3, 5: 1}, {}, timed=4),
    "libais/test.aivdm": Pinned(
        {
            1: 4,
            2: 1,
            3: 3,
            4: 3,
            5: 2,
            6: 10,
            7: 6,
            8: 13,
            9: 6,
            10: 7,
            11: 7,
            12: 10,
            13: 6,
            14: 12,
            15: 18,
            16: 9,
            17: 7,
            18: 11,
            19: 3,
            20: 13,
            21: 9,
            22: 9,
            23: 13,
            24: 10,
            25: 16,
            26: 17,
            27: 19,
        },
        {"unsupported_type": 17},
        timed=247,
    ),
    "libais/typeexamples.nmea": Pinned(
        {
            1: 1,
            2: 1,
            3: 1,
            4: 1,
            5: 1,
            6: 1,
            7: 1,
            8: 1,
            9: 1,
            10: 1,
            11: 1,
            12: 1,
            13: 1,
            14: 1,
            15: 1,
            16: 1,
            17: 1,
            18: 1,
            20: 1,
            21: 1,
            22: 1,
            23: 1,
            24: 1,
            25: 1,
            26: 1,
            27: 1,
        },
        {},
        timed=26,
    ),
    "pyais/ais_test_messages": Pinned({1: 6, 5: 1}, {}, timed=0),
    "pyais/gatehouse.nmea": Pinned({1: 4}, {"bad_checksum": 1}, timed=1),
    "pyais/messages.ais": Pinned({1: 6}, {}, timed=0),
    "pyais/mixed.txt": Pinned({1: 10, 5: 2}, {"bad_checksum": 1, "malformed": 3}, timed=2),
    "pyais/nmea_data_sample.txt": Pinned(
        {1: 667, 3: 76, 4: 6, 15: 7, 18: 19, 20: 1, 24: 2},
        {"orphan_fragments": 20, "undecodable": 100},
        timed=0,
    ),
    "pyais/sample.ais": Pinned({1: 10, 5: 1}, {"bad_checksum": 1, "malformed": 3}, timed=1),
    "pyais/timestamped.ais": Pinned({1: 4}, {"bad_checksum": 1}, timed=1),
    "signalk/nais300-merrimac.log": Pinned(
        {1: 339, 3: 37, 5: 13, 8: 13, 18: 133, 20: 1}, {}, timed=0
    ),
    "signalk/nais400-merrimac.log": Pinned(
        {1: 492, 3: 50, 4: 12, 5: 35, 8: 21, 15: 9, 18: 13, 20: 5, 21: 26, 24: 5}, {}, timed=0
    ),
}


def decode_file(path: Path) -> tuple[StreamDecoder, int]:
    decoder = StreamDecoder(source=path.name)
    with open_log(path) as handle:
        timed = sum(1 for record in decoder.decode_lines(handle) if record.time_s is not None)
    return decoder, timed


@pytest.mark.parametrize("name", sorted(PINNED))
def test_shared_recording_decodes_as_pinned(shared_data: Path, name: str) -> None:
    decoder, timed = decode_file(shared_data / name)
    stats = decoder.stats
    expected = PINNED[name]
    assert dict(stats.by_type) == expected.by_type
    assert {k: v for k, v in stats.failures().items() if v} == expected.failures
    assert timed == expected.timed
    assert stats.defects == 0
    assert stats.lines == sum(getattr(stats, outcome) for outcome in LINE_OUTCOMES)
    assert stats.sentences == stats.sentences_used + stats.orphan_fragments
    assert stats.complete_messages == stats.messages + stats.undecodable + stats.unsupported_type


def test_every_recording_is_pinned(shared_data: Path) -> None:
    """A recording added to tests/data must be added here too (enc/ holds a chart,
    not AIS)."""
    skipped_suffixes = {".json", ".chk", ".md"}
    present = {
        path.relative_to(shared_data).as_posix()
        for path in shared_data.rglob("*")
        if path.is_file()
        and path.relative_to(shared_data).parts[0] != "enc"
        and path.suffix not in skipped_suffixes
        and not path.name.startswith(("LICENSE", "COPYING", "README"))
    }
    assert present == set(PINNED)


_INVENTORY_ROW = re.compile(r"^\| `([^`]+)` \| (\d+) \| ([0-9a-f]{16}) \|$", re.MULTILINE)


def test_every_data_file_is_listed_here(shared_data: Path) -> None:
    """tests/data/README.md says where each file came from and under which licence,
    and pins its size and hash: a file added without its origin, or changed (a
    line-ending conversion on checkout), fails here."""
    listed = {
        name: (int(size), digest)
        for name, size, digest in _INVENTORY_ROW.findall(
            (shared_data / "README.md").read_text(encoding="utf-8")
        )
    }
    present = {
        path.relative_to(shared_data).as_posix(): (
            path.stat().st_size,
            hashlib.sha256(path.read_bytes()).hexdigest()[:16],
        )
        for path in shared_data.rglob("*")
        if path.is_file() and path.name != "README.md"
    }
    assert present == listed
    for folder in {name.split("/")[0] for name in present}:
        terms = ("*/README.md",) if folder == "enc" else ("LICENSE", "LICENSE.txt", "COPYING")
        assert any(any((shared_data / folder).glob(name)) for name in terms), folder


def test_typed_fields_of_a_known_vessel(shared_data: Path) -> None:
    """One real message read end to end: the first whole message of libais's
    ORBCOMM satellite sample, \\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55
    \\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78 (the line before it is the
    first fragment of a two-part message); libais reads the same (tagblock.json)."""
    decoder = StreamDecoder()
    with open_log(shared_data / "libais/tagblock.nmea") as handle:
        first = next(iter(decoder.decode_lines(handle)))
    assert (first.msg_type, first.mmsi, first.time_s, first.station) == (
        1,
        224651000,
        1418172113.0,
        "rORBCOMM104",
    )
    assert first.own_ship is False

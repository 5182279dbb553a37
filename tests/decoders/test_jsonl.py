"""The JSON Lines form of ``portwatch decode``: the direct writer of position
reports gives exactly what ``json.dumps`` gives, and times are ISO 8601 UTC."""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pytest

from portwatch.decoders import StreamDecoder, open_log
from portwatch.decoders.jsonl import iso_utc, message_to_json, message_to_json_text
from tests.decoders.nmea import EXAMPLE_POSITION, tag_block, vdm
from tests.decoders.test_fast_paths import RECORDINGS


@pytest.mark.parametrize("name", RECORDINGS)
def test_direct_writer_matches_json_dumps(shared_data: Path, name: str) -> None:
    decoder = StreamDecoder(source=name)
    with open_log(shared_data / name) as handle:
        for records in decoder.iter_messages(handle):
            assert message_to_json_text(records) == json.dumps(message_to_json(records))


@pytest.mark.parametrize(
    "data",
    [
        EXAMPLE_POSITION,
        dict(EXAMPLE_POSITION, lat=91, lon=181, speed=102.3, heading=511, status=15),
        dict(EXAMPLE_POSITION, type=18, mmsi=338000001),
        dict(EXAMPLE_POSITION, turn=-127),
    ],
)
@pytest.mark.parametrize("own_ship", [False, True])
def test_direct_writer_on_edge_values(data: dict, own_ship: bool) -> None:
    line = tag_block('s:q"uote,c:1452468552') + vdm(data, own_ship=own_ship)[0]
    (records,) = list(StreamDecoder().iter_messages([line.encode()]))
    text = message_to_json_text(records)
    assert text == json.dumps(message_to_json(records))
    assert json.loads(text)["mmsi"] == data["mmsi"]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, None),
        (calendar.timegm((2016, 1, 10, 23, 31, 2)), "2016-01-10T23:31:02Z"),
        (calendar.timegm((2016, 1, 10, 23, 31, 2)) + 0.25, "2016-01-10T23:31:02.250Z"),
        (calendar.timegm((2016, 12, 31, 23, 59, 59)) + 0.9996, "2017-01-01T00:00:00Z"),
    ],
)
def test_iso_utc(seconds: float | None, expected: str | None) -> None:
    assert iso_utc(seconds) == expected

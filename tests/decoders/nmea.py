"""Builders for NMEA test input: sentences encoded by pyais, tag blocks with
checksums computed by pyais's own checksum (independent of ours)."""

from __future__ import annotations

from typing import Any

from pyais import encode_dict
from pyais.util import checksum

EXAMPLE_POSITION: dict[str, Any] = {
    "type": 1,
    "mmsi": 366999001,
    "status": 0,
    "turn": 0,
    "speed": 12.3,
    "accuracy": 1,
    "lon": -118.18,
    "lat": 33.71,
    "course": 90.1,
    "heading": 91,
    "second": 30,
}
EXAMPLE_STATIC: dict[str, Any] = {
    "type": 5, "mmsi": 366999001, "imo": 9123456, "callsign": "WDE1234",
    "shipname": "EXAMPLE STAR", "ship_type": 70, "to_bow": 150, "to_stern": 50, "to_port": 15,
    "to_starboard": 17, "month": 1, "day": 11, "hour": 6, "minute": 30, "draught": 11.2,
    "destination": "LOS ANGELES",
}  # fmt: skip


def vdm(
    data: dict[str, Any],
    talker: str = "AI",
    seq_id: int | None = None,
    channel: str = "A",
    own_ship: bool = False,
) -> list[str]:
    """The sentences of one message, as a receiver would send them."""
    return encode_dict(
        data,
        talker_id=talker,
        sentence_type="VDO" if own_ship else "VDM",
        radio_channel=channel,
        seq_id=seq_id,
    )


def tag_block(fields: str) -> str:
    """``\\fields*hh\\`` with a correct checksum."""
    return f"\\{fields}*{checksum(fields.encode()):02X}\\"


def nmea(body: str, start: str = "$") -> str:
    """A whole NMEA sentence from its body, with a correct checksum."""
    return f"{start}{body}*{checksum(body.encode()):02X}"


def gofree(sentence: str) -> str:
    """``sentence`` in the layout of GoFree/Navico multifunction displays:
    sequence id 1, no channel and one more field after the fill bits
    (``!AIVDM,1,1,1,,PAYLOAD,0,0*1C``, as in a real recording of one), with its
    checksum made right again."""
    fields = sentence[1 : sentence.index("*")].split(",")
    fields[3], fields[4] = "1", ""
    return nmea(",".join([*fields, "0"]), start=sentence[0])

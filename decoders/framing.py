"""Line framing: everything around an AIS sentence that carries time or origin.

Recognises, per line and without configuration, IEC 61162-450 tag blocks,
Unix-seconds and ISO 8601 prefixes, USCG/NAIS trailing fields, Gatehouse
``$PGHP`` lines and sentences with fields after the fill bits (GoFree/Navico
displays send ``!AIVDM,1,1,1,,PAYLOAD,0,0*1C``), and validates NMEA
checksums. Payloads are not touched here.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime

# Data times outside these bounds are corrupt, not history.
EARLIEST_PLAUSIBLE_S = 631152000.0  # 1990-01-01
LATEST_PLAUSIBLE_S = 4102444800.0  # 2100-01-01
MILLISECONDS_ABOVE = 1e11  # an epoch above this is in milliseconds


def nmea_checksum(body: bytes) -> int:
    """XOR of all bytes of ``body`` (the text between ``!``/``$`` and ``*``).

    Folds the bytes as one big integer, 64 bits at a time and then in halves:
    a few C-level operations instead of one Python step per byte.
    """
    value = int.from_bytes(body, "big")
    length = len(body)
    while length > 64:  # only for overlong input: halving keeps it linear
        low_bits = (length >> 1) << 3
        value = (value >> low_bits) ^ (value & ((1 << low_bits) - 1))
        length -= length >> 1
    while value > 0xFFFFFFFFFFFFFFFF:
        value = (value >> 64) ^ (value & 0xFFFFFFFFFFFFFFFF)
    value = (value >> 32) ^ (value & 0xFFFFFFFF)
    value = (value >> 16) ^ (value & 0xFFFF)
    return (value >> 8) ^ (value & 0xFF)


def tag_block(fields: str) -> str:
    """An IEC 61162-450 tag block around ``fields`` (``s:STATION,c:1710201600``),
    with its checksum: what a sentence written by PortWatch carries in front."""
    return f"\\{fields}*{nmea_checksum(fields.encode('ascii')):02X}\\"


def has_valid_checksum(text: bytes) -> bool:
    """True when ``text`` (``BODY*hh``, without the leading ``!``/``$``/``\\``) checks."""
    star = text.rfind(b"*")
    if star < 0 or len(text) < star + 3:
        return False
    try:
        expected = int(text[star + 1 : star + 3], 16)
    except ValueError:
        return False
    return nmea_checksum(text[:star]) == expected


def plausible_epoch(value: float) -> float | None:
    """Seconds from an epoch field that may be in ms; None when implausible."""
    if value > MILLISECONDS_ABOVE:
        value /= 1000.0
    if EARLIEST_PLAUSIBLE_S <= value < LATEST_PLAUSIBLE_S:
        return value
    return None


def matched_time_s(text: bytes | None) -> float | None:
    """A time field a line matcher captured (digits, maybe milliseconds), or None."""
    return None if text is None else plausible_epoch(float(text))


_TAG_FIELD = re.compile(rb"([^,:]+):([^,]*)")
TagFields = tuple[float | None, str | None, tuple[int, int, str] | None]
"""What PortWatch takes from a tag block: ``c:`` time, ``s:`` station, ``g:`` group."""

# Tag-block checksums are not checked: some archives write "*00" on every line
# (amsa-risky), the fields would be used either way, and the sentence's own
# checksum still guards the AIS data.
HOT_POSITION_LINE = re.compile(
    rb"(?:\\(?:s:([^,*\\]*),)?c:([0-9]{9,13})\*[0-9A-Fa-f]{2}\\)?"
    rb"!([A-Z][A-Z0-9]VD([MO]),1,1,[0-9]?,[A-Z0-9]?,([123B][^,]{27}),0)"
    rb"\*([0-9A-Fa-f]{2})[ \t\r\n]{0,16}"
)
"""The commonest line of all, matched in one step: a one-sentence position
report of type 1, 2, 3 or 18 (168 bits), bare or behind a tag block of ``s:``
and ``c:`` only, once its payload is found all armour (``armour.is_armoured``:
checked for a whole batch at once; as a character class here it took half of
the match's time). Groups: station, time, sentence body, ``M``/``O``, payload,
checksum. Every other line takes the general path, which reads these lines
the same way (tests/decoders/test_stream_paths.py)."""


TAGGED_FRAGMENT_LINE = re.compile(
    rb"\\g:[1-9]-[1-9]-([^,*\\]+)(?:,s:([^,*\\]*))?(?:,c:([0-9]{9,13}))?\*[0-9A-Fa-f]{2}\\"
    rb"!([A-Z][A-Z0-9]VD([MO]),([2-9]),([1-9]),[0-9]?,[A-Z0-9]?,([0-W`-w]+),([0-5]))"
    rb"\*([0-9A-Fa-f]{2})[ \t\r\n]{0,16}"
)
"""The next commonest line: one fragment of a multipart message behind a tag
block of ``g:`` and then optionally ``s:`` and ``c:``. Groups: group id,
station, time, sentence body, ``M``/``O``, fragment count, fragment number,
payload, fill bits, checksum."""


SINGLE_SENTENCE_LINE = re.compile(
    rb"(?:\\(?:s:([^,*\\]*),)?c:([0-9]{9,13})\*[0-9A-Fa-f]{2}\\)?"
    rb"!([A-Z][A-Z0-9]VD([MO]),1,1,[0-9]?,[A-Z0-9]?,([0-W`-w]+),([0-5])(,[^*]*)?)"
    rb"\*([0-9A-Fa-f]{2})[ \t\r\n]{0,16}"
)
"""Any other one-sentence message, bare or behind a tag block of ``s:`` and
``c:`` only, with or without fields after the fill bits (GoFree/Navico
displays add one). Groups: station, time, sentence body, ``M``/``O``,
payload, fill bits, extra fields (None without), checksum."""


def parse_tag_block(text: bytes) -> TagFields | None:
    """Parse the text between the two backslashes; None when it is not a tag block."""
    star = text.rfind(b"*")
    fields_text = text[:star] if star >= 0 else text
    fields = _TAG_FIELD.findall(fields_text)
    if len(fields) != fields_text.count(b",") + 1:
        return None  # a part without "key:"
    time_s: float | None = None
    station: str | None = None
    group: tuple[int, int, str] | None = None
    for key, value in fields:
        if key == b"c":
            try:
                time_s = plausible_epoch(float(value))
            except ValueError:
                time_s = None
        elif key == b"s":
            station = value.decode("ascii", "replace")
        elif key == b"g":
            parts = value.split(b"-")
            if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
                group = (int(parts[0]), int(parts[1]), parts[2].decode("ascii", "replace"))
        elif b"G" in key:
            # NMEA 4.10 group form "1G2:58944" (sentence 1 of 2, group 58944),
            # as in the Norwegian Coastal Administration's feed.
            number, _, count = key.partition(b"G")
            if number.isdigit() and count.isdigit():
                group = (int(number), int(count), value.decode("ascii", "replace"))
    return time_s, station, group


def parse_time_prefix(prefix: bytes) -> float | None:
    """A line's leading time: Unix seconds (``1452468552.938``) or ISO 8601.

    Returns None when the prefix is not a plausible time.
    """
    text = prefix.strip(b" \t,;").decode("ascii", "replace")
    if not text:
        return None
    try:
        return plausible_epoch(float(text))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        seconds = calendar.timegm(moment.timetuple()) + moment.microsecond / 1e6
    else:
        seconds = moment.timestamp()
    return plausible_epoch(seconds)


def parse_trailing_fields(text: bytes) -> tuple[float | None, str | None]:
    """USCG/NAIS fields after the checksum: ``,d-109,S2105,t..,T..,r003669946,1325394060``.

    Returns (time, station). The time is the first all-digit field: the
    receiver's own clock, which agrees with the ``t`` slot time; some files add a
    second, later-written epoch after it. Epochs in milliseconds are recognised.
    """
    time_s: float | None = None
    station: str | None = None
    for field in text.split(b","):
        if not field:
            continue
        if field[:1] == b"r" and station is None:
            station = field.decode("ascii", "replace")
        elif time_s is None and field[:1].isdigit():
            try:
                time_s = plausible_epoch(float(field))
            except ValueError:
                continue
    return time_s, station


def parse_gatehouse_time(line: bytes) -> float | None:
    """Time from a Gatehouse ``$PGHP,1,Y,M,D,h,m,s,ms,...`` line, for the next sentence.

    None when the line is not a type-1 ``$PGHP`` with a valid date (the caller
    checks the checksum first).
    """
    fields = line[: line.rfind(b"*")].split(b",")
    if len(fields) < 9 or fields[1] != b"1":
        return None
    try:
        year, month, day, hour, minute, second, millis = (int(f) for f in fields[2:9])
        moment = datetime(year, month, day, hour, minute, second)
    except (ValueError, OverflowError):
        return None
    return plausible_epoch(calendar.timegm(moment.timetuple()) + millis / 1000.0)


def line_time_s(line: bytes) -> float | None:
    """The data time a single line carries (tag block ``c:``, a time prefix or a
    trailing epoch), for pacing a replay; None when it carries none. ``$PGHP``
    times need the line before and are left to the stream decoder."""
    line = line.strip()
    if line.startswith(b"\\"):
        end = line.find(b"\\", 1)
        tag = parse_tag_block(line[1:end]) if end > 0 else None
        if tag is not None and tag[0] is not None:
            return tag[0]
        line = line[end + 1 :] if end > 0 else line
    elif line[:1].isdigit():
        starts = [i for i in (line.find(b"!"), line.find(b"\\"), line.find(b"$")) if i > 0]
        if starts:
            prefix_time_s = parse_time_prefix(line[: min(starts)])
            if prefix_time_s is not None:
                return prefix_time_s
    star = line.find(b"*")
    if star >= 0 and len(line) > star + 3:
        return parse_trailing_fields(line[star + 3 :])[0]
    return None

"""The stream decoder: lines in, typed records out, never an exception.

One ``StreamDecoder`` per input keeps the state a stream needs (fragments
waiting for the rest of their message, the time a ``$PGHP`` line announced)
and counts everything it skips. ``decode_sentences`` is the strict
counterpart for single messages: it raises ``DecodeError``.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from portwatch.decoders.assembler import Fragment, FragmentAssembler
from portwatch.decoders.errors import DecodeError
from portwatch.decoders.fast_position import (
    FAST_LEADS,
    FAST_PAYLOAD_LENGTH,
    decode_position,
    payload_bits,
)
from portwatch.decoders.framing import (
    has_valid_checksum,
    nmea_checksum,
    parse_gatehouse_time,
    parse_tag_block,
    parse_time_prefix,
    parse_trailing_fields,
)
from portwatch.decoders.pyais_adapter import decode_with_pyais
from portwatch.decoders.records import Record
from portwatch.decoders.stats import DecodeStats

_NOTHING: tuple[Record, ...] = ()
_BACKSLASH, _BANG, _DOLLAR, _HASH = 0x5C, 0x21, 0x24, 0x23
_FILL_BITS = {b"0": 0, b"1": 1, b"2": 2, b"3": 3, b"4": 4, b"5": 5}
_FRAGMENT_NUMBERS = {str(n).encode(): n for n in range(1, 10)}
_GZIP_MAGIC = b"\x1f\x8b"


class StreamDecoder:
    """Decodes the lines of one input (a file, a socket, a serial port).

    Lines may be ``bytes`` or ``str``, with or without their line ending.
    ``decode_line`` returns the records completed by that line: none for a
    fragment, a comment or a broken line; one for most messages; two for a
    type 19 (its position and its static half).
    """

    def __init__(
        self,
        source: str = "-",
        keep_raw: bool = False,
        assembler: FragmentAssembler | None = None,
    ) -> None:
        self.source = source
        self.keep_raw = keep_raw
        self.stats = DecodeStats()
        self.assembler = assembler or FragmentAssembler()
        self._announced_time_s: float | None = None

    def decode_line(self, line: bytes | str) -> Sequence[Record]:
        """Decode one line; whatever it holds, count it and never raise."""
        try:
            return self._decode_line(line)
        except Exception:  # a defect of ours, not of the input: count it, keep going
            self.stats.defects += 1
            return _NOTHING

    def decode_lines(self, lines: Iterable[bytes | str]) -> Iterator[Record]:
        """Decode many lines, then give up on fragments still waiting."""
        decode_line = self.decode_line
        for line in lines:
            yield from decode_line(line)
        self.finish()

    def finish(self) -> None:
        """End of input: fragments still waiting are counted as orphans."""
        self.assembler.flush()
        self.stats.orphan_fragments = self.assembler.orphans

    def _decode_line(self, line: bytes | str) -> Sequence[Record]:
        stats = self.stats
        stats.lines += 1
        if type(line) is not bytes:
            line = str(line).encode("ascii", "replace")
        line = line.strip()
        if not line or line[0] == _HASH:
            stats.blank += 1
            return _NOTHING
        original = line
        time_s: float | None = None
        station: str | None = None
        group: tuple[int, int, str] | None = None
        first = line[0]
        if first == _BACKSLASH:
            end = line.find(b"\\", 1)
            tag = parse_tag_block(line[1:end]) if end > 0 else None
            if tag is None or end + 1 >= len(line):
                stats.malformed += 1
                return _NOTHING
            if not tag.checksum_ok:
                stats.tag_block_bad_checksum += 1
            time_s, station, group = tag.time_s, tag.station, tag.group
            line = line[end + 1 :]
            first = line[0]
        elif first != _BANG and first != _DOLLAR:
            start = _sentence_start(line)
            if start <= 0:
                stats.malformed += 1
                return _NOTHING
            time_s = parse_time_prefix(line[:start])
            if time_s is None:
                stats.malformed += 1
                return _NOTHING
            line = line[start:]
            first = line[0]
            if first == _BACKSLASH:  # a prefixed tag block: parse it on its own
                stats.lines -= 1
                records = self._decode_line(line)
                for record in records:
                    if record.time_s is None:
                        record.time_s = time_s
                return records
        if first == _DOLLAR:
            if line.startswith(b"$PGHP"):
                if not has_valid_checksum(line[1:]):
                    stats.bad_checksum += 1
                    return _NOTHING
                announced = parse_gatehouse_time(line)
                if announced is None:
                    stats.malformed += 1
                else:
                    stats.time_lines += 1
                    self._announced_time_s = announced
            else:
                stats.non_ais += 1
            return _NOTHING
        if first != _BANG:
            stats.malformed += 1
            return _NOTHING

        star = line.find(b"*", 1)
        if star < 0 or len(line) < star + 3:
            stats.malformed += 1
            return _NOTHING
        try:
            expected = int(line[star + 1 : star + 3], 16)
        except ValueError:
            stats.malformed += 1
            return _NOTHING
        body = line[1:star]
        if nmea_checksum(body) != expected:
            stats.bad_checksum += 1
            return _NOTHING
        fields = body.split(b",")
        header = fields[0]
        formatter = header[2:]
        if formatter == b"VDM":
            own_ship = False
        elif formatter == b"VDO":
            own_ship = True
        else:
            stats.non_ais += 1
            return _NOTHING
        if len(fields) != 7 or len(header) != 5:
            stats.malformed += 1
            return _NOTHING
        if len(line) > star + 3:
            trailing_time_s, trailing_station = parse_trailing_fields(line[star + 3 :])
            if time_s is None:
                time_s = trailing_time_s
            if station is None:
                station = trailing_station
        if self._announced_time_s is not None:
            if time_s is None:
                time_s = self._announced_time_s
            self._announced_time_s = None
        payload = fields[5]
        fill_bits = _FILL_BITS.get(fields[6])
        count = _FRAGMENT_NUMBERS.get(fields[1])
        number = _FRAGMENT_NUMBERS.get(fields[2])
        if fill_bits is None or count is None or number is None or number > count:
            stats.malformed += 1
            return _NOTHING
        stats.sentences += 1

        if count == 1:
            if self.assembler.pending:
                self.assembler.expire(stats.sentences)
                stats.orphan_fragments = self.assembler.orphans
            stats.complete_messages += 1
            stats.sentences_used += 1
            raw = (original.decode("ascii", "replace"),) if self.keep_raw else None
            if len(payload) == FAST_PAYLOAD_LENGTH and fill_bits == 0 and payload[0] in FAST_LEADS:
                stats.messages += 1
                v = payload_bits(payload)
                stats.by_type[v >> 162] += 1
                if own_ship:
                    stats.own_ship += 1
                return (decode_position(v, time_s, self.source, station, own_ship, raw),)
            return self._decode_payload(payload, fill_bits, time_s, station, own_ship, raw)

        if group is not None:
            key: tuple = ("g", group[2])
        else:
            key = (header[:2], fields[4], fields[3])
        fragment = Fragment(number, count, payload, fill_bits, time_s, station, original)
        assembled = self.assembler.add(key, fragment, stats.sentences)
        stats.orphan_fragments = self.assembler.orphans
        if assembled is None:
            return _NOTHING
        stats.sentences_used += len(assembled)
        stats.complete_messages += 1
        last_time_s = next((f.time_s for f in reversed(assembled) if f.time_s is not None), None)
        last_station = next((f.station for f in assembled if f.station is not None), None)
        raw = tuple(f.raw.decode("ascii", "replace") for f in assembled) if self.keep_raw else None
        return self._decode_payload(
            b"".join(f.payload for f in assembled),
            assembled[-1].fill_bits,
            last_time_s,
            last_station,
            own_ship,
            raw,
        )

    def _decode_payload(
        self,
        payload: bytes,
        fill_bits: int,
        time_s: float | None,
        station: str | None,
        own_ship: bool,
        raw: tuple[str, ...] | None,
    ) -> Sequence[Record]:
        stats = self.stats
        try:
            records = decode_with_pyais(
                payload, fill_bits, (time_s, self.source, station, own_ship, raw)
            )
        except DecodeError as error:
            if error.kind == "unsupported_type":
                stats.unsupported_type += 1
            else:
                stats.undecodable += 1
            return _NOTHING
        stats.messages += 1
        stats.by_type[records[0].msg_type] += 1
        if own_ship:
            stats.own_ship += 1
        return records


def _sentence_start(line: bytes) -> int:
    """Index where a sentence or tag block starts after a time prefix, or -1."""
    positions = [i for i in (line.find(b"!"), line.find(b"\\"), line.find(b"$")) if i >= 0]
    return min(positions) if positions else -1


def decode_sentences(*sentences: str | bytes, source: str = "-") -> list[Record]:
    """Decode exactly one message from its sentences (all fragments, in order).

    The strict counterpart of the stream: raises ``DecodeError`` (kind
    ``bad_checksum``, ``malformed``, ``incomplete``, ``undecodable`` or
    ``unsupported_type``) instead of counting.
    """
    decoder = StreamDecoder(source=source)
    records: Sequence[Record] = ()
    for sentence in sentences:
        before = decoder.stats.failures() | {"non_ais": decoder.stats.non_ais}
        records = decoder._decode_line(sentence)
        after = decoder.stats.failures() | {"non_ais": decoder.stats.non_ais}
        for kind, count in after.items():
            if count > before[kind]:
                text = (
                    sentence if isinstance(sentence, str) else sentence.decode("ascii", "replace")
                )
                raise DecodeError(kind, f"{kind.replace('_', ' ')}: {text.strip()}")
    if not records:
        raise DecodeError("incomplete", f"{len(sentences)} sentence(s) do not make a whole message")
    return list(records)


def open_log(path: str | Path) -> BinaryIO:
    """Open a log for binary reading, gunzipping when the file is gzip (by content)."""
    if str(path) == "-":
        return sys.stdin.buffer
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")

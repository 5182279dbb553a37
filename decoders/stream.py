"""The stream decoder: lines in, typed records out, never an exception.

One ``StreamDecoder`` per input keeps the state a stream needs (fragments
waiting for the rest of their message, the time a ``$PGHP`` line announced)
and counts everything it skips. ``decode_sentences`` is the strict
counterpart for single messages: it raises ``DecodeError``.
"""

from __future__ import annotations

import gc
import gzip
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from types import MethodType
from typing import BinaryIO

from portwatch.decoders.armour import is_armoured, payload_bits
from portwatch.decoders.assembler import Fragment, FragmentAssembler
from portwatch.decoders.batch_position import checksums, decode_positions, epoch_times
from portwatch.decoders.errors import DecodeError
from portwatch.decoders.fast_position import FAST_LEADS, FAST_PAYLOAD_LENGTH, decode_position
from portwatch.decoders.fast_static import decode_static
from portwatch.decoders.fast_stations import decode_station
from portwatch.decoders.framing import (
    HOT_POSITION_LINE,
    SINGLE_SENTENCE_LINE,
    TAGGED_FRAGMENT_LINE,
    has_valid_checksum,
    matched_time_s,
    nmea_checksum,
    parse_gatehouse_time,
    parse_tag_block,
    parse_time_prefix,
    parse_trailing_fields,
)
from portwatch.decoders.pyais_adapter import decode_with_pyais
from portwatch.decoders.records import PositionReport, Record
from portwatch.decoders.stats import DecodeStats

_NOTHING: tuple[Record, ...] = ()
BATCH_LINES = 1024
"""Lines decoded together by ``iter_messages``."""
MAX_LINE_BYTES = 2048
"""Longer lines are garbage: an NMEA sentence is at most 82 characters, and tag
blocks and trailing station fields add a few dozen."""
_BACKSLASH, _BANG, _DOLLAR, _HASH = 0x5C, 0x21, 0x24, 0x23
_FILL_BITS = {b"0": 0, b"1": 1, b"2": 2, b"3": 3, b"4": 4, b"5": 5}
_FRAGMENT_NUMBERS = {str(n).encode(): n for n in range(1, 10)}
_GZIP_MAGIC = b"\x1f\x8b"
# Fast decoders by the payload's first character (the message type), for
# payloads of standard length; pyais decodes the rest.
_FAST_DECODERS = {
    b"5": decode_static,  # type 5
    b"H": decode_static,  # type 24
    b"4": decode_station,  # type 4
    b";": decode_station,  # type 11
    b"E": decode_station,  # type 21
}
_match_hot_position = HOT_POSITION_LINE.fullmatch
_match_tagged_fragment = TAGGED_FRAGMENT_LINE.fullmatch
_match_single_sentence = SINGLE_SENTENCE_LINE.fullmatch
_is_armoured = re.compile(rb"[0-W`-w]+").fullmatch
_HEX_VALUE = {
    f"{high}{low}".encode(): int(f"{high}{low}", 16)
    for high in "0123456789ABCDEFabcdef"
    for low in "0123456789ABCDEFabcdef"
}
"""Checksum fields, as the hot line's matcher has already vetted them."""


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
        paths: Collection[str] = (),
    ) -> None:
        """``paths``: the fast paths ``iter_messages`` may use (``PATHS``; all of them
        when empty); the general path reads whatever they leave. Fewer paths read the
        same lines the same way, more slowly: for the tests and the benchmarks."""
        self.source = source
        self.keep_raw = keep_raw
        self.stats = DecodeStats()
        self.assembler = assembler or FragmentAssembler()
        self._announced_time_s: float | None = None
        self._station_names: dict[bytes, str] = {}
        unknown = set(paths) - set(PATHS)
        if unknown:
            raise ValueError(f"no such decoding path: {', '.join(sorted(unknown))}")
        paths = paths or PATHS
        self._batch_positions = POSITION_BATCH in paths
        self._line_paths = tuple(
            MethodType(read, self) for name, read in LINE_PATHS.items() if name in paths
        )

    def decode_line(self, line: bytes | str) -> Sequence[Record]:
        """Decode one line; whatever it holds, count it and never raise."""
        try:
            return self._decode_line(line)
        except Exception:  # a defect of ours, not of the input: count it, keep going
            self.stats.defects += 1
            return _NOTHING

    def iter_messages(self, lines: Iterable[bytes | str]) -> Iterator[Sequence[Record]]:
        """Decode many lines, yielding the records of each message as it completes.

        Gives what ``decode_line`` gives for each line, faster: lines are taken
        a batch at a time and read by the paths of ``PATHS``: the commonest
        (one-sentence position reports, bare or behind a plain ``s:``/``c:`` tag
        block) are decoded together with numpy, and everything else goes through
        the line paths' matchers and ``decode_line``, in order. A batch is read before any of
        it is decoded, so a live feed that must be shown as it arrives calls
        ``decode_line`` instead. Fragments still waiting at the end stay
        waiting (the next call may complete them); call ``finish`` at the end
        of the input.
        """
        if self.keep_raw:
            for line in lines:
                records = self.decode_line(line)
                if records:
                    yield records
            return
        iterator = iter(lines)
        while True:
            batch: list[bytes | str] = []
            try:
                # One by one, not ``extend``: compiled (mypyc), ``extend`` drops the
                # lines it took when the input breaks off.
                for line in islice(iterator, BATCH_LINES):
                    batch.append(line)
            except BaseException:
                # The input broke off (a truncated gzip file): what was read before
                # still counts.
                yield from self._decode_batch(batch)
                raise
            if not batch:
                return
            yield from self._decode_batch(batch)

    def _decode_batch(self, batch: list[bytes | str]) -> list[Sequence[Record]]:
        """The messages a batch of lines completes, in order (``_read_batch``), with
        the cyclic garbage collector paused meanwhile: a batch makes thousands of
        records and tuples, none of them in a cycle, and each few hundred of them
        would otherwise set off a collection that walks them all again."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._read_batch(batch)
        finally:
            if collecting:
                gc.enable()

    def _read_batch(self, batch: list[bytes | str]) -> list[Sequence[Record]]:
        """The messages a batch of lines completes, in order: the position batch path
        reads what it recognises at once, and every other line goes to ``_read_line``."""
        matches, hot_messages = self._read_position_batch(batch)
        messages: list[Sequence[Record]] = []
        index = 0  # next entry of hot_messages
        start = 0  # first line of the current run of hot lines
        others = [i for i, match in enumerate(matches) if match is None]
        taken = -1  # the last line already read with the one before (a fragment pair)
        try:
            for end in [*others, len(batch)]:
                if end <= taken:
                    start = end + 1
                    continue
                if end > start:  # lines start..end-1 are all hot
                    run = hot_messages[index : index + end - start]
                    index += end - start
                    if None in run or self.assembler.pending or self._announced_time_s is not None:
                        self._decode_hot_run_slowly(batch[start:end], run, messages)
                    else:
                        messages.extend(run)  # type: ignore[arg-type]
                        self._count_hot(run)  # type: ignore[arg-type]
                    start = end  # the run is done: a defect below is this line's alone
                if end < len(batch):
                    records, lines = self._read_line(batch, end)
                    if records:
                        messages.append(records)
                    taken = end + lines - 1
                start = end + 1
        except Exception:  # a defect of ours: that line is counted, the rest one by one
            self.stats.defects += 1
            for line in batch[start + 1 :]:
                records = self.decode_line(line)
                if records:
                    messages.append(records)
        return messages

    def _read_line(self, lines: list[bytes | str], index: int) -> tuple[Sequence[Record], int]:
        """Line ``index`` (and the next, for a fragment pair) by the first line path
        that recognises it, else by the general path; the records and lines read.
        A line too long, not bytes, or after a ``$PGHP`` time (state only the general
        path keeps) goes straight to the general path."""
        line = lines[index]
        if type(line) is bytes and len(line) <= MAX_LINE_BYTES and self._announced_time_s is None:
            for read in self._line_paths:
                read_now = read(lines, index)
                if read_now is not None:
                    return read_now
        return self.decode_line(line), 1

    def _read_position_batch(
        self, batch: list[bytes | str]
    ) -> tuple[list[re.Match[bytes] | None], list[tuple[PositionReport] | None]]:
        """Path "position batch": the commonest line of all (``HOT_POSITION_LINE``, a
        one-sentence position report, bare or behind ``s:``/``c:``), every one of the
        batch decoded together in numpy (``batch_position``). Returns each line's match
        (None: not such a line) and, for the lines matched, the message or None where
        the checksum fails."""
        if not self._batch_positions:
            return [None] * len(batch), []
        match_hot = _match_hot_position
        matches = [
            match_hot(line) if type(line) is bytes and len(line) <= MAX_LINE_BYTES else None
            for line in batch
        ]
        hot = [match.groups() for match in matches if match is not None]
        if not hot:
            return matches, []
        if not is_armoured(b"".join([groups[4] for groups in hot])):  # type: ignore[misc]
            # A payload with a character outside the armour: that line is not a hot
            # line after all (the general path counts it as undecodable).
            matches = [
                None if match is None or not is_armoured(match[5]) else match for match in matches
            ]
            hot = [match.groups() for match in matches if match is not None]
            if not hot:
                return matches, []
        try:
            decoded, valid = self._decode_hot(hot)
        except Exception:  # a defect of ours: decode these lines one by one instead
            return [None] * len(batch), []
        return matches, [
            (record,) if ok else None for record, ok in zip(decoded, valid, strict=True)
        ]

    def _read_fragment_pair(
        self, lines: list[bytes | str], index: int
    ) -> tuple[Sequence[Record], int] | None:
        """Path "fragment pair": both halves of a two-sentence message on consecutive
        lines behind ``g:`` tag blocks (``TAGGED_FRAGMENT_LINE``), the way feeds send
        type 5, decoded at once without the assembler; None, having touched nothing,
        when the two lines are anything else or a fragment waits already."""
        if index + 1 >= len(lines) or self.assembler.pending:
            return None
        first, second = lines[index], lines[index + 1]
        if type(second) is not bytes or len(second) > MAX_LINE_BYTES:
            return None
        one = _match_tagged_fragment(first)  # type: ignore[arg-type]  # bytes: _read_line saw
        if one is None:
            return None
        two = _match_tagged_fragment(second)
        if two is None:
            return None
        (
            group,
            station_one,
            time_one,
            body_one,
            formatter,
            count,
            number,
            payload_one,
            _,
            check_one,
        ) = one.groups()
        (
            group_two,
            station_two,
            time_two,
            body_two,
            formatter_two,
            count_two,
            number_two,
            payload_two,
            fill,
            check_two,
        ) = two.groups()
        if (
            (count, number, count_two, number_two) != (b"2", b"1", b"2", b"2")
            or group != group_two
            or formatter != formatter_two
            or nmea_checksum(body_one) != int(check_one, 16)
            or nmea_checksum(body_two) != int(check_two, 16)
        ):
            return None
        time_first = matched_time_s(time_one)
        time_last = matched_time_s(time_two)
        if (
            time_first is not None
            and time_last is not None
            and abs(time_last - time_first) > self.assembler.max_gap_s
        ):
            return None  # too far apart to be one message: let the assembler say so
        stats = self.stats
        stats.lines += 2
        stats.sentences += 2
        stats.sentences_used += 2
        stats.complete_messages += 1
        try:
            station = self._station(station_one if station_one is not None else station_two)
            records = self._decode_payload(
                payload_one + payload_two,
                int(fill),
                time_first if time_last is None else time_last,
                station,
                formatter == b"O",
                None,
            )
        except Exception:  # a defect of ours, as ``decode_line`` counts it for the second line
            stats.defects += 1
            records = _NOTHING
        return records, 2

    def _decode_hot_run_slowly(
        self,
        lines: list[bytes | str],
        run: list[tuple[PositionReport] | None],
        messages: list[Sequence[Record]],
    ) -> None:
        """Hot lines one by one: some fail their checksum, or a fragment or a ``$PGHP``
        time waits (state the batch decoder does not handle)."""
        stats = self.stats
        for line, message in zip(lines, run, strict=True):
            if self.assembler.pending or self._announced_time_s is not None:
                records = self.decode_line(line)
                if records:
                    messages.append(records)
            elif message is None:
                stats.lines += 1
                stats.bad_checksum += 1
            else:
                self._count_hot([message])
                messages.append(message)

    def _count_hot(self, messages: list[tuple[PositionReport]]) -> None:
        """Credit decoded hot lines (one-sentence position reports) to every counter."""
        stats = self.stats
        lines = len(messages)
        stats.lines += lines
        stats.sentences += lines
        stats.sentences_used += lines
        stats.complete_messages += lines
        stats.messages += lines
        by_type = stats.by_type
        for (record,) in messages:
            by_type[record.msg_type] += 1
            if record.own_ship:
                stats.own_ship += 1

    def _decode_hot(
        self, hot: list[tuple[bytes | None, ...]]
    ) -> tuple[list[PositionReport], list[bool]]:
        """Decode the hot lines of a batch: their records and whether each checks."""
        station_texts, time_texts, bodies, formatters, payloads, expected = zip(*hot, strict=True)
        stations = list(map(self._station_names.get, station_texts))
        if None in stations:  # a name not seen before, or lines without one
            stations = [
                name or self._station(text)
                for name, text in zip(stations, station_texts, strict=True)
            ]
        records = decode_positions(
            payloads,
            epoch_times(time_texts),
            self.source,
            stations,
            list(map(b"O".__eq__, formatters)),
        )
        valid = list(map(int.__eq__, checksums(bodies), map(_HEX_VALUE.__getitem__, expected)))
        return records, valid

    def decode_lines(self, lines: Iterable[bytes | str]) -> Iterator[Record]:
        """Decode a whole input: every record, then fragments still waiting are orphans."""
        for records in self.iter_messages(lines):
            yield from records
        self.finish()

    def finish(self) -> None:
        """End of input: fragments still waiting are counted as orphans."""
        self.assembler.flush()
        self.stats.orphan_fragments = self.assembler.orphans

    def _read_tagged_fragment(
        self, lines: list[bytes | str], index: int
    ) -> tuple[Sequence[Record], int] | None:
        """Path "tagged fragment": one fragment of a multipart message behind a tag block
        with a ``g:`` group (``TAGGED_FRAGMENT_LINE``, the way feeds send multipart
        messages), in one match, on to the assembler; None for any other line."""
        line: bytes = lines[index]  # type: ignore[assignment]  # bytes: _read_line saw
        fragment = _match_tagged_fragment(line)
        if fragment is None:
            return None
        try:
            (
                group,
                station_text,
                time_text,
                body,
                formatter,
                count,
                number,
                payload,
                fill,
                expected,
            ) = fragment.groups()
            if int(number) > int(count):
                return None  # malformed: the general path says so
            stats = self.stats
            stats.lines += 1
            if nmea_checksum(body) != int(expected, 16):
                stats.bad_checksum += 1
                return _NOTHING, 1
            stats.sentences += 1
            own_ship = formatter == b"O"
            return self._accept_fragment(
                ("g", group.decode("ascii", "replace"), own_ship),
                int(number),
                int(count),
                payload,
                int(fill),
                matched_time_s(time_text),
                self._station(station_text),
                own_ship,
                line,
            ), 1
        except Exception:  # a defect of ours, not of the input: count it, keep going
            self.stats.defects += 1
            return _NOTHING, 1

    def _read_single_sentence(
        self, lines: list[bytes | str], index: int
    ) -> tuple[Sequence[Record], int] | None:
        """Path "single sentence": any other one-sentence message, bare or behind an
        ``s:``/``c:`` tag block (``SINGLE_SENTENCE_LINE``), in one match; None for any
        other line."""
        line: bytes = lines[index]  # type: ignore[assignment]  # bytes: _read_line saw
        single = _match_single_sentence(line)
        if single is None:
            return None
        try:
            station_text, time_text, body, formatter, payload, fill, extra, expected = (
                single.groups()
            )
            stats = self.stats
            stats.lines += 1
            if nmea_checksum(body) != int(expected, 16):
                stats.bad_checksum += 1
                return _NOTHING, 1
            stats.sentences += 1
            if extra is not None:
                stats.extra_fields += 1
            time_s = matched_time_s(time_text)
            station = self._station(station_text)
            records = self._complete_single(
                payload, int(fill), time_s, station, formatter == b"O", line
            )
        except Exception:  # a defect of ours, not of the input: count it, keep going
            self.stats.defects += 1
            return _NOTHING, 1
        return records, 1

    def _decode_line(self, line: bytes | str) -> Sequence[Record]:
        stats = self.stats
        stats.lines += 1
        if type(line) is not bytes:
            line = str(line).encode("ascii", "replace")
        if len(line) > MAX_LINE_BYTES:
            stats.malformed += 1
            return _NOTHING
        return self._decode_general_line(line)

    def _decode_general_line(
        self, line: bytes, prefix_time_s: float | None = None
    ) -> Sequence[Record]:
        """Every framing: prefixes, any tag block, trailing fields, fragments, ``$PGHP``.

        ``prefix_time_s`` is the time a prefix gave before a tag block; the tag
        block's own ``c:`` wins over it.
        """
        stats = self.stats
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
            time_s, station, group = tag
            if time_s is None:
                time_s = prefix_time_s
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
            if first == _BACKSLASH:  # a prefixed tag block
                return self._decode_general_line(line, prefix_time_s=time_s)
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
        # A $PGHP time belongs to the very next sentence, even a broken one.
        announced_time_s, self._announced_time_s = self._announced_time_s, None

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
        if len(fields) < 7 or len(header) != 5:
            stats.malformed += 1
            return _NOTHING
        if len(line) > star + 3:
            trailing_time_s, trailing_station = parse_trailing_fields(line[star + 3 :])
            if time_s is None:
                time_s = trailing_time_s
            if station is None:
                station = trailing_station
        if time_s is None:
            time_s = announced_time_s
        payload = fields[5]
        fill_bits = _FILL_BITS.get(fields[6])
        count = _FRAGMENT_NUMBERS.get(fields[1])
        number = _FRAGMENT_NUMBERS.get(fields[2])
        if fill_bits is None or count is None or number is None or number > count:
            stats.malformed += 1
            return _NOTHING
        stats.sentences += 1
        if len(fields) > 7:
            stats.extra_fields += 1

        if count == 1:
            return self._complete_single(payload, fill_bits, time_s, station, own_ship, original)

        # The formatter is part of the key: a VDO fragment and a VDM fragment are
        # never one message (two streams numbering their groups alike), and joined
        # they would send a vessel's type 5 to own-ship handling or the reverse.
        if group is not None:
            key: tuple = ("g", group[2], own_ship)
        else:
            key = (header[:2], fields[4], fields[3], own_ship)
        return self._accept_fragment(
            key, number, count, payload, fill_bits, time_s, station, own_ship, original
        )

    def _accept_fragment(
        self,
        key: tuple,
        number: int,
        count: int,
        payload: bytes,
        fill_bits: int,
        time_s: float | None,
        station: str | None,
        own_ship: bool,
        line: bytes,
    ) -> Sequence[Record]:
        """One fragment of a multipart message (already counted as a sentence)."""
        stats = self.stats
        fragment = Fragment(number, count, payload, fill_bits, time_s, station, line)
        assembled = self.assembler.add(key, fragment, stats.sentences)
        stats.orphan_fragments = self.assembler.orphans
        if assembled is None:
            return _NOTHING
        stats.sentences_used += len(assembled)
        stats.complete_messages += 1
        # The message takes the time of its last fragment that has one, and the
        # station of the first that names one.
        last_time_s = first_station = None
        payloads = []
        for part in assembled:
            payloads.append(part.payload)
            if part.time_s is not None:
                last_time_s = part.time_s
            if first_station is None:
                first_station = part.station
        raw = (
            tuple(part.raw.strip().decode("ascii", "replace") for part in assembled)
            if self.keep_raw
            else None
        )
        return self._decode_payload(
            b"".join(payloads), assembled[-1].fill_bits, last_time_s, first_station, own_ship, raw
        )

    def _complete_single(
        self,
        payload: bytes,
        fill_bits: int,
        time_s: float | None,
        station: str | None,
        own_ship: bool,
        line: bytes,
    ) -> Sequence[Record]:
        """A one-sentence message (already counted as a sentence): decode it."""
        stats = self.stats
        if self.assembler.pending:
            self.assembler.expire(stats.sentences)
            stats.orphan_fragments = self.assembler.orphans
        stats.complete_messages += 1
        stats.sentences_used += 1
        raw = (line.strip().decode("ascii", "replace"),) if self.keep_raw else None
        return self._decode_payload(payload, fill_bits, time_s, station, own_ship, raw)

    def _station(self, name: bytes | None) -> str | None:
        """A station name as text, remembered: feeds repeat a handful of names."""
        if name is None:
            return None
        text = self._station_names.get(name)
        if text is None:
            if len(self._station_names) > 10_000:
                self._station_names.clear()
            text = self._station_names[name] = name.decode("ascii", "replace")
        return text

    def _decode_payload(
        self,
        payload: bytes,
        fill_bits: int,
        time_s: float | None,
        station: str | None,
        own_ship: bool,
        raw: tuple[str, ...] | None,
    ) -> Sequence[Record]:
        """A complete message's payload to records, by the fastest decoder that fits."""
        stats = self.stats
        if not _is_armoured(payload):
            stats.undecodable += 1  # empty, or characters outside the six-bit armour
            return _NOTHING
        if len(payload) == FAST_PAYLOAD_LENGTH and fill_bits == 0 and payload[0] in FAST_LEADS:
            position = decode_position(
                payload_bits(payload), time_s, self.source, station, own_ship, raw
            )
            stats.messages += 1
            stats.by_type[position.msg_type] += 1
            if own_ship:
                stats.own_ship += 1
            return (position,)
        fast_decoder = _FAST_DECODERS.get(payload[:1])
        if fast_decoder is not None:
            record = fast_decoder(payload, fill_bits, time_s, self.source, station, own_ship, raw)
            if record is not None:
                stats.messages += 1
                stats.by_type[record.msg_type] += 1
                if own_ship:
                    stats.own_ship += 1
                return (record,)
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


# How ``iter_messages`` reads a line: the paths, fastest first. The position batch
# takes the commonest lines of a batch together; every other line is offered to the
# line paths in this order, each recognising in one regular-expression match the
# lines it reads (returning None, having touched nothing, for any other); the
# general path (``decode_line``) reads the rest. The general path reads every
# framing, and each other path must give exactly what it gives for the lines it
# takes: the same records, the same counters (tests/decoders/test_stream_paths.py
# runs every path on the same lines).
POSITION_BATCH = "position batch"
"""``StreamDecoder._read_position_batch``: many lines at once, in numpy."""
LinePath = Callable[[StreamDecoder, list[bytes | str], int], tuple[Sequence[Record], int] | None]
LINE_PATHS: dict[str, LinePath] = {
    "fragment pair": StreamDecoder._read_fragment_pair,
    "tagged fragment": StreamDecoder._read_tagged_fragment,
    "single sentence": StreamDecoder._read_single_sentence,
}
GENERAL = "general"
"""``StreamDecoder.decode_line``: every framing, one line at a time."""
PATHS = (POSITION_BATCH, *LINE_PATHS, GENERAL)


def _sentence_start(line: bytes) -> int:
    """Index where a sentence or tag block starts after a time prefix, or -1."""
    positions = [i for i in (line.find(b"!"), line.find(b"\\"), line.find(b"$")) if i >= 0]
    return min(positions) if positions else -1


_STRICT_KINDS = {
    "bad_checksum": "bad_checksum",
    "malformed": "malformed",
    "non_ais": "non_ais",
    "orphan_fragments": "incomplete",
    "undecodable": "undecodable",
    "unsupported_type": "unsupported_type",
}


def decode_sentences(*sentences: str | bytes, source: str = "-") -> list[Record]:
    """Decode exactly one message from its sentences (all fragments, in order).

    The strict counterpart of the stream: raises ``DecodeError`` with kind
    ``bad_checksum``, ``malformed``, ``non_ais``, ``incomplete``,
    ``undecodable`` or ``unsupported_type`` instead of counting.
    """
    decoder = StreamDecoder(source=source)
    stats = decoder.stats
    records: Sequence[Record] = ()
    for sentence in sentences:
        text = sentence if isinstance(sentence, str) else sentence.decode("ascii", "replace")
        before = {counter: getattr(stats, counter) for counter in _STRICT_KINDS}
        try:
            records = decoder._decode_line(sentence)
        except Exception as error:  # a defect of ours, still a typed error to the caller
            raise DecodeError("defect", f"could not decode {text.strip()}: {error}") from error
        for counter, kind in _STRICT_KINDS.items():
            if getattr(stats, counter) > before[counter]:
                raise DecodeError(kind, f"{kind.replace('_', ' ')}: {text.strip()}")
    if not records:
        raise DecodeError("incomplete", f"{len(sentences)} sentence(s) do not make a whole message")
    return list(records)


def open_log(path: str | Path) -> BinaryIO:
    """Open a log for binary reading, gunzipping when it is gzip (by content).

    The file is opened once and its first bytes peeked at, so pipes
    (``-``, ``/dev/stdin``, ``<(...)``) lose nothing.
    """
    handle: BinaryIO = sys.stdin.buffer if str(path) == "-" else open(path, "rb")  # noqa: SIM115
    try:
        magic = handle.peek(2)[:2]  # type: ignore[attr-defined]
    except AttributeError:
        return handle
    if magic == _GZIP_MAGIC:
        return _GzipLog(handle)  # type: ignore[return-value]
    return handle


def bytes_read(handle: BinaryIO) -> int | None:
    """How far into the file on disk ``handle`` (from ``open_log``) has read, for
    progress; compressed bytes for gzip. None for pipes."""
    raw = handle._compressed if isinstance(handle, _GzipLog) else handle
    try:
        return raw.tell()
    except (OSError, ValueError):
        return None


class _GzipLog(gzip.GzipFile):
    """A gzip stream that also closes the file under it."""

    def __init__(self, compressed: BinaryIO) -> None:
        super().__init__(fileobj=compressed, mode="rb")
        self._compressed = compressed

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._compressed.close()

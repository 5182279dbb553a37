"""Cutting a byte stream into lines, whatever arrives on the wire.

Receivers send CRLF, LF, binary junk, NUL bytes and, when a cable is pulled,
half a line. Complete printable lines go on; everything else is counted, and
memory stays bounded however long a line without a newline grows.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LINE_BYTES = 4096
"""Longer than any NMEA sentence with a tag block and trailing fields."""
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t"


@dataclass(slots=True)
class LineCounts:
    """What a splitter has seen, for the source's counters."""

    lines: int = 0
    bytes: int = 0
    malformed: int = 0
    """Lines with bytes that no NMEA sentence holds (control codes, 8-bit bytes),
    and lines too long to be NMEA."""
    partial_discarded: int = 0
    """Incomplete last lines thrown away when the connection dropped."""


class LineSplitter:
    """Feed chunks of bytes, get complete lines (without their line ending)."""

    def __init__(self, max_line_bytes: int = MAX_LINE_BYTES) -> None:
        self.max_line_bytes = max_line_bytes
        self.counts = LineCounts()
        self._pending = b""
        self._overlong = False  # the current line passed the limit: drop up to its end

    def feed(self, chunk: bytes) -> list[bytes]:
        """The complete, printable lines ``chunk`` finishes."""
        counts = self.counts
        counts.bytes += len(chunk)
        data = self._pending + chunk
        *complete, rest = data.split(b"\n")
        lines = []
        for line in complete:
            if self._overlong:
                self._overlong = False
                counts.malformed += 1
                continue
            line = line.rstrip(b"\r")
            if not line:
                continue
            if len(line) > self.max_line_bytes or line.translate(None, _PRINTABLE):
                counts.malformed += 1
                continue
            counts.lines += 1
            lines.append(line)
        if len(rest) > self.max_line_bytes:
            self._overlong = True
            rest = b""
        self._pending = rest if not self._overlong else b""
        return lines

    def reset(self) -> None:
        """The stream broke: an incomplete last line is discarded and counted."""
        if self._pending or self._overlong:
            self.counts.partial_discarded += 1
        self._pending = b""
        self._overlong = False

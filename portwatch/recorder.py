"""Recording a feed exactly as received, each line stamped with when and where:
what ``portwatch record`` does.

Every raw line is written unchanged behind an IEC 61162-450 tag block giving
the receive time (``c:``, in milliseconds) and the source (``s:``); a line
that has a tag block already keeps its fields and gains what it lacks. The
file is flushed at least every second, so a crash loses at most that. An
existing plain log is appended to (a restarted recorder carries on); a missing
folder is refused, never made, and so is a log that is one of the sources.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from portwatch.command_files import (
    refuse_missing_folder,
    refuse_writing_over_inputs,
    source_inputs,
)
from portwatch.decoders.framing import nmea_checksum
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.urls import parse_source_url

FLUSH_EVERY_S = 1.0
STATUS_EVERY_S = 10.0
ROTATIONS = {"hourly": "%Y%m%d-%H", "daily": "%Y%m%d"}


def tagged_line(item: ReceivedLine) -> bytes:
    """``item``'s line behind a tag block with its receive time and source."""
    line = item.line
    fields: list[bytes] = []
    if line.startswith(b"\\"):
        end = line.find(b"\\", 1)
        if end > 0:
            block = line[1:end]
            star = block.rfind(b"*")
            fields = [
                field for field in (block[:star] if star >= 0 else block).split(b",") if field
            ]
            line = line[end + 1 :]
    keys = {field.split(b":", 1)[0] for field in fields}
    if b"s" not in keys:
        fields.insert(0, b"s:" + _tag_safe(item.source))
    if b"c" not in keys:
        fields.append(b"c:%d" % round(item.received_at_s * 1000))
    block = b",".join(fields)
    return b"\\%s*%02X\\%s" % (block, nmea_checksum(block), line)


def _tag_safe(name: str) -> bytes:
    """A source name as a tag-block value (no separators of the tag block in it)."""
    return name.encode("ascii", "replace").translate(None, b",*\\")


class LogWriter:
    """Appends tagged lines to a log, optionally gzip, optionally rotated by receive time.

    Crash safety: every flush (at least once a second) makes what was written
    whole on disk. A gzip log gets a complete gzip member per flush, so a
    killed recorder leaves a file that reads up to its last second; and a
    restart never appends to an existing gzip log (its last member may be cut
    short) but starts ``NAME-2.nmea.gz`` beside it. A plain log that ends in a
    cut line gets a newline first, so no line is glued to the next.
    """

    def __init__(self, path: Path, compress: bool = False, rotate: str | None = None) -> None:
        if rotate is not None and rotate not in ROTATIONS:
            raise ValueError(f"rotate must be one of {', '.join(ROTATIONS)}")
        self.path = path
        self.compress = compress
        self.rotate = rotate
        self.lines = 0
        self.paths: list[Path] = []
        """Every file written to, in order."""
        self._raw: BinaryIO | None = None
        self._member: gzip.GzipFile | None = None
        self._unflushed = False
        self._file_key: str | None = None
        self._last_flush_s = time.monotonic()

    def write(self, item: ReceivedLine) -> None:
        handle = self._file_for(item.received_at_s)
        handle.write(tagged_line(item) + b"\n")
        self.lines += 1
        self._unflushed = True
        if time.monotonic() - self._last_flush_s >= FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        """Make everything written so far whole on disk."""
        if self._raw is not None and self._unflushed:
            if self._member is not None:
                self._member.close()  # ends the member; the file stays open
                self._member = None  # the next write starts the next one
            self._raw.flush()
            self._unflushed = False
        self._last_flush_s = time.monotonic()

    def close(self) -> None:
        if self._raw is None:
            return
        try:
            if self._member is not None:
                self._member.close()
            self._raw.close()
        finally:
            self._member = None
            self._raw = None

    def current_path(self, received_at_s: float) -> Path:
        """The file name a line received at ``received_at_s`` belongs under."""
        path = self.path
        if self.rotate is not None:
            stamp = time.strftime(ROTATIONS[self.rotate], time.gmtime(received_at_s))
            path = path.with_name(f"{_stem(path)}-{stamp}{''.join(path.suffixes)}")
        if self.compress and path.suffix != ".gz":
            path = path.with_name(path.name + ".gz")
        return path

    def _file_for(self, received_at_s: float) -> BinaryIO | gzip.GzipFile:
        path = self.current_path(received_at_s)
        key = str(path)
        if self._raw is not None and key == self._file_key:
            if self.compress and self._member is None:
                self._member = gzip.GzipFile(fileobj=self._raw, mode="wb")
        else:
            self.close()
            self._file_key = key
            if self.compress:
                path = _unused(path)
                self._raw = open(path, "wb")  # noqa: SIM115 -- closed in close()
                self._member = gzip.GzipFile(fileobj=self._raw, mode="wb")
            else:
                self._raw = open(path, "ab")  # noqa: SIM115 -- closed in close()
                if self._raw.tell() and not _ends_with_newline(path):
                    self._raw.write(b"\n")
            self.paths.append(path)
        return self._member if self._member is not None else self._raw  # type: ignore[return-value]


def _stem(path: Path) -> str:
    suffixes = "".join(path.suffixes)
    return path.name[: len(path.name) - len(suffixes)] if suffixes else path.name


def _unused(path: Path) -> Path:
    """``path``, or ``NAME-2.ext``, ``NAME-3.ext``… when it exists already."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{_stem(path)}-{number}{''.join(path.suffixes)}")
    return candidate


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as existing:
        existing.seek(-1, 2)
        return existing.read(1) == b"\n"


class Recording:
    """Sources written into one log until stopped.

    The constructor opens (and so checks) everything before a byte is written: a
    URL it cannot use raises ``SourceUrlError``, a log that is one of the sources
    or in a missing folder ``WriteRefusedError``.
    """

    def __init__(
        self,
        urls: Sequence[str],
        output: str | Path,
        compress: bool = False,
        rotate: str | None = None,
    ) -> None:
        self.queue = LineQueue()
        self.writer = LogWriter(Path(output), compress=compress, rotate=rotate)
        parsed = [parse_source_url(url) for url in urls]
        refuse_missing_folder(output)
        # The first file's name (with .gz, with the date when rotated): appending a
        # log to itself would read its own lines for ever.
        refuse_writing_over_inputs([self.writer.current_path(time.time())], source_inputs(parsed))
        self.sources = [open_source(url, self.queue) for url in parsed]

    def run(
        self,
        stop: threading.Event,
        on_status: Callable[[str], None] | None = None,
        status_every_s: float = STATUS_EVERY_S,
    ) -> None:
        """Record until ``stop`` is set or every source has ended by itself (as
        standard input and files do), calling ``on_status`` with ``status_text()``
        every ``status_every_s``; then close the log cleanly. Raises ``OSError``
        when the log cannot be written (what was flushed before stays whole)."""
        for source in self.sources:
            source.start()
        next_status_s = time.monotonic() + status_every_s
        try:
            while not stop.is_set() and not all(source.done for source in self.sources):
                for item in self.queue.get_batch(timeout_s=0.25):
                    self.writer.write(item)
                self.writer.flush()
                if on_status is not None and time.monotonic() >= next_status_s:
                    next_status_s += status_every_s
                    on_status(self.status_text())
            for source in self.sources:
                source.stop()
            for item in self.queue.get_batch(max_lines=len(self.queue) or 1, timeout_s=0):
                self.writer.write(item)  # what arrived before the sources stopped
            self.writer.close()
        finally:
            for source in self.sources:
                source.stop()
            with contextlib.suppress(OSError):
                self.writer.close()

    def status_text(self) -> str:
        """``recorded N lines — SOURCE: state, N lines, N dropped; …``."""
        states = "; ".join(
            f"{s.name}: {s.status().state}, {s.status().lines} lines, "
            f"{self.queue.dropped[s.name]} dropped"
            for s in self.sources
        )
        return f"recorded {self.writer.lines} lines — {states}"

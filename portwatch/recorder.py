"""Recording a feed exactly as received, each line stamped with when and where.

Every raw line is written unchanged behind an IEC 61162-450 tag block giving
the receive time (``c:``, in milliseconds) and the source (``s:``); a line
that has a tag block already keeps its fields and gains what it lacks. The
file is flushed at least every second, so a crash loses at most that.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from typing import BinaryIO

from portwatch.decoders.framing import nmea_checksum
from portwatch.sources.queue import ReceivedLine

FLUSH_EVERY_S = 1.0
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
    """Appends tagged lines to a log, optionally gzip, optionally rotated by receive time."""

    def __init__(self, path: Path, compress: bool = False, rotate: str | None = None) -> None:
        if rotate is not None and rotate not in ROTATIONS:
            raise ValueError(f"rotate must be one of {', '.join(ROTATIONS)}")
        self.path = path
        self.compress = compress
        self.rotate = rotate
        self.lines = 0
        self._file: BinaryIO | None = None
        self._file_key: str | None = None
        self._last_flush_s = time.monotonic()

    def write(self, item: ReceivedLine) -> None:
        handle = self._file_for(item.received_at_s)
        handle.write(tagged_line(item) + b"\n")
        self.lines += 1
        if time.monotonic() - self._last_flush_s >= FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()
        self._last_flush_s = time.monotonic()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def current_path(self, received_at_s: float) -> Path:
        """The file a line received at ``received_at_s`` goes to."""
        path = self.path
        if self.rotate is not None:
            stamp = time.strftime(ROTATIONS[self.rotate], time.gmtime(received_at_s))
            suffixes = "".join(path.suffixes)
            stem = path.name[: len(path.name) - len(suffixes)] if suffixes else path.name
            path = path.with_name(f"{stem}-{stamp}{suffixes}")
        if self.compress and path.suffix != ".gz":
            path = path.with_name(path.name + ".gz")
        return path

    def _file_for(self, received_at_s: float) -> BinaryIO:
        path = self.current_path(received_at_s)
        key = str(path)
        if self._file is None or key != self._file_key:
            self.close()
            path.parent.mkdir(parents=True, exist_ok=True)
            opened = gzip.open(path, "ab") if self.compress else open(path, "ab")  # noqa: SIM115
            self._file = opened  # type: ignore[assignment]
            self._file_key = key
        assert self._file is not None
        return self._file

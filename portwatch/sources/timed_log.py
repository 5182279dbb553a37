"""A recorded log's lines with the data time of each, as a replay paces them.

A line's time is its own (tag block, time prefix, trailing epoch), else the time
of the Gatehouse ``$PGHP`` line before it, else a nominal step after the line
before. Each line also says where it starts in the (unzipped) log and whether
reading can start again there: a line whose time owes nothing to the lines
before it. A replay that seeks reads again from such a place, and the lines
come with the same times as on the first pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from portwatch.decoders import open_log
from portwatch.decoders.framing import line_time_s, parse_gatehouse_time


class TimedLine(NamedTuple):
    time_s: float
    line: bytes
    """Without its line ending."""
    offset: int
    """Where the line starts in the log (after gunzipping)."""
    timed: bool
    """The time is the line's own or a ``$PGHP`` line's, not a nominal step."""
    restart: bool
    """Reading from ``offset`` afresh gives this line, and the ones after it, the
    same times."""


def timed_log_lines(path: str, nominal_step_s: float, offset: int = 0) -> Iterator[TimedLine]:
    """Every non-blank line of the log at ``path`` from ``offset`` on (a place
    where an earlier pass found ``restart``), with its data time."""
    last_s: float | None = None
    announced_s: float | None = None  # a $PGHP line's time, for the line after it
    with open_log(path) as log:
        if offset:
            log.seek(offset)
        for raw in log:
            start = offset
            offset += len(raw)
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            time_s = line_time_s(line)
            restart = time_s is not None and announced_s is None
            if line.startswith(b"$PGHP"):
                time_s = announced_s = parse_gatehouse_time(line)
                restart = announced_s is not None
            elif time_s is None and announced_s is not None:
                time_s = announced_s
                announced_s = None
            timed = time_s is not None
            if time_s is None:
                time_s = (last_s or 0.0) + nominal_step_s
            last_s = time_s
            yield TimedLine(time_s, line, start, timed, restart)

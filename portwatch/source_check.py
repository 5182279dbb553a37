"""What a new receiver sends, in a few seconds: what ``portwatch sources check`` does.

The first thing an operator does with a new receiver: connect, watch for a
moment, see the line rate, the share of AIS sentences and the talkers, leave.
A source that failed, or sent no AIS at all in that time, is not one to use as
it is.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from portwatch.decoders import DecodeStats, StreamDecoder
from portwatch.sources.base import SourceStatus
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import parse_source_url


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What a source sent while it was watched."""

    url: str
    seconds: float
    state: str
    """The source's state while it was watched (not "stopped")."""
    status: SourceStatus
    """Its counters once stopped."""
    dropped: int
    stats: DecodeStats
    talkers: Counter[str]
    """AIS sentences (VDM, VDO) by talker (``AI``, ``AB``, …)."""

    @property
    def usable(self) -> bool:
        """It sent AIS and did not fail."""
        return bool(self.stats.sentences) and not self.state.startswith("failed")


class SourceCheck:
    """A source opened to be watched; ``SourceUrlError`` for a URL it cannot use."""

    def __init__(self, text: str) -> None:
        self.url = parse_source_url(text)
        self._queue = LineQueue()
        self._source = open_source(self.url, self._queue)

    def watch(self, seconds: float) -> SourceReport:
        """Connect, read for ``seconds``, stop; what arrived."""
        decoder = StreamDecoder(source=self.url.text)
        talkers: Counter[str] = Counter()
        source = self._source
        source.start()
        deadline = time.monotonic() + seconds
        try:
            while (left := deadline - time.monotonic()) > 0:
                for item in self._queue.get_batch(timeout_s=min(left, 0.25)):
                    decoder.decode_line(item.line)
                    start = item.line.find(b"!")
                    if start >= 0 and item.line[start + 3 : start + 6] in (b"VDM", b"VDO"):
                        talkers[item.line[start + 1 : start + 3].decode("ascii", "replace")] += 1
        finally:
            state = source.status().state  # as it was while watching, not "stopped"
            source.stop()
        decoder.finish()  # fragments still waiting for the rest of their message are orphans
        return SourceReport(
            url=self.url.text,
            seconds=seconds,
            state=state,
            status=source.status(),
            dropped=self._queue.dropped[self.url.text],
            stats=decoder.stats,
            talkers=talkers,
        )

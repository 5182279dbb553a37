"""Replaying the history database over a time range, as a source.

It is a log replay whose lines come from history (``history_lines``) instead of
a file: the same clock, pause, speed and seek, and the same engine behind it.
A seek reads again from the stretch before the new time (never before the range
asked for), with each vessel's static data as it stood at its start. History is
read a day at a time from the next stored fix: a history of years with months of
nothing between (a test import long ago, a receiver off for a season) is not
walked ten empty minutes at a time. Each day starts with the static data of the
vessels it hears, as it stood then.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from portwatch.decoders.jsonl import iso_utc
from portwatch.history.replay_lines import history_lines
from portwatch.history.store import SQLITE_MAGIC, HistoryError, HistoryStore
from portwatch.replay_clock import ReplayClock
from portwatch.sources.base import SourceStatus
from portwatch.sources.queue import LineQueue
from portwatch.sources.replay import FileReplaySource, Lines
from portwatch.sources.urls import SourceUrl, SourceUrlError, history_url

if TYPE_CHECKING:
    from portwatch.vessel import VesselState


def replay_url(path: str, since_s: float | None = None, until_s: float | None = None) -> str:
    """The source URL replaying ``path``: ``history://`` for a history database
    (from ``since_s`` to ``until_s``), else ``file://`` for a log. Raises
    ``OSError`` when the file cannot be read."""
    with open(path, "rb") as file:
        is_database = file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    if is_database:
        return history_url(path, since_s, until_s)
    if since_s is not None or until_s is not None:
        raise SourceUrlError(f"{path}: --from and --to are for a history database, not a log")
    return "file://" + quote(str(Path(path).resolve()))


CHUNK_S = 86_400.0
"""History is replayed a day at a time from the next stored fix: a gap between
two days with data is jumped over, not read ten empty minutes at a time."""


def data_chunks(
    store: HistoryStore, since_s: float, until_s: float
) -> Iterator[tuple[float, float]]:
    """Consecutive spans of ``since_s`` to ``until_s`` (inclusive), each starting at
    a stored fix and at most ``CHUNK_S`` long; together they hold every stored fix
    of the range, and none of them starts in a stretch without data."""
    after_s = math.nextafter(since_s, -math.inf)
    while (first_s := store.next_fix_time_s(after_s)) is not None and first_s <= until_s:
        after_s = min(until_s, first_s + CHUNK_S)
        yield first_s, after_s


class HistoryReplaySource(FileReplaySource):
    """Plays ``history:///path/history.sqlite?from=…&to=…`` into a queue."""

    def __init__(self, url: SourceUrl, queue: LineQueue, clock: ReplayClock) -> None:
        super().__init__(url, queue, clock)
        # Opened here, so that a missing or foreign file is refused when the source
        # is added, with the reason; read later in the replay's own thread.
        try:
            with HistoryStore.open(url.path or "", create=False, readonly=True) as store:
                span = store.time_span()
        except HistoryError as error:
            raise SourceUrlError(f"{url.text!r}: {error}") from error
        first, last = span if span is not None else (0.0, 0.0)
        self._range_s = (
            first if url.since_s is None else max(first, url.since_s),
            last if url.until_s is None else min(last, url.until_s),
        )
        self.database_path = url.path or ""

    def _make_index(self) -> None:
        return None  # history is read by time: nothing to find first

    @property
    def span_s(self) -> tuple[float, float]:
        """The data times the replay covers: the range asked for, within history."""
        return self._range_s

    def _lines_from(self, start_s: float | None) -> tuple[list[VesselState], Lines]:
        # Each vessel's static data as it stood at the start comes before its first
        # report (``history_lines``): nothing else is needed from before. A seek
        # never reaches back before the range asked for, as playing it would not.
        since_s, until_s = self._range_s
        return [], self._read_range(since_s if start_s is None else max(since_s, start_s), until_s)

    def _read_range(self, since_s: float, until_s: float) -> Lines:
        with HistoryStore.open(self.database_path, create=False, readonly=True) as store:
            for chunk_since_s, chunk_until_s in data_chunks(store, since_s, until_s):
                yield from history_lines(store, chunk_since_s, chunk_until_s)

    def status(self) -> SourceStatus:
        """As fast as it can (``portwatch run``), the state says how far through the
        range the replay is: a history of years takes a while."""
        status = super().status()
        done_s = self._last_time_s
        if self.clock.speed is not None or done_s is None or status.state != "playing":
            return status
        first_s, last_s = self.span_s
        share = (done_s - first_s) / (last_s - first_s) if last_s > first_s else 1.0
        share = min(1.0, max(0.0, share))
        return replace(
            status, state=f"playing, {share:.0%} of {iso_utc(first_s)} to {iso_utc(last_s)}"
        )

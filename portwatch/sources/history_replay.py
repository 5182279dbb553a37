"""Replaying the history database over a time range, as a source.

It is a log replay whose lines come from history (``history_lines``) instead of
a file: the same clock, pause, speed and seek, and the same engine behind it.
A seek starts the reading again at the new time, with each vessel's static data
as it stood then.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from portwatch.history.replay_lines import history_lines
from portwatch.history.store import SQLITE_MAGIC, HistoryError, HistoryStore
from portwatch.replay_clock import ReplayClock
from portwatch.sources.queue import LineQueue
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.urls import SourceUrl, SourceUrlError, history_url


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
        self.span_s = (
            first if url.since_s is None else max(first, url.since_s),
            last if url.until_s is None else min(last, url.until_s),
        )
        """The data times the replay covers."""
        self.database_path = url.path or ""

    def _timed_lines(self, seek_to: float | None) -> Iterator[tuple[float, bytes]]:
        since_s, until_s = self.span_s
        start_s = since_s if seek_to is None else max(since_s, seek_to)
        if not self._clock_started:
            self._clock_started = True
            self.clock.start(start_s)
        with HistoryStore.open(self.database_path, create=False, readonly=True) as store:
            for time_s, line in history_lines(store, start_s, until_s):
                yield time_s, line
                if self._stopping.is_set() or self._seek_to is not None:
                    return

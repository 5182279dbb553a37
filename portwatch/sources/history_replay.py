"""Replaying the history database over a time range, as a source.

It is a log replay whose lines come from history (``history_lines``) instead of
a file: the same clock, pause, speed and seek, and the same engine behind it.
A seek reads again from the stretch before the new time (never before the range
asked for), with each vessel's static data as it stood at its start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from portwatch.history.replay_lines import history_lines
from portwatch.history.store import SQLITE_MAGIC, HistoryError, HistoryStore
from portwatch.replay_clock import ReplayClock
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
            yield from history_lines(store, since_s, until_s)

"""Replaying a recorded log as a source, with its original timing.

Each line waits for its data time on a ``ReplayClock`` (1x, 10x, … or as fast
as possible; pause, resume and seek), then goes on the queue stamped with that
data time, so that everything downstream runs on the log's clock exactly as it
would have live. Lines without a time follow the last timed one at a nominal
rate.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator

from portwatch.decoders import open_log
from portwatch.decoders.framing import line_time_s, parse_gatehouse_time
from portwatch.replay_clock import ReplayClock
from portwatch.sources.base import POLL_S, SourceStatus
from portwatch.sources.lines import LineCounts
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.urls import SourceUrl

NOMINAL_LINES_PER_S = 10.0
RATE_WINDOW_S = 10.0


class FileReplaySource:
    """Plays ``file:///path/log.nmea[.gz]`` into a queue on a replay clock."""

    def __init__(
        self,
        url: SourceUrl,
        queue: LineQueue,
        clock: ReplayClock,
        nominal_lines_per_s: float = NOMINAL_LINES_PER_S,
    ) -> None:
        self.url = url
        self.name = url.text
        self.queue = queue
        self.clock = clock
        self.nominal_step_s = 1.0 / nominal_lines_per_s
        self.counts = LineCounts()
        self.state = "starting"
        self.finished = threading.Event()
        self._stopping = threading.Event()
        self._seek_to: float | None = None
        self._clock_started = False
        self._last_time_s: float | None = None
        self._lock = threading.Lock()
        self._recent: deque[float] = deque(maxlen=1_000_000)
        """When each recent line went out (monotonic), for the line rate."""
        self._thread = threading.Thread(target=self._run, name=f"replay {self.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 1.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():  # a source added but never started has nothing to end
            self._thread.join(timeout_s)

    @property
    def done(self) -> bool:
        """The log has been played to its end (or the source was stopped)."""
        return self.finished.is_set()

    def status(self) -> SourceStatus:
        return SourceStatus(
            name=self.name,
            state=self.state,
            lines=self.counts.lines,
            bytes=self.counts.bytes,
            malformed=0,
            partial_discarded=0,
            reconnects=0,
            last_line_at_s=self._last_time_s,
            lines_per_s=self._rate(),
        )

    def _rate(self) -> float:
        """Lines a second over the last ten seconds of wall-clock time."""
        now = time.monotonic()
        recent = self._recent
        while recent and now - recent[0] > RATE_WINDOW_S:
            recent.popleft()
        return len(recent) / RATE_WINDOW_S

    @property
    def seeking(self) -> bool:
        """A seek was asked for and the replay has not yet gone back to the log."""
        with self._lock:
            return self._seek_to is not None

    def seek(self, data_time_s: float) -> None:
        """Go on from the first line at or after ``data_time_s``."""
        with self._lock:
            self._seek_to = data_time_s
        self.clock.seek(data_time_s)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                seek_to = self._take_seek()
                for time_s, line in self._timed_lines(seek_to):
                    if seek_to is not None and time_s < seek_to:
                        continue
                    if self._wait_until(time_s):
                        break  # a seek came while waiting
                    self.counts.lines += 1
                    self.counts.bytes += len(line) + 1
                    self._recent.append(time.monotonic())
                    # A log can wait for the engine; dropping its lines would lose history.
                    if not self.queue.put_waiting(
                        ReceivedLine(time_s, line, self.name), self._stopping
                    ):
                        break
                    self._last_time_s = time_s
                if self._seek_to is None:  # played to the end (or stopped), no seek waiting
                    break
            self.state = "stopped" if self._stopping.is_set() else "finished"
        except Exception as error:  # a broken or unreadable log: say so, end the replay
            self.state = f"failed: {error or type(error).__name__}"
        finally:
            self.finished.set()

    def _timed_lines(self, seek_to: float | None) -> Iterator[tuple[float, bytes]]:
        """Every non-blank line with its data time (estimated when it has none).

        Stops early when a seek is asked for; the caller starts again."""
        last_s: float | None = None
        announced_s: float | None = None  # a $PGHP line's time, for the line after it
        with open_log(self.url.path or "") as log:
            for raw in log:
                line = raw.rstrip(b"\r\n")
                if not line.strip():
                    continue
                time_s = line_time_s(line)
                if line.startswith(b"$PGHP"):
                    time_s = announced_s = parse_gatehouse_time(line)
                elif time_s is None and announced_s is not None:
                    time_s = announced_s
                    announced_s = None
                if time_s is None:
                    time_s = (last_s or 0.0) + self.nominal_step_s
                if not self._clock_started:
                    self._clock_started = True
                    # The log's first line sets the clock, unless a seek came first.
                    self.clock.start(time_s if seek_to is None else max(time_s, seek_to))
                last_s = time_s
                yield time_s, line
                if self._stopping.is_set() or self._seek_to is not None:
                    return

    def _wait_until(self, time_s: float) -> bool:
        """Sleep until ``time_s`` is due; True when a seek interrupted the wait."""
        while not self._stopping.is_set():
            if self._seek_to is not None:
                return True
            wait_s = self.clock.wait_s(time_s)
            if wait_s <= 0:
                return False
            self.state = "paused" if self.clock.paused else "playing"
            self._stopping.wait(min(wait_s, POLL_S))
        return False

    def _take_seek(self) -> float | None:
        with self._lock:
            seek_to, self._seek_to = self._seek_to, None
        return seek_to

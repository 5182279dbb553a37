"""Replaying a recorded log as a source, with its original timing.

Each line waits for its data time on a ``ReplayClock`` (1x, 10x, … or as fast
as possible; pause, resume and seek), then goes on the queue stamped with that
data time, so that everything downstream runs on the log's clock exactly as it
would have live. Lines without a time follow the last timed one at a nominal
rate.

A seek shows the picture as it stood at the time sought. A short way forward,
the lines up to it simply go at once. Anywhere else the replay starts the
picture again (``on_rewind``, the engine's ``reset_picture``) and sends the
stretch before that time that still shapes it (``lookback_s``) as fast as the
engine takes it, with the static data known before that stretch; the clock then
goes on from the time sought once the engine has taken it all. At the end of the
log the replay pauses its clock and waits: a seek plays on from there.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from portwatch.replay_clock import ReplayClock
from portwatch.replay_index import LogIndex
from portwatch.settings import FleetSettings
from portwatch.sources.base import POLL_S, SourceStatus
from portwatch.sources.lines import LineCounts
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.timed_log import timed_log_lines
from portwatch.sources.urls import SourceUrl, SourceUrlError

if TYPE_CHECKING:
    from portwatch.vessel import VesselState

Lines = Generator[tuple[float, bytes], None, None]
"""A log's lines with their data times, from where the replay reads."""
NOMINAL_LINES_PER_S = 10.0
RATE_WINDOW_S = 10.0
INDEX_WAIT_S = 60.0
"""Longest a seek waits for the log's index to reach the stretch it reads again
(it reads far faster than the engine decodes); past that it reads from further back."""
SETTLE_WAIT_S = 60.0
"""Longest a seek waits for the engine to take the stretch before the time sought
before the clock goes on from there."""


class FileReplaySource:
    """Plays ``file:///path/log.nmea[.gz]`` into a queue on a replay clock."""

    def __init__(
        self,
        url: SourceUrl,
        queue: LineQueue,
        clock: ReplayClock,
        nominal_lines_per_s: float = NOMINAL_LINES_PER_S,
    ) -> None:
        try:  # a missing log is refused when the source is added, not found "failed" later
            with open(url.path or "", "rb"):
                pass
        except OSError as error:
            raise SourceUrlError(f"{url.text!r}: cannot read: {error.strerror or error}") from None
        self.url = url
        self.name = url.text
        self.queue = queue
        self.clock = clock
        self.nominal_step_s = 1.0 / nominal_lines_per_s
        self.counts = LineCounts()
        self.state = "starting"
        self.finished = threading.Event()
        """Set while the replay stands at the end of the log (or has stopped)."""
        self.on_rewind: Callable[[list[VesselState]], None] | None = None
        """Called in the replay's thread, with the vessels known before the stretch
        it sends again, when a seek starts the picture again; everything the
        replay sent before that is from elsewhere in the log."""
        self.lookback_s = FleetSettings().picture_memory_s
        """How far before the time sought the stretch sent again reaches."""
        self.index = self._make_index()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._seek_to: float | None = None
        self._target_s: float | None = None
        """The time being sought: lines before it go at once."""
        self._clock_started = False
        self._last_time_s: float | None = None
        self._lock = threading.Lock()
        self._recent: deque[float] = deque(maxlen=1_000_000)
        """When each recent line went out (monotonic), for the line rate."""
        self._thread = threading.Thread(target=self._run, name=f"replay {self.name}", daemon=True)

    def _make_index(self) -> LogIndex | None:
        return LogIndex(self.url.path or "", self.nominal_step_s)

    def start(self) -> None:
        if self.index is not None:
            self.index.start()
        self._thread.start()

    def stop(self, timeout_s: float = 1.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self.index is not None:
            self.index.stop()
        if self._thread.is_alive():  # a source added but never started has nothing to end
            self._thread.join(timeout_s)

    @property
    def done(self) -> bool:
        """The log has been played to its end (or the source was stopped)."""
        return self.finished.is_set()

    @property
    def span_s(self) -> tuple[float, float] | None:
        """The data times the replay covers; None until known."""
        return None if self.index is None else self.index.span_s

    @property
    def ended(self) -> bool:
        """Played to the end, and the engine has taken every line: what an operator
        calls the end (``done`` comes as the last line goes on the queue)."""
        return self.state == "finished" and not len(self.queue)

    def status(self) -> SourceStatus:
        state = self.state
        if state == "finished" and not self.ended:
            state = "playing"  # the engine has yet to take the last lines
        return SourceStatus(
            name=self.name,
            state=state,
            lines=self.counts.lines,
            bytes=self.counts.bytes,
            malformed=0,
            partial_discarded=0,
            reconnects=0,
            last_line_at_s=self._last_time_s,
            lines_per_s=0.0 if state == "finished" else self._rate(),
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
        """A seek was asked for and the replay has not yet reached the time sought."""
        with self._lock:
            return self._seek_to is not None or self._target_s is not None

    @property
    def target_s(self) -> float | None:
        """The time being sought, while ``seeking``."""
        with self._lock:
            return self._seek_to if self._seek_to is not None else self._target_s

    def seek(self, data_time_s: float) -> None:
        """Show the picture as it stood at ``data_time_s`` and play on from there
        (paused or playing, as before)."""
        # Under the lock the replay takes before it lets a line go: after this, no
        # line from the old place moves the clock.
        with self._lock:
            self._seek_to = data_time_s
            self.clock.seek(data_time_s)
        self._wake.set()

    def _run(self) -> None:
        try:
            self._replay()
            self.state = "stopped"
        except Exception as error:  # a broken or unreadable log: say so, end the replay
            self.state = f"failed: {error or type(error).__name__}"
        finally:
            self.finished.set()
            if self.index is not None:
                self.index.stop()

    def _replay(self) -> None:
        lines: Lines | None = None
        held: tuple[float, bytes] | None = None  # taken from ``lines``, not yet sent
        sent = 0  # lines sent since the picture last started again
        played_s = float("-inf")  # the latest time among them
        while not self._stopping.is_set():
            seek_to = self._take_seek()
            if seek_to is not None:
                self.state = "seeking"
                if lines is None or not played_s <= seek_to <= played_s + self.lookback_s:
                    lines, held, sent = self._rewind(seek_to, lines), None, 0
                    played_s = float("-inf")
                # else a short way ahead of all played: read on, the lines up to it go at once
            elif lines is None:
                lines = self._lines_from(None)[1]
            if held is None:
                held = next(lines, None)
                if held is None:
                    played_s = float("inf")  # a seek from the end reads again
                    self._wait_at_end()
                    continue
            time_s, line = held
            target_s = self._target_s
            if (
                target_s is not None
                and time_s >= target_s
                # A seek before the log's first line does not wait for the time between.
                and not self._reach(target_s if sent else max(target_s, time_s))
            ):
                continue  # another seek came
            if self._target_s is None and not self._due(time_s):
                continue  # a seek came while waiting (or the replay stops)
            if not self._send(time_s, line):
                return
            held = None
            sent += 1
            played_s = max(played_s, time_s)

    def _rewind(self, seek_to: float, lines: Lines | None) -> Lines:
        """Start the picture again for a seek to ``seek_to``: the lines from the
        stretch before it, and the vessels known before that."""
        if lines is not None:
            lines.close()  # a file or a database left open
        known, rest = self._lines_from(seek_to - self.lookback_s)
        if self.on_rewind is not None:
            self.on_rewind(known)
        return rest

    def _lines_from(self, start_s: float | None) -> tuple[list[VesselState], Lines]:
        """The log's lines from the last place to start at or before ``start_s``
        (None: from its start), and the vessels known before that place."""
        index = self.index
        if index is None:
            return [], self._read(0)
        place = None
        if start_s is not None:
            deadline = time.monotonic() + INDEX_WAIT_S
            while not index.wait_for(start_s, POLL_S):
                if self._stopping.is_set() or time.monotonic() > deadline:
                    break
            place = index.place_before(start_s)
        return index.known_at(place), self._read(0 if place is None else place.offset)

    def _read(self, offset: int) -> Lines:
        for item in timed_log_lines(self.url.path or "", self.nominal_step_s, offset):
            yield item.time_s, item.line

    def _reach(self, target_s: float) -> bool:
        """Every line before the time sought has gone: once the engine has taken them,
        the clock goes on from ``target_s``. False when another seek came first."""
        if self.on_rewind is not None:  # an engine follows: wait for it
            deadline = time.monotonic() + SETTLE_WAIT_S
            while not self.queue.wait_empty(POLL_S):
                if self._stopping.is_set() or self._seek_to is not None:
                    return False
                if time.monotonic() > deadline:
                    break
        with self._lock:
            if self._seek_to is not None:
                return False
            self._target_s = None
            if self._clock_started:
                self.clock.seek(target_s)
            else:  # a seek before the replay began: the clock starts there
                self._clock_started = True
                self.clock.start(target_s)
        return True

    def _send(self, time_s: float, line: bytes) -> bool:
        """Put one line on the queue; False when the source is stopping."""
        self.counts.lines += 1
        self.counts.bytes += len(line) + 1
        self._recent.append(time.monotonic())
        # A log can wait for the engine; dropping its lines would lose history.
        if not self.queue.put_waiting(ReceivedLine(time_s, line, self.name), self._stopping):
            return False
        self._last_time_s = time_s
        return True

    def _due(self, time_s: float) -> bool:
        """Sleep until ``time_s`` is due: True then; False when a seek came first, or
        the replay is stopping (the line does not go)."""
        while not self._stopping.is_set():
            with self._lock:
                if self._seek_to is not None:
                    return False
                if not self._clock_started:  # the log's first line sets the clock
                    self._clock_started = True
                    self.clock.start(time_s)
                wait_s = self.clock.wait_s(time_s)
            if wait_s <= 0:
                self.state = "playing"
                return True
            self.state = "paused" if self.clock.paused else "playing"
            self._wake.wait(min(wait_s, POLL_S))
            self._wake.clear()
        return False

    def _wait_at_end(self) -> None:
        """The log has been played to its end: pause there until a seek (or stop)."""
        with self._lock:
            if self._seek_to is not None:
                return
            self._target_s = None  # a seek past the last line ends here
            self.clock.pause()
        self.state = "finished"
        self.finished.set()
        while not self._stopping.is_set():
            self._wake.wait(POLL_S)
            self._wake.clear()
            with self._lock:
                if self._seek_to is not None:
                    self.finished.clear()
                    return

    def _take_seek(self) -> float | None:
        with self._lock:
            seek_to, self._seek_to = self._seek_to, None
            if seek_to is not None:
                self._target_s = seek_to
            return seek_to

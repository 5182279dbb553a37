"""What every live source shares: its thread, its state, its counters, its back-off.

A source never gives up and never hangs: when its connection fails it says so
(``retrying in N s``), waits with exponential back-off and tries again, and
``stop()`` ends it within a second whatever it is doing. A connection that
stands but brings no line says so too (``silent for N s``): a receiver whose
antenna cable is cut, or a UDP dispatcher that stopped sending, looks the same
as a quiet sea to everything but the clock.
"""

from __future__ import annotations

import contextlib
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from portwatch.sources.lines import LineSplitter
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.urls import SourceUrl

POLL_S = 0.25
"""Longest a blocking read waits before the source looks whether it must stop."""
CONNECT_TIMEOUT_S = 10.0
"""Longest a connection attempt may take: feeds over satellite or VPN links take
seconds to answer. The attempt looks every ``POLL_S`` whether it must stop."""


def seconds_text(seconds: float) -> str:
    """``0.4``, ``9.5``, ``75``: tenths only where they matter to a reader."""
    return f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between attempts: ``first_s``, doubling, at most ``max_s``."""

    first_s: float = 1.0
    max_s: float = 30.0

    def delay_s(self, failures: int) -> float:
        """The wait after ``failures`` failures in a row (1 or more)."""
        return min(self.max_s, self.first_s * 2 ** max(0, failures - 1))


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A snapshot of a source for the status bar, the sources panel and the CLI."""

    name: str
    state: str
    """``connecting``, ``connected``, ``listening`` (``tcp-listen`` without a receiver),
    ``silent for N s`` (connected, no line for the source's ``silent_after_s``),
    ``retrying in N s (reason)``, ``failed: reason`` or ``stopped``."""
    lines: int
    bytes: int
    malformed: int
    partial_discarded: int
    reconnects: int
    last_line_at_s: float | None
    lines_per_s: float
    """Over the last ten seconds."""


class StreamSource(ABC):
    """A source that reads a byte stream in its own thread and queues its lines."""

    def __init__(self, url: SourceUrl, queue: LineQueue, backoff: Backoff | None = None) -> None:
        self.url = url
        self.name = url.text
        self.queue = queue
        self.backoff = backoff or Backoff()
        self.splitter = LineSplitter()
        self.silent_after_s = url.silent_after_s
        self._state = "connecting"
        self._reconnects = 0
        self._last_line_at_s: float | None = None
        self._quiet_since = time.monotonic()
        """When the last line came (or the source started): silence outlasts reconnects."""
        self._recent: deque[tuple[float, int]] = deque()  # (monotonic time, lines) per read
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"source {self.name}", daemon=True)

    def start(self) -> None:
        with self._lock:
            self._quiet_since = time.monotonic()
        self._thread.start()

    def stop(self, timeout_s: float = 1.0) -> None:
        """Stop reading and wait (at most ``timeout_s``) for the thread to end.

        Every blocking call of a source waits at most ``POLL_S``, a connection
        attempt too, so the thread ends within a second.
        """
        self._stopping.set()
        if self._thread.is_alive():  # a source added but never started has nothing to end
            self._thread.join(timeout_s)

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    @property
    def done(self) -> bool:
        """The source has ended by itself (end of standard input) or was stopped."""
        return self.stopped and not self._thread.is_alive()

    def status(self) -> SourceStatus:
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0][0] > 10.0:
                self._recent.popleft()
            recent = sum(count for _, count in self._recent)
            counts = self.splitter.counts
            state = "stopped" if self.stopped and not self._thread.is_alive() else self._state
            silent_s = now - self._quiet_since
            if state == "connected" and silent_s >= self.silent_after_s:
                state = f"silent for {seconds_text(silent_s)} s"
            return SourceStatus(
                name=self.name,
                state=state,
                lines=counts.lines,
                bytes=counts.bytes,
                malformed=counts.malformed,
                partial_discarded=counts.partial_discarded,
                reconnects=self._reconnects,
                last_line_at_s=self._last_line_at_s,
                lines_per_s=recent / 10.0,
            )

    def _run(self) -> None:
        failures = 0
        while not self.stopped:
            self._set_state("connecting")
            try:
                for received in self._connection():
                    failures = 0
                    self._accept(received)
                    if self.stopped:
                        break
            except OSError as error:
                reason = error.strerror or str(error) or type(error).__name__
            except Exception as error:  # a defect of ours: say so and keep the source alive
                reason = f"unexpected {type(error).__name__}: {error}"
            else:
                reason = "connection closed"
            finally:
                with contextlib.suppress(OSError):
                    self._close()
                self.splitter.reset()
            if self.stopped:
                break
            failures += 1
            self._reconnects += 1
            delay_s = self.backoff.delay_s(failures)
            self._set_state(f"retrying in {delay_s:g} s ({reason})")
            self._stopping.wait(delay_s)
        self._set_state("stopped")

    def _accept(self, chunk: bytes) -> None:
        lines = self.splitter.feed(chunk)
        if not lines:
            return
        received_at_s = time.time()  # the receive time: the data clock's fallback
        put = self.queue.put
        for line in lines:
            put(ReceivedLine(received_at_s, line, self.name))
        with self._lock:
            self._last_line_at_s = received_at_s
            now = self._quiet_since = time.monotonic()
            self._recent.append((now, len(lines)))
            while now - self._recent[0][0] > 10.0:
                self._recent.popleft()

    def _set_state(self, state: str) -> None:
        with self._lock:
            self._state = state

    @abstractmethod
    def _connection(self) -> Iterator[bytes]:
        """Open the stream and yield its chunks until it ends or fails (OSError)."""

    @abstractmethod
    def _close(self) -> None:
        """Release the stream (called after every connection, good or bad)."""

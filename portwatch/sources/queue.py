"""The one bounded queue between the sources and the engine.

When the engine falls behind, the oldest lines go first (an operator wants the
freshest picture) and every drop is counted against the source it came from.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from typing import NamedTuple


class ReceivedLine(NamedTuple):
    """A line as a source hands it on."""

    received_at_s: float
    """Wall-clock receive time (Unix seconds): the data clock's fallback."""
    line: bytes
    source: str


class LineQueue:
    """Thread-safe, bounded, first in first out; full means the oldest is dropped."""

    def __init__(self, max_lines: int = 100_000) -> None:
        self.max_lines = max_lines
        self.dropped: Counter[str] = Counter()
        """Lines dropped because the consumer fell behind, by source."""
        self.generation = 0
        """Goes up with every ``clear``: lines taken before one are from the old place."""
        self._lines: deque[ReceivedLine] = deque()
        lock = threading.Lock()
        self._ready = threading.Condition(lock)  # a line has come
        self._room = threading.Condition(lock)  # a line has gone

    def put(self, item: ReceivedLine) -> None:
        """Add a line; never blocks a source."""
        with self._ready:
            if len(self._lines) >= self.max_lines:
                self.dropped[self._lines.popleft().source] += 1
            self._lines.append(item)
            self._ready.notify()

    def put_waiting(self, item: ReceivedLine, stop: threading.Event) -> bool:
        """Add a line, waiting while the queue is full: for a recorded log replayed
        as fast as possible, where dropping would lose history. False when ``stop``
        was set while waiting (the line is not added)."""
        with self._ready:
            while len(self._lines) >= self.max_lines:
                if stop.is_set():
                    return False
                self._room.wait(0.25)
            self._lines.append(item)
            self._ready.notify()
            return True

    def get_batch(
        self, max_lines: int = 1024, timeout_s: float | None = None
    ) -> list[ReceivedLine]:
        """Up to ``max_lines`` lines, waiting at most ``timeout_s`` for the first."""
        return self.take(max_lines, timeout_s)[1]

    def take(
        self, max_lines: int = 1024, timeout_s: float | None = None
    ) -> tuple[int, list[ReceivedLine]]:
        """``get_batch`` with the generation the lines belong to, read in the same
        hold of the lock: a consumer that waited across a ``clear`` can tell lines
        put after it (keep them) from lines taken before it (drop them)."""
        with self._ready:
            if not self._lines:
                self._ready.wait(timeout_s)
            batch = []
            while self._lines and len(batch) < max_lines:
                batch.append(self._lines.popleft())
            if batch:
                self._room.notify_all()
            return self.generation, batch

    def clear(self) -> int:
        """Drop every line waiting (a replay jumping back); returns how many."""
        with self._ready:
            dropped = len(self._lines)
            self._lines.clear()
            self.generation += 1
            self._room.notify_all()
            return dropped

    def __len__(self) -> int:
        with self._ready:
            return len(self._lines)

    def wait_empty(self, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` for every line to have been taken; True when
        they have (a replay that seeks waits so for the engine)."""
        with self._room:
            return self._room.wait_for(lambda: not self._lines, timeout_s)

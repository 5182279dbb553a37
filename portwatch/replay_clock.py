"""The replay clock: data time played back at a speed, with pause, resume and seek.

A recorded log replays with its original timing at 1x, 10x, 100x, 1000x or as
fast as possible. The clock maps data time (the times in the log) onto the
wall clock it is given, so that tests can drive it with a clock of their own.

Two threads change it at once: the window (pause, seek, speed) and the replay
(``wait_s``, which at full speed moves the data time on). Every read and change
is taken under one lock, so that neither undoes what the other just did: a seek
overwritten by the replay's last line, or a switch from full speed to 1x that
puts the clock back behind the lines already played, and waits for them again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class ReplayClock:
    """Where a replay is in data time, and how long to wait for the next line.

    ``speed`` is a factor of real time; None plays as fast as possible. The
    clock starts paused at the data time given to ``start``.
    """

    def __init__(
        self, speed: float | None = 1.0, wall_s: Callable[[], float] = time.monotonic
    ) -> None:
        _check_speed(speed)
        self._lock = threading.Lock()
        self._speed = speed
        self._wall_s = wall_s
        self._data_s = 0.0  # data time at _anchor_wall_s
        self._anchor_wall_s = wall_s()
        self._paused = True

    @property
    def speed(self) -> float | None:
        with self._lock:
            return self._speed

    @property
    def paused(self) -> bool:
        with self._lock:
            return self._paused

    def start(self, data_time_s: float) -> None:
        """Begin playing from ``data_time_s``."""
        with self._lock:
            self._data_s = data_time_s
            self._anchor_wall_s = self._wall_s()
            self._paused = False

    def now_s(self) -> float:
        """The data time the replay has reached."""
        with self._lock:
            return self._now_s()

    def wait_s(self, data_time_s: float) -> float:
        """Wall seconds until ``data_time_s`` is due: 0 when it is, inf while paused."""
        with self._lock:
            if self._paused:
                return math.inf
            if self._speed is None:
                self._data_s = max(self._data_s, data_time_s)
                return 0.0
            return max(0.0, (data_time_s - self._now_s()) / self._speed)

    def pause(self) -> None:
        with self._lock:
            self._data_s = self._now_s()
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._anchor_wall_s = self._wall_s()
            self._paused = False

    def seek(self, data_time_s: float) -> None:
        """Jump to ``data_time_s`` (paused or playing, as before)."""
        with self._lock:
            self._data_s = data_time_s
            self._anchor_wall_s = self._wall_s()

    def set_speed(self, speed: float | None) -> None:
        """Change speed without a jump in data time."""
        _check_speed(speed)
        with self._lock:
            self._data_s = self._now_s()
            self._anchor_wall_s = self._wall_s()
            self._speed = speed

    def _now_s(self) -> float:
        if self._paused or self._speed is None:
            return self._data_s
        return self._data_s + (self._wall_s() - self._anchor_wall_s) * self._speed


def _check_speed(speed: float | None) -> None:
    if speed is not None and speed <= 0:
        raise ValueError("speed must be positive, or None for as fast as possible")

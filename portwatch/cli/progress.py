"""A progress line for long work on standard error: done, rate, time left.

On a terminal it redraws itself in place a few times a second; into a file or
a pipe it writes a plain line every ``PLAIN_EVERY_S`` so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_EVERY_S = 0.25
PLAIN_EVERY_S = 10.0


class ProgressLine:
    """Shows how far ``total_bytes`` of input have been read, and how fast."""

    def __init__(self, label: str, total_bytes: int | None, out: TextIO | None = None) -> None:
        self.label = label
        self.total_bytes = total_bytes
        self.out = out or sys.stderr
        self.interactive = self.out.isatty()
        self._started = time.monotonic()
        self._shown_at = self._started
        self._drawn = False

    def update(self, done_bytes: int | None, messages: int, force: bool = False) -> None:
        now = time.monotonic()
        every = REDRAW_EVERY_S if self.interactive else PLAIN_EVERY_S
        if not force and now - self._shown_at < every:
            return
        self._shown_at = now
        text = self.describe(done_bytes, messages, now - self._started)
        if self.interactive:
            self.out.write(f"\r{text}\x1b[K")
            self._drawn = True
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def describe(self, done_bytes: int | None, messages: int, elapsed_s: float) -> str:
        """``label: 45% 12.3/27.0 MB, 52,000 msg/s, 0:01:10 left``."""
        rate = messages / elapsed_s if elapsed_s > 0 else 0.0
        parts = [f"{self.label}:"]
        if done_bytes is not None and self.total_bytes:
            share = min(1.0, done_bytes / self.total_bytes)
            parts.append(f"{share:4.0%} {done_bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB,")
            if share > 0:
                left_s = elapsed_s * (1 - share) / share
                parts.append(f"{rate:,.0f} msg/s, {_clock(left_s)} left")
            else:
                parts.append(f"{rate:,.0f} msg/s")
        else:
            if done_bytes is not None:
                parts.append(f"{done_bytes / 1e6:.1f} MB,")
            parts.append(f"{messages:,} messages, {rate:,.0f} msg/s")
        return " ".join(parts)

    def finish(self) -> None:
        """End the line that was being redrawn, so what follows starts clean."""
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = False


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

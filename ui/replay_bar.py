"""The replay timeline: play and pause, speed, a slider to seek, the data time.

It drives the ``ReplayClock`` of a log (or a range of history) replayed in the
app. Seeking forward skips lines; seeking back starts the picture again from
that time, as a replay that had started there would show it. A log's time span
is found by reading it once in a thread, so a long log does not hold up the
window; a range of history is known at once.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSlider, QComboBox, QLabel, QSlider, QToolBar

from portwatch.decoders import open_log
from portwatch.decoders.framing import line_time_s
from portwatch.engine import Engine
from portwatch.replay_clock import ReplayClock
from portwatch.sources.history_replay import HistoryReplaySource
from portwatch.sources.replay import FileReplaySource

SPEEDS = {"1×": 1.0, "10×": 10.0, "60×": 60.0, "600×": 600.0, "max": None}
SLIDER_STEPS = 10_000
SEEK_WAIT_S = 0.5
"""Longest a seek back waits for a replay to turn (it takes milliseconds)."""


class LogSpan(QObject):
    """Reads a log's first and last times in a thread; ``found`` brings them."""

    found = Signal(float, float)

    def scan(self, path: str) -> None:
        def work() -> None:
            first = last = None
            try:
                with open_log(path) as log:
                    for line in log:
                        time_s = line_time_s(line.rstrip(b"\r\n"))
                        if time_s is not None:
                            first = time_s if first is None else first
                            last = time_s
            except (OSError, EOFError, ValueError):
                pass  # the replay itself says what is wrong with the log
            if first is not None and last is not None:
                self.found.emit(first, last)

        threading.Thread(target=work, name="log span", daemon=True).start()


class ReplayBar(QToolBar):
    """Controls one replayed log's clock; ``refresh`` follows the data time."""

    def __init__(self, engine: Engine, source: FileReplaySource, clock: ReplayClock) -> None:
        super().__init__("Replay")
        self.setObjectName("replay")
        self.engine = engine
        self.source = source
        self.clock = clock
        self.span: tuple[float, float] | None = None
        self.play = QAction("Pause", self)
        self.play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play.triggered.connect(self._on_play_triggered)
        self.addAction(self.play)
        self.speed = QComboBox()
        self.speed.addItems(list(SPEEDS))
        self.speed.setCurrentText("1×")
        self.speed.currentTextChanged.connect(self._on_speed)
        self.addWidget(self.speed)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setEnabled(False)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.actionTriggered.connect(self._on_slider_action)
        self.addWidget(self.slider)
        self.time_label = QLabel("-")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.time_label)
        self._turning: tuple[bool, float] | None = None
        """While a seek back waits for the replay to turn: (was playing, deadline)."""
        self._turn_timer = QTimer(self)
        self._turn_timer.setInterval(10)
        self._turn_timer.timeout.connect(self._on_turn_check)
        self.log_span = LogSpan()
        self.log_span.found.connect(self._on_span)
        if isinstance(source, HistoryReplaySource):
            self._on_span(*source.span_s)  # the range asked for: known at once
        else:
            self.log_span.scan(source.url.path or "")

    def _on_play_triggered(self) -> None:
        self.toggle_pause()

    def toggle_pause(self) -> None:
        if self._turning is not None:  # the clock is held for a seek: change what follows
            playing, deadline = self._turning
            self._turning = (not playing, deadline)
            self.play.setText("Play" if playing else "Pause")
            return
        if self.clock.paused:
            self.clock.resume()
            self.play.setText("Pause")
        else:
            self.clock.pause()
            self.play.setText("Play")

    def seek(self, data_time_s: float) -> None:
        """Go to ``data_time_s``: back means the picture starts again from there."""
        snapshot = self.engine.snapshot()
        if snapshot.data_time_s is None or data_time_s >= snapshot.data_time_s:
            self.source.seek(data_time_s)  # forward: later lines simply come sooner
            return
        # Back: hold the clock, so that nothing from the new place is sent yet; once
        # the replay has left the old place (polled, never waited for here), drop
        # what it had queued from there together with the picture, and play on.
        if self._turning is None:
            self._turning = (not self.clock.paused, time.monotonic() + SEEK_WAIT_S)
            self.clock.pause()
        self.source.seek(data_time_s)
        self._turn_timer.start()

    def _on_turn_check(self) -> None:
        if self._turning is None:
            self._turn_timer.stop()
            return
        playing, deadline = self._turning
        if self.source.seeking and time.monotonic() < deadline:
            return
        self._turn_timer.stop()
        self._turning = None
        self.engine.reset_picture()
        if playing:
            self.clock.resume()

    def refresh(self, data_time_s: float | None) -> None:
        if data_time_s is None:
            return
        when = datetime.fromtimestamp(data_time_s, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.time_label.setText(when)
        if self.span is not None and not self.slider.isSliderDown():
            first, last = self.span
            share = (data_time_s - first) / max(1.0, last - first)
            self.slider.setValue(round(min(1.0, max(0.0, share)) * SLIDER_STEPS))

    def _on_speed(self, text: str) -> None:
        self.clock.set_speed(SPEEDS[text])

    def _on_span(self, first: float, last: float) -> None:
        self.span = (first, last)
        self.slider.setEnabled(True)

    def _on_slider_action(self, action: int) -> None:
        """A click on the groove or a key: seek once the slider has moved."""
        if action != QAbstractSlider.SliderAction.SliderMove.value:
            QTimer.singleShot(0, self._on_slider_released)

    def _on_slider_released(self) -> None:
        if self.span is None:
            return
        first, last = self.span
        self.seek(first + (last - first) * self.slider.value() / SLIDER_STEPS)

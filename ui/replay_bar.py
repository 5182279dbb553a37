"""The replay timeline: play and pause, speed, a slider to seek, the data time.

It drives the ``ReplayClock`` of a log (or a range of history) replayed in the
app. Every way of moving the slider (a drag, a click on the groove, the keys) is
a seek, and a seek shows the picture as it stood at that time (the replay
rebuilds it; see ``FileReplaySource``): the slider and the time show where it
goes while it does. A click on the groove or Page Up / Page Down steps by a
hundredth of the replay, the arrow keys by a thousandth. At the end the replay
stands still and says so; a seek plays on from there, and Play starts again
from the beginning. A log's time span comes from the replay's index of it (read
in a thread, so a long log does not hold up the window); a range of history is
known at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSlider, QComboBox, QLabel, QSlider, QToolBar

from portwatch.engine import Engine
from portwatch.replay_clock import ReplayClock
from portwatch.sources.replay import FileReplaySource

SPEEDS = {"1×": 1.0, "10×": 10.0, "60×": 60.0, "600×": 600.0, "max": None}
SLIDER_STEPS = 10_000
PAGE_STEPS = SLIDER_STEPS // 100
"""A click on the groove, or Page Up / Page Down: a hundredth of the replay."""
SINGLE_STEPS = SLIDER_STEPS // 1000
"""An arrow key: a thousandth."""


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
        self.slider.setPageStep(PAGE_STEPS)
        self.slider.setSingleStep(SINGLE_STEPS)
        self.slider.setEnabled(False)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.actionTriggered.connect(self._on_slider_action)
        self.addWidget(self.slider)
        self.time_label = QLabel("-")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.time_label)
        self._find_span()

    @property
    def ended(self) -> bool:
        """The replay has been played to its end and stands there."""
        return self.source.ended and not self.source.seeking

    def _on_play_triggered(self) -> None:
        self.toggle_pause()

    def toggle_pause(self) -> None:
        if self.ended and self.span is not None:  # Play at the end: from the beginning
            self.seek(self.span[0])
            self.clock.resume()
        elif self.clock.paused:
            self.clock.resume()
        else:
            self.clock.pause()
        self._show_play_state()

    def seek(self, data_time_s: float) -> None:
        """Show the picture as it stood at ``data_time_s``, and play on from there
        (or stay paused)."""
        self.source.seek(data_time_s)
        self._show_time(data_time_s)

    def refresh(self, data_time_s: float | None) -> None:
        """Follow the replay: where it is, or where it goes while it seeks."""
        if self.span is None:
            self._find_span()
        self._show_play_state()
        target_s = self.source.target_s
        if target_s is not None:
            self._show_time(target_s)
        elif data_time_s is not None:
            self._show_time(data_time_s)

    def _show_time(self, data_time_s: float) -> None:
        when = datetime.fromtimestamp(data_time_s, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.time_label.setText(when)
        if self.span is not None and not self.slider.isSliderDown():
            first, last = self.span
            share = (data_time_s - first) / max(1.0, last - first)
            self.slider.setValue(round(min(1.0, max(0.0, share)) * SLIDER_STEPS))

    def _show_play_state(self) -> None:
        self.play.setText("Play" if self.clock.paused or self.ended else "Pause")

    def _find_span(self) -> None:
        span = self.source.span_s
        if span is not None:
            self.span = span
            self.slider.setEnabled(True)

    def _on_speed(self, text: str) -> None:
        self.clock.set_speed(SPEEDS[text])

    def _on_slider_action(self, action: int) -> None:
        """A click on the groove or a key: a seek to where the slider goes (its
        position has moved, its value not yet)."""
        if action != QAbstractSlider.SliderAction.SliderMove.value:
            self._seek_to_step(self.slider.sliderPosition())

    def _on_slider_released(self) -> None:
        self._seek_to_step(self.slider.value())

    def _seek_to_step(self, step: int) -> None:
        if self.span is None:
            return
        first, last = self.span
        self.seek(first + (last - first) * step / SLIDER_STEPS)

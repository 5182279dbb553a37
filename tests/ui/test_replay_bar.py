"""Replaying a log in the app: the timeline pauses, changes speed and seeks, and
the data time (and the picture) follow."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.replay_clock import ReplayClock
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.ui.main_window import MainWindow
from portwatch.ui.replay_bar import ReplayBar

START_S = 1_710_201_600.0


def test_pause_and_seek_move_the_data_time(qtbot: QtBot, tmp_path: Path) -> None:
    port = load_port(bundled_file(DEMO_PORT))
    log = tmp_path / "bay.nmea"
    log.write_text("\n".join(TrafficSimulator(port, seed=6).lines(2 * 3600)) + "\n")
    clock = ReplayClock(speed=60.0)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    bar = ReplayBar(engine, source, clock)
    window.attach_replay(bar)
    try:
        qtbot.waitUntil(lambda: bar.span is not None, timeout=10_000)
        first, last = bar.span
        assert first == START_S
        assert last >= START_S + 2 * 3600 - 60
        qtbot.waitUntil(lambda: (engine.snapshot().data_time_s or 0) > START_S + 60, timeout=10_000)

        bar.toggle_pause()
        assert bar.play.text() == "Play"
        time.sleep(0.5)
        paused_at = engine.snapshot().data_time_s
        time.sleep(1.0)
        assert engine.snapshot().data_time_s == paused_at  # at 60x a second is a minute

        bar.seek(START_S + 90 * 60)  # forward, paused: the picture jumps there
        bar.toggle_pause()
        qtbot.waitUntil(lambda: engine.snapshot().data_time_s >= START_S + 90 * 60, timeout=10_000)
        window.refresh()
        assert bar.time_label.text().startswith("2024-03-12 01:3")
        assert bar.slider.value() > 7000

        bar.seek(START_S + 10 * 60)  # back: the picture starts again from there
        qtbot.waitUntil(
            lambda: START_S + 10 * 60 <= (engine.snapshot().data_time_s or 0) < START_S + 40 * 60,
            timeout=10_000,
        )
        assert engine.snapshot().counters.fixes_rejected == 0
        bar.speed.setCurrentText("max")
        assert clock.speed is None
    finally:
        window.close()
        engine.close()

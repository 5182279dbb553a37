"""UI tests run a real Qt application on the offscreen platform."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the application starts


@pytest.fixture
def demo_window(qtbot: QtBot, tmp_path: Path) -> Iterator:
    """The window on the demo port with 20 minutes of simulated traffic, fed at once
    (the same picture every run), refreshed by hand: its timer is stopped."""
    from portwatch.bundled import DEMO_PORT, bundled_file
    from portwatch.engine import Engine
    from portwatch.port.port_file import load_port
    from portwatch.simulator.traffic import TrafficSimulator
    from portwatch.ui.main_window import MainWindow

    port = load_port(bundled_file(DEMO_PORT))
    engine = Engine(port=port)  # as the app's: with the port's watch
    engine.feed(TrafficSimulator(port, seed=4).lines(1200), source="sim")
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    window.timer.stop()
    window.resize(1400, 900)
    window.show()
    window.refresh()
    assert window.vessel_model.rowCount() >= 20
    yield window
    window.close()
    engine.close()

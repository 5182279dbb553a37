"""Small things that cost trust: File > Open log offers AIS logs by their usual
names (and all files); a replay window says it is one and of which file;
removing a source asks first; a source of lines that are not AIS is amber in the
status bar; the first window fills the screen, and a layout saved on a larger
screen is brought onto this one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.replay_clock import ReplayClock
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.history_replay import replay_url
from portwatch.ui.main_window import MainWindow
from portwatch.ui.replay_bar import ReplayBar
from portwatch.ui.status_panel import AMBER
from tests.core.test_udp_serial_sources import free_udp_port
from tests.decoders.nmea import nmea


def new_window(qtbot: QtBot, engine: Engine, tmp_path: Path, name: str = "portwatch.ini"):
    settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    return window


def test_open_log_offers_ais_logs_by_their_usual_names(qtbot: QtBot, tmp_path: Path) -> None:
    engine = Engine()
    window = new_window(qtbot, engine, tmp_path)
    dialog = window.log_dialog()
    logs, everything = dialog.nameFilters()
    assert logs.startswith("AIS logs")
    assert everything == "All files (*)"
    patterns = logs[logs.index("(") + 1 : logs.index(")")].split()
    offered = ["a.nmea", "b.ais", "c.txt", "d.log", "a.nmea.gz", "b.ais.gz", "c.txt.gz",
               "d.log.gz", "CAPS.NMEA"]  # fmt: skip
    assert [name for name in offered if not QDir.match(patterns, name)] == []
    assert not QDir.match(patterns, "history.sqlite")
    engine.close()


def test_a_replay_window_says_it_is_one_and_names_the_file(qtbot: QtBot, tmp_path: Path) -> None:
    port = load_port(bundled_file(DEMO_PORT))
    log = tmp_path / "san-pedro-night.nmea"
    log.write_text("\n".join(TrafficSimulator(port, seed=6).lines(600)) + "\n")
    clock = ReplayClock(speed=1.0)
    engine = Engine()
    source = engine.add_source(replay_url(str(log)), replay_clock=clock)
    window = new_window(qtbot, engine, tmp_path)
    assert "replay" not in window.windowTitle().lower()
    window.attach_replay(ReplayBar(engine, source, clock))
    title = window.windowTitle()
    assert "replay of san-pedro-night.nmea" in title
    assert port.name in title
    engine.close()


def answer_next_question(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    """Answer the next question box with ``button`` as the operator would, noting its text."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(button).click()
        elif len(asked) < 1000:  # not shown yet: look again shortly
            asked.append("")
            QTimer.singleShot(10, press)

    QTimer.singleShot(0, press)


def test_removing_a_source_asks_first(qtbot: QtBot, tmp_path: Path) -> None:
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    window = new_window(qtbot, engine, tmp_path)
    dock = window.sources_dock
    url = f"udp://127.0.0.1:{free_udp_port()}"
    assert dock.add(url)
    window.refresh()
    remove = next(b for b in dock.findChildren(QPushButton) if b.text() == "Remove")
    try:
        dock.table.selectRow(0)
        asked: list[str] = []
        answer_next_question(QMessageBox.StandardButton.No, asked)
        remove.click()
        assert [text for text in asked if text] == [
            f"Remove {url}? Its data stop coming in, and it is not kept for the next run."
        ]
        assert [s.name for s in engine.sources] == [url]
        dock.table.selectRow(0)
        asked.clear()
        answer_next_question(QMessageBox.StandardButton.Yes, asked)
        remove.click()
        assert engine.sources == []
        assert dock.model.rowCount() == 0
    finally:
        window.close()
        engine.close()


def test_a_source_of_lines_that_are_not_ais_is_amber(qtbot: QtBot, tmp_path: Path) -> None:
    """``portwatch open`` on a log of GPS sentences: amber, "no AIS in 40 lines"."""
    log = tmp_path / "gps.nmea"
    log.write_text(f"{nmea('GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,')}\n" * 40)
    clock = ReplayClock(speed=None)
    engine = Engine()
    engine.add_source(replay_url(str(log)), replay_clock=clock)
    engine.start()
    window = new_window(qtbot, engine, tmp_path)
    try:

        def said() -> bool:
            window.refresh()
            return "no AIS in 40 lines" in window.status.sources.toolTip()

        qtbot.waitUntil(said, timeout=10_000)
        assert f"color:{AMBER}" in window.status.sources.text()
        dock = window.sources_dock.model
        assert dock.index(0, 1).data() == "● no AIS in 40 lines"
    finally:
        window.close()
        engine.close()


def test_the_first_window_fills_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    engine = Engine()
    window = new_window(qtbot, engine, tmp_path)
    available = window.screen().availableGeometry()
    assert window.first_layout
    assert window.geometry() == available
    # A layout saved on a larger screen comes back onto this one.
    window.setGeometry(
        available.x(), available.y(), available.width() + 900, available.height() + 600
    )
    window.save_settings()
    again = new_window(qtbot, engine, tmp_path)
    assert not again.first_layout
    assert available.contains(again.geometry())
    # One saved on this screen is kept as it was.
    again.setGeometry(available.x() + 10, available.y() + 10, 500, 400)
    again.save_settings()
    third = new_window(qtbot, engine, tmp_path)
    assert (third.geometry().width(), third.geometry().height()) == (500, 400)
    engine.close()

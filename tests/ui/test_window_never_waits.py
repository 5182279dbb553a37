"""The window never waits for the engine: while the engine is busy (an analytics
pass over a dense crowd holds it for a second or more), a refresh draws the last
picture at once and the event log asks again later; the new picture comes as soon
as the engine is free. Real engine, loopback TCP feed, offscreen window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.simulator.serve import TcpLineServer
from portwatch.ui.main_window import MainWindow
from tests.core.busy_engine import BusyEngine
from tests.core.fleet_input import START_S, track_lines

FIRST, SECOND = 366200031, 366200032


def _send(server: TcpLineServer, lines: list[str]) -> None:
    server.send(("\r\n".join(lines) + "\r\n").encode("ascii"))


def test_a_refresh_while_the_engine_is_busy_draws_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    port = load_port(bundled_file(DEMO_PORT))
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(clock_follows_receive_time=True, port=port)  # watched, as the app's
    engine.add_source(f"tcp://127.0.0.1:{server.address[1]}")
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    window.timer.stop()  # refreshed by hand
    window.show()

    def listed(mmsi: int) -> bool:
        window.refresh()
        return window.vessel_model.row_of(mmsi) is not None

    try:
        qtbot.waitUntil(lambda: server.clients == 1, timeout=30_000)
        _send(server, track_lines(FIRST, START_S, 3))
        qtbot.waitUntil(lambda: listed(FIRST), timeout=30_000)
        shown = window.map.vessels.picture
        with BusyEngine(engine) as busy:
            _send(server, track_lines(SECOND, START_S + 5, 3))
            window.refresh()
            window.refresh_panels()
            assert busy.holding, "the window waited for the engine"
            assert window.vessel_model.row_of(FIRST) is not None  # the last picture stays
            assert window.vessel_model.row_of(SECOND) is None
            assert window.map.vessels.picture is shown
        qtbot.waitUntil(lambda: listed(SECOND), timeout=30_000)
        assert window.map.vessels.picture.index_of(SECOND) is not None
    finally:
        window.close()
        engine.close()
        server.close()

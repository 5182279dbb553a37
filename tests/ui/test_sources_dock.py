"""The Sources dock on a real engine and a loopback TCP feed: add, see it
connected and its vessels appear, disconnect, connect again, remove; a wrong URL
is said in the dock."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.simulator.serve import TcpLineServer
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.ui.main_window import MainWindow


def test_a_tcp_source_added_in_the_dock_connects_and_brings_vessels(
    qtbot: QtBot, qtmodeltester, tmp_path: Path
) -> None:
    port = load_port(bundled_file(DEMO_PORT))
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    dock = window.sources_dock
    qtmodeltester.check(dock.model)  # and it keeps watching the model's signals
    try:
        assert not dock.add("tcp://127.0.0.1")  # no port
        assert "accepted forms" in dock.message.text()
        assert not dock.add(f"file://{tmp_path}/old.nmea")  # a recording is not live
        assert "replay it with File > Open log" in dock.message.text()
        assert engine.sources == []
        url = f"tcp://127.0.0.1:{server.address[1]}"
        assert dock.add(url)
        qtbot.waitUntil(lambda: server.clients == 1, timeout=10_000)
        lines = TrafficSimulator(port, seed=3, start_s=time.time() - 400).lines(400)
        server.send(("\r\n".join(lines) + "\r\n").encode("ascii"))
        qtbot.waitUntil(lambda: window.vessel_model.rowCount() >= 20, timeout=20_000)
        window.refresh()
        assert dock.model.index(0, 1).data() == "● connected"
        assert url in window.status.sources.text()

        dock.table.selectRow(0)
        dock.toggle_selected()  # disconnect
        assert engine.sources == []
        assert dock.model.index(0, 1).data() == "● disconnected"
        dock.table.selectRow(0)
        dock.toggle_selected()  # connect again
        assert [s.name for s in engine.sources] == [url]
        qtbot.waitUntil(lambda: server.clients_served == 2, timeout=10_000)
        dock.table.selectRow(0)
        dock.remove_selected()
        assert engine.sources == []
        assert dock.model.rowCount() == 0
    finally:
        window.close()
        engine.close()
        server.close()

"""The Sources dock on a real engine and a loopback TCP feed: add, see it
connected and its vessels appear, disconnect, connect again, remove; a wrong URL
is said in the dock."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.simulator.serve import TcpLineServer
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.ui.main_window import MainWindow
from portwatch.ui.status_panel import AMBER, GREEN
from tests.core.busy_engine import BusyEngine
from tests.core.test_udp_serial_sources import free_udp_port
from tests.decoders.nmea import EXAMPLE_POSITION, vdm


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


def test_a_silent_receiver_is_amber_in_the_dock_and_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A UDP receiver that stops sending turns amber, ``silent for N s``, in the
    dock and the status bar, and green again with its next line."""
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    dock = window.sources_dock
    udp_port = free_udp_port()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    line = vdm(EXAMPLE_POSITION)[0].encode() + b"\r\n"

    def shown() -> tuple[str, str]:
        window.refresh()
        state = dock.model.index(0, 1)
        colour = state.data(Qt.ItemDataRole.ForegroundRole).color().name()
        return state.data(), colour

    def flowing() -> bool:
        sender.sendto(line, ("127.0.0.1", udp_port))
        return shown() == ("● connected", GREEN)

    try:
        assert dock.add(f"udp://127.0.0.1:{udp_port}?silent=0.5")
        qtbot.waitUntil(flowing, timeout=10_000)
        qtbot.waitUntil(lambda: shown()[0].startswith("● silent for "), timeout=10_000)
        assert shown()[1] == AMBER
        assert f"color:{AMBER}" in window.status.sources.text()
        assert "silent for " in window.status.sources.toolTip()
        qtbot.waitUntil(flowing, timeout=10_000)
        assert f"color:{GREEN}" in window.status.sources.text()
    finally:
        window.close()
        engine.close()
        sender.close()


def test_adding_and_removing_a_source_never_waits_for_a_busy_engine(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """While an analytics pass holds the engine, the operator's add, disconnect and
    remove happen at once and the dock lists what they did."""
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    dock = window.sources_dock
    url = f"tcp://127.0.0.1:{server.address[1]}"
    try:
        with BusyEngine(engine) as busy:
            assert dock.add(url)
            assert dock.model.rowCount() == 1
            assert dock.model.name(0) == url
            dock.table.selectRow(0)
            dock.toggle_selected()  # disconnect
            assert dock.model.index(0, 1).data() == "● disconnected"
            dock.table.selectRow(0)
            dock.remove_selected()
            assert dock.model.rowCount() == 0
            assert busy.holding, "the dock waited for the engine"
        assert engine.sources == []
    finally:
        window.close()
        engine.close()
        server.close()

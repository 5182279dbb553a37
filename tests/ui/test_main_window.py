"""The main window on a real engine fed by the simulator: it opens on the demo
port and shows vessels; the list and the map select together; search filters;
untrusted names stay plain text; settings survive a restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.history.store import HistoryStore
from portwatch.port.port_file import load_port
from portwatch.ui.main_window import MainWindow, vessel_summary
from portwatch.ui.tooltips import plain_tooltip
from portwatch.ui.vessel_table import MMSI_ROLE
from tests.decoders.nmea import tag_block

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def engine():
    engine = Engine(clock_follows_receive_time=True, port=load_port(bundled_file(DEMO_PORT)))
    engine.add_source("sim://demo?seed=2")
    engine.start()
    yield engine
    engine.close()


def open_window(qtbot: QtBot, engine: Engine, settings: QSettings) -> MainWindow:
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    # The busy bay's first stretch is handed over at once: wait until it is in,
    # with its ships named (static data comes every six minutes).
    qtbot.waitUntil(lambda: _named_with_fix(engine) >= 25, timeout=30_000)
    qtbot.waitUntil(lambda: window.vessel_model.rowCount() >= 25, timeout=30_000)
    return window


def _named_with_fix(engine: Engine) -> int:
    vessels = engine.snapshot().vessels.values()
    return sum(1 for v in vessels if v.fix is not None and v.static.name)


def _rows_on_the_map(window: MainWindow) -> list[int]:
    """Rows of the list whose vessel the map shows (a vessel heard only by its
    static data so far is listed, not drawn)."""
    proxy, picture = window.vessel_filter, window.map.vessels.picture
    return [
        row
        for row in range(proxy.rowCount())
        if picture.index_of(proxy.index(row, 0).data(MMSI_ROLE)) is not None
    ]


def test_the_window_opens_on_the_demo_port_and_shows_vessels(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    window = open_window(qtbot, engine, settings)
    picture = window.map.vessels.picture
    assert picture is not None
    assert len(picture) >= 25
    assert "San Pedro Bay" in window.windowTitle()
    assert "sim://demo?seed=2" in window.status.sources.text()
    assert window.status.vessels.text().startswith("vessels ")
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    image.save(str(ARTIFACTS / "main-window-demo.png"))
    # Not blank: the map holds land, water and vessel colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 50


def test_selecting_in_the_list_selects_on_the_map_and_back(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    window = open_window(qtbot, engine, settings)
    proxy = window.vessel_filter
    drawn = _rows_on_the_map(window)
    index = proxy.index(drawn[3], 0)
    mmsi = index.data(MMSI_ROLE)
    window.table.clicked.emit(index)
    assert window.map.vessels.selected_mmsi == mmsi
    other = proxy.index(drawn[5], 0).data(MMSI_ROLE)
    window.map.vessel_clicked.emit(other)  # as a click on the map does
    selected = window.table.selectionModel().selectedRows()
    assert [row.data(MMSI_ROLE) for row in selected] == [other]
    picture = window.map.vessels.picture
    spot = picture.index_of(other)
    tolerance = window.map._pick_tolerance_m()
    assert window.map.vessels.vessel_at(picture.x_m[spot], picture.y_m[spot], tolerance) == other
    # The arrow keys move the selection as clicks do.
    window.table.setFocus()
    row = window.table.selectionModel().selectedRows()[0].row()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_mmsi == proxy.index(row + 1, 0).data(MMSI_ROLE)
    assert window.details_dock.isVisible()
    # A search that hides the selected vessel leaves no other row looking selected.
    chosen = window.selected_mmsi
    window.search.setText("no vessel is called this")
    assert window.table.selectionModel().selectedRows() == []
    assert window.map.vessels.selected_mmsi == chosen
    window.search.clear()
    selected = window.table.selectionModel().selectedRows()
    assert [row.data(MMSI_ROLE) for row in selected] == [chosen]
    # While the list is filtered, choosing a vessel it hides (on the map) clears it.
    window.search.setText(str(chosen))
    assert [row.data(MMSI_ROLE) for row in window.table.selectionModel().selectedRows()] == [chosen]
    window.map.vessel_clicked.emit(other)
    assert window.table.selectionModel().selectedRows() == []


def test_search_filters_by_name_and_mmsi(qtbot: QtBot, engine: Engine, settings: QSettings) -> None:
    window = open_window(qtbot, engine, settings)
    window.search.setText("pilot")
    # the pilot boats are named once their static data has come and the list refreshed
    qtbot.waitUntil(lambda: window.vessel_filter.rowCount() > 0, timeout=30_000)
    names = [
        window.vessel_filter.index(r, 0).data() for r in range(window.vessel_filter.rowCount())
    ]
    assert names
    assert all("PILOT" in name for name in names)
    window.search.setText("3669")
    proxy = window.vessel_filter
    assert proxy.rowCount() >= 2
    for row in range(proxy.rowCount()):
        shown = " ".join(str(proxy.index(row, column).data()) for column in range(3))
        assert "3669" in shown
    window.search.clear()
    window.quick_filter.setCurrentText("moving")
    assert proxy.rowCount() >= 1
    for row in range(proxy.rowCount()):
        assert float(proxy.index(row, 5).data() or 0) >= 0.5


def test_the_list_shows_what_the_analytics_say(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    """Distance to the pilot, in the approach zone, at anchor: the core computes them
    (the engine's watch), the list only shows them."""
    window = open_window(qtbot, engine, settings)
    qtbot.waitUntil(
        lambda: engine.snapshot().watch is not None and engine.snapshot().watch.version > 1
    )
    proxy = window.vessel_filter
    column = window.vessel_model.columns.index("To PBP NM")
    watch = window.vessel_model.watch
    distances = []
    for row in range(proxy.rowCount()):
        mmsi = proxy.index(row, 0).data(MMSI_ROLE)
        expected = watch.vessel(mmsi).distance_to_station_m
        shown = proxy.index(row, column).data()
        if expected is not None:
            assert float(shown) == pytest.approx(expected / 1852, abs=0.05)
            distances.append(expected)
    assert distances
    window.quick_filter.setCurrentText("in approach zone")
    inside = {proxy.index(r, 0).data(MMSI_ROLE) for r in range(proxy.rowCount())}
    everyone = set(engine.snapshot().vessels)
    assert inside
    assert inside < everyone
    assert inside == {m for m in everyone if window.vessel_model.watch.in_approach(m)}


def test_settings_survive_a_restart_of_the_window(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    window = open_window(qtbot, engine, settings)
    window.map.view_box.setRange(xRange=(-4000, 2000), yRange=(-5000, 1000), padding=0)
    window.layer_actions["route"].setChecked(False)
    window.palette_actions["night"].trigger()
    window.dimmer_action.trigger()
    window.legend_action.trigger()
    window.vector_actions[12].trigger()
    window.vessel_options["show_trails"].setChecked(False)
    window.table.setColumnHidden(2, True)  # call sign
    window.details_dock.hide()
    larger = next(a for a in window.actions() if a.text() == "&Larger text")
    larger.trigger()
    larger.trigger()
    point_size = window.font().pointSize()
    (west, east), _ = window.map.view_box.viewRange()
    window.close()
    again = open_window(qtbot, engine, settings)
    assert again.theme == "night"
    assert again.palette_actions["night"].isChecked()
    assert again.brightness == 0.8
    assert again.brightness_actions[0.8].isChecked()
    assert again.legend.isVisible()
    assert not again.layer_actions["route"].isChecked()
    assert not again.map.port_layers.is_visible("route")
    (west_again, east_again), _ = again.map.view_box.viewRange()
    assert (west_again, east_again) == pytest.approx((west, east), rel=0.05)
    assert again.map.vessels.vector_minutes == 12
    assert again.vector_actions[12].isChecked()
    assert not again.map.vessels.show_trails
    assert again.table.isColumnHidden(2)
    assert not again.table.isColumnHidden(1)
    assert not again.details_dock.isVisible()
    assert again.font().pointSize() == point_size


def test_the_vessel_table_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester, engine: Engine, settings: QSettings
) -> None:
    """The testers stay attached while the live engine adds vessels and updates
    rows for a few seconds, checking every insert and change as it happens."""
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    qtmodeltester.check(window.vessel_model)
    qtmodeltester.check(window.vessel_filter)
    window.show()
    qtbot.waitUntil(lambda: window.vessel_model.rowCount() >= 25, timeout=30_000)
    rows = window.vessel_model.rowCount()
    updates: list[object] = []
    window.vessel_model.dataChanged.connect(lambda *change: updates.append(change))
    window.quick_filter.setCurrentText("moving")
    qtbot.waitUntil(lambda: len(updates) >= 3, timeout=30_000)  # a few updates, filter on
    window.quick_filter.setCurrentText("all")
    assert window.vessel_model.rowCount() >= rows
    assert window.vessel_filter.rowCount() == window.vessel_model.rowCount()


def test_a_name_with_markup_is_shown_as_the_characters_received(
    qtbot: QtBot, settings: QSettings
) -> None:
    """Type 5 from a transmitter calling itself ``<b>X</b><img src=x>``: the list,
    the tooltip and the map label show those characters, not bold text or an image."""
    from pyais.encode import encode_dict

    name = "<B>X</B><IMG SRC=X>"  # AIS six-bit text is upper case
    static = encode_dict(
        {"msg_type": 5, "mmsi": 366123456, "shipname": name, "ship_type": 70},
        talker_id="AI",
        sentence_type="VDM",
    )
    position = encode_dict(
        {
            "msg_type": 1,
            "mmsi": 366123456,
            "lat": 33.70,
            "lon": -118.25,
            "speed": 5.0,
            "course": 90.0,
        },
        talker_id="AI",
        sentence_type="VDM",
    )
    engine = Engine()
    now = engine_now()
    engine.feed([tag_block(f"c:{now}") + line for line in static + position], source="test")
    engine.fleet.start_clock()  # one vessel: no need to wait for five reports
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    window.refresh()
    row = window.vessel_model.row_of(366123456)
    assert window.vessel_model.index(row, 0).data() == name
    vessel = engine.snapshot().vessels[366123456]
    tooltip = plain_tooltip(vessel_summary(vessel, now))
    assert "&lt;B&gt;X&lt;/B&gt;&lt;IMG SRC=X&gt;" in tooltip
    assert "<B>" not in tooltip
    window.show()
    window.map.vessel_hovered.emit(366123456)  # as the cursor over the symbol does
    assert QToolTip.text() == tooltip
    assert window.map.vessels.picture.names == [name]
    window.map.centre_on(0.0, 0.0)
    window.map.vessels.setVisible(True)
    window.map.grab()  # paint the map: the label is laid out
    label = window.map.vessels._scratch.labels[name]  # the window's thread's
    assert label.text() == name
    assert label.textFormat() == Qt.TextFormat.PlainText
    window.select_vessel(366123456)
    assert window.details_dock.table.item(0, 1).text() == name  # QTableWidgetItem: plain
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(tooltip)
    assert name in document.toPlainText()  # what the tooltip shows, literally


def engine_now() -> int:
    import time

    return int(time.time())


def test_a_first_run_opens_the_demo_and_the_next_the_last_session(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from portwatch.ui.app import DEMO_SOURCE, choose_session, run_app

    first = choose_session(settings, None, [], None)
    assert first.sources == (DEMO_SOURCE,)
    assert first.port is None
    assert first.note.startswith("First run")

    def close_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].vessel_model.rowCount() >= 10:
            windows[0].close()
        else:
            QTimer.singleShot(200, close_when_shown)

    QTimer.singleShot(200, close_when_shown)
    db = tmp_path / "history.sqlite"
    assert run_app(None, [], settings=settings, db_path=str(db)) == 0
    with HistoryStore.open(db, create=False, readonly=True) as store:
        assert store.position_count() > 0  # the live picture went into the history
        assert len(store.vessels()) >= 10
    again = choose_session(settings, None, [], None)
    assert again.sources == (DEMO_SOURCE,)
    assert again.note == "Last session's port and sources"
    given = choose_session(settings, "/srv/port.geojson", ["tcp://127.0.0.1:10110"], None)
    assert (given.port, given.sources) == ("/srv/port.geojson", ("tcp://127.0.0.1:10110",))


def test_details_show_every_field_and_load_the_track_from_history(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    from portwatch.history.writer import HistoryWriter
    from portwatch.simulator.traffic import TrafficSimulator

    port = load_port(bundled_file(DEMO_PORT))
    db = tmp_path / "history.sqlite"
    engine = Engine(history=HistoryWriter(db))
    engine.feed(TrafficSimulator(port, seed=4).lines(3 * 3600), source="sim")
    engine.flush()
    window = MainWindow(engine, port, settings=settings, db_path=str(db))
    qtbot.addWidget(window)
    window.refresh()
    # A ship under way (it has a destination), not a pleasure craft.
    moving = next(
        v
        for v in engine.snapshot().vessels.values()
        if v.fix and (v.fix.sog_kn or 0) > 5 and v.static.name and v.static.destination
    )
    window.select_vessel(moving.mmsi)
    table = window.details_dock.table
    fields = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert fields["Name"] == moving.static.name
    assert fields["MMSI"] == str(moving.mmsi)
    assert fields["Destination"]
    assert fields["Reported ETA"].endswith("UTC")
    assert "Last type 1" in fields
    window.details_dock.period.setCurrentText("last 6 hours")
    with qtbot.waitSignal(window.details_dock.track_loaded, timeout=10_000) as loaded:
        window.details_dock.show_track.click()
    mmsi, fixes = loaded.args
    assert mmsi == moving.mmsi
    assert len(fixes) > 20
    x, _ = window.map.track.getData()
    assert len(x) == len(fixes)
    # Only the last request counts: a slow answer to an earlier one is not drawn.
    dock = window.details_dock
    stale = dock.loader.requests
    dock.request_track()
    dock._on_loaded(stale, mmsi, fixes[:3], "")
    assert len(window.map.track.getData()[0]) == len(fixes)
    # Choosing another vessel takes its predecessor's track off the map.
    other = next(m for m in engine.snapshot().vessels if m != mmsi)
    window.select_vessel(other)
    assert window.map.track.getData()[0] is None or len(window.map.track.getData()[0]) == 0
    engine.close()


def test_measuring_gives_range_and_bearing(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    """Two clicks one nautical mile apart, the second due east of the first, read
    1.00 NM at 090°; moving on afterwards leaves the kept line alone."""
    window = open_window(qtbot, engine, settings)
    window.map.view_box.setRange(xRange=(-2000, 4000), yRange=(-3000, 3000), padding=0)
    window.measure_action.trigger()
    assert window.map.measuring

    def pixel(x_m: float, y_m: float) -> QPoint:
        scene = window.map.view_box.mapViewToScene(QPointF(x_m, y_m))
        return window.map.mapFromScene(scene)

    qtbot.mouseClick(window.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel(0.0, 0.0))
    with qtbot.waitSignal(window.map.measured) as measured:
        qtbot.mouseClick(window.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel(1852.0, 0.0))
    metres_per_px = window.map.view_box.viewPixelSize()[0]
    assert measured.args[0] == pytest.approx(1.0, abs=2 * metres_per_px / 1852)
    assert measured.args[1] == pytest.approx(90.0, abs=0.5)
    assert window.status.note.text().startswith("range 1.00 NM, bearing 0")
    kept = window.status.note.text()
    qtbot.mouseMove(window.map.viewport(), pixel(500.0, 900.0))
    assert window.status.note.text() == kept
    window.measure_action.trigger()
    assert not window.map.measuring


def test_a_port_without_an_approach_zone_still_opens(
    qtbot: QtBot, engine: Engine, settings: QSettings, tmp_path: Path
) -> None:
    document = json.loads(bundled_file(DEMO_PORT).read_text())
    document["features"] = [
        f for f in document["features"] if f["properties"]["kind"] != "approach"
    ]
    port_file = tmp_path / "no-approach.geojson"
    port_file.write_text(json.dumps(document))
    coastline = bundled_file(DEMO_PORT).parent / document["coastline"]
    (tmp_path / coastline.name).write_bytes(coastline.read_bytes())
    window = MainWindow(engine, load_port(port_file), settings=settings)
    qtbot.addWidget(window)
    window.show()
    (west, east), _ = window.map.view_box.viewRange()
    assert east - west > 1000  # zoomed to the port's features, not to nothing


def test_zoomed_in_ships_show_their_hulls_in_a_screenshot(
    qtbot: QtBot, engine: Engine, settings: QSettings
) -> None:
    """Close in, a ship is drawn at its real size from its reported dimensions."""
    import numpy as np
    import pyqtgraph as pg

    window = open_window(qtbot, engine, settings)
    picture = window.map.vessels.picture

    def lengths() -> np.ndarray:
        return picture.hull_m[:, 0] + picture.hull_m[:, 1]

    # the map takes the ships' dimensions at its next refresh after the list's
    qtbot.waitUntil(lambda: len(lengths()) and np.nanmax(lengths()) > 0, timeout=30_000)
    longest = int(np.nanargmax(lengths()))
    x, y = float(picture.x_m[longest]), float(picture.y_m[longest])
    window.map.view_box.setRange(xRange=(x - 600, x + 600), yRange=(y - 400, y + 400), padding=0)
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.map.grab().toImage()
    image.save(str(ARTIFACTS / "main-window-hull.png"))
    # The stem is drawn where the reported distance to the bow puts it, far from
    # the symbol and the name: look for the outline's bright pixels there.
    heading = picture.bow_rad[longest]
    bow_m = picture.hull_m[longest, 0]
    stem = window.map.view_box.mapViewToScene(
        pg.QtCore.QPointF(x + np.sin(heading) * bow_m, y + np.cos(heading) * bow_m)
    )
    stem = window.map.mapFromScene(stem)
    bright = [
        image.pixelColor(stem.x() + dx, stem.y() + dy).lightness()
        for dx in range(-3, 4)
        for dy in range(-3, 4)
    ]
    assert max(bright) > 120
    water = image.pixelColor(5, 5).lightness()
    assert water < 60

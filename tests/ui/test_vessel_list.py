"""Finding and reading a vessel: Ctrl+F brings the list forward with the search
box ready; typing only filters, Enter selects the first match; the columns are
sized to what they hold (real names of 20 characters) and the list needs no
scrolling sideways; destination, reported ETA and dimensions are in the column
menu; positions read in degrees and decimal minutes everywhere; a reported ETA
already passed is marked stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from portwatch.engine import Engine
from portwatch.ui.details_dock import vessel_fields
from portwatch.ui.main_window import MainWindow
from portwatch.ui.status_panel import degrees_minutes
from portwatch.ui.time_text import MONTHS
from portwatch.ui.vessel_table import COLUMNS, HIDDEN_BY_DEFAULT, MMSI_ROLE, column_widths

CELL_MARGIN_PX = 6
"""What a cell keeps round its text (Fusion: 3 px a side)."""


def test_ctrl_f_brings_the_list_forward_and_typing_only_filters(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    window = demo_window
    proxy = window.vessel_filter
    chosen = next(
        proxy.index(row, 0).data(MMSI_ROLE)
        for row in range(proxy.rowCount())
        if "PILOT" not in proxy.index(row, 0).data()
    )
    window.select_vessel(chosen)
    window.map.show_track(np.array([0.0, 500.0, 900.0]), np.array([0.0, 300.0, 200.0]))
    window.sources_dock.raise_()  # another tab of the dock in front of the list
    qtbot.waitUntil(lambda: window.search.visibleRegion().isEmpty())
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not window.search.visibleRegion().isEmpty()
    assert QApplication.focusWidget() is window.search
    qtbot.keyClicks(QApplication.focusWidget(), "pilot")  # into whatever has the focus
    names = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]
    assert names
    assert all("PILOT" in name for name in names)
    assert window.selected_mmsi == chosen  # typing chose nothing
    assert window.map.vessels.selected_mmsi == chosen
    assert len(window.map.track.getData()[0]) == 3  # and the track stays
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    first = proxy.index(0, 0).data(MMSI_ROLE)
    assert window.selected_mmsi == first
    assert window.details_dock.mmsi == first


def test_the_columns_hold_their_content_without_scrolling_sideways(
    demo_window: MainWindow, shared_data: Path
) -> None:
    window = demo_window
    table = window.table
    metrics = QFontMetricsF(table.font())
    shown = [c for c in range(len(COLUMNS)) if not table.isColumnHidden(c)]
    assert [COLUMNS[c] for c in shown] == [c for c in COLUMNS if c not in HIDDEN_BY_DEFAULT]
    proxy = window.vessel_filter
    cut = [
        (COLUMNS[c], proxy.index(row, c).data())
        for row in range(proxy.rowCount())
        for c in shown
        if metrics.horizontalAdvance(proxy.index(row, c).data() or "") + CELL_MARGIN_PX
        > table.columnWidth(c)
    ]
    assert cut == []
    # Real names, 20 characters at most, from the Danish Maritime Authority's recording.
    engine = Engine()
    with (shared_data / "dma-aislib" / "stream_example.txt").open("rb") as lines:
        engine.feed(lines, source="dma")
    names = {v.static.name for v in engine.snapshot().vessels.values() if v.static.name}
    engine.close()
    assert len(names) > 150
    assert max(len(name) for name in names) == 20
    too_long = [
        n for n in names if metrics.horizontalAdvance(n) + CELL_MARGIN_PX > table.columnWidth(0)
    ]
    assert too_long == []
    # The list as wide as the first run makes it on a 1600-pixel screen: no sideways scrolling.
    width = window._list_width(1600)
    assert width <= 800
    window.resize(1600, 1000)
    window.resizeDocks([window.vessel_dock], [width], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    assert table.horizontalScrollBar().maximum() == 0
    assert column_widths(table.font())["SOG kn"] == table.columnWidth(COLUMNS.index("SOG kn"))


def test_destination_eta_and_dimensions_are_in_the_column_menu(demo_window: MainWindow) -> None:
    window = demo_window
    menu = window.header_menu()
    actions = {action.text(): action for action in menu.actions()}
    extra = ["Destination", "ETA reported", "Length m", "Beam m", "Draught m"]
    assert all(not actions[title].isChecked() for title in extra)
    for title in extra:
        actions[title].trigger()
        assert not window.table.isColumnHidden(COLUMNS.index(title))
    proxy = window.vessel_filter
    snapshot = window.engine.snapshot()
    vessels = [snapshot.vessels[proxy.index(r, 0).data(MMSI_ROLE)] for r in range(proxy.rowCount())]
    row = next(r for r, v in enumerate(vessels) if v.static.destination and v.static.draught_m)
    static = vessels[row].static

    def cell(title: str) -> str:
        return proxy.index(row, COLUMNS.index(title)).data()

    assert cell("Destination") == static.destination
    assert cell("Length m") == f"{static.length_m:g}"
    assert cell("Beam m") == f"{static.beam_m:g}"
    assert cell("Draught m") == f"{static.draught_m:g}"
    eta = datetime.fromtimestamp(static.eta_reported_s, UTC)
    month = MONTHS[eta.month - 1]  # English, whatever the desktop's language
    assert cell("ETA reported").startswith(f"{eta:%d} {month} {eta:%H:%M}")  # never 03-12
    window.save_settings()
    hidden = window.settings.value("list/hidden_columns")
    assert "Call sign" in hidden
    assert "Destination" not in hidden


def test_positions_in_degrees_and_minutes_and_a_passed_eta_marked_stale(
    demo_window: MainWindow,
) -> None:
    window = demo_window
    snapshot = window.engine.snapshot()
    vessel = next(
        v
        for v in snapshot.vessels.values()
        if v.fix is not None and v.static.eta_reported_s is not None
    )
    window.select_vessel(vessel.mmsi)
    table = window.details_dock.table
    fields = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    window.status.show_cursor(vessel.fix.lon, vessel.fix.lat)  # as the cursor over the vessel
    assert fields["Position"] == window.status.cursor.text()
    assert fields["Position"] == (
        f"{degrees_minutes(vessel.fix.lat, 'N', 'S')} {degrees_minutes(vessel.fix.lon, 'E', 'W')}"
    )
    eta_s = vessel.static.eta_reported_s
    ahead = dict(vessel_fields(vessel, eta_s - 3600))["Reported ETA"]
    passed = dict(vessel_fields(vessel, eta_s + 3600))["Reported ETA"]
    assert ahead.endswith("UTC")
    assert passed == f"{ahead} (passed: stale)"
    window.details_dock.show_vessel(vessel, eta_s + 60)
    fields = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert fields["Reported ETA"].endswith("(passed: stale)")

"""The operations panels on simulated scenarios of the demo port, as an operator
and a pilot dispatcher use them: a congestion wave, an anchor drag, a close-quarters
encounter, the pilot board with its CSV and PDF, the event log and the berths.
Screenshots of each panel in the busy situation are saved under the test's tmp dir."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QStyle,
    QTableView,
    QTabWidget,
)
from pytestqt.qtbot import QtBot

from portwatch.analytics.pilot_board import CSV_COLUMNS
from portwatch.engine import Engine
from portwatch.events import CSV_COLUMNS as EVENT_CSV_COLUMNS
from portwatch.history.writer import HistoryWriter
from portwatch.ui.keyed_table_model import PanelTable
from portwatch.ui.main_window import MAP_MINIMUM_HEIGHT_PX, MainWindow
from portwatch.ui.pilot_board_rows import INBOUND_COLUMNS
from portwatch.ui.status_panel import short_name
from portwatch.ui.time_text import MONTHS
from tests.core.simulated import port, simulated
from tests.ui.test_map_names import overlapping

SCENARIOS = ("congestion@30", "anchor-drag@20", "close-quarters@40")
_TIME = re.compile(r"c:(\d+)")


def scenario_run():
    return simulated(seed=8, hours=6.0, scenarios=SCENARIOS)


def injected(kind: str):
    return next(i for i in scenario_run().simulator.injected if i.kind == kind)


class Replay:
    """The scenario's lines fed into ``engine`` up to a minute after the start."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lines = scenario_run().lines
        self.start_s = int(_TIME.search(self.lines[0]).group(1))
        self.next = 0

    def to_minute(self, minute: float) -> None:
        until = self.start_s + minute * 60
        end = self.next
        while end < len(self.lines) and int(_TIME.search(self.lines[end]).group(1)) < until:
            end += 1
        self.engine.feed(self.lines[self.next : end], source="sim")
        self.next = end


def open_window(qtbot: QtBot, tmp_path: Path, engine: Engine, db: str | None = None) -> MainWindow:
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port(), settings=settings, db_path=db)
    qtbot.addWidget(window)
    window.timer.stop()  # refreshed by hand
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()  # as the application's loop would, once shown
    return window


def look(window: MainWindow) -> None:
    """What the timer does: the map and list, then the panels (at once, not a second later)."""
    window.engine.flush()
    window.refresh()
    window.refresh_panels()


def show_panel(window: MainWindow, dock) -> None:
    dock.show()
    dock.raise_()
    look(window)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path):
    engine = Engine(port=port())
    window = open_window(qtbot, tmp_path, engine)
    yield window
    window.close()
    engine.close()


def anchorage_name() -> str:
    description = injected("congestion").description
    short = description.split(" for ")[1].split(" (")[0]
    return next(a.name for a in port().of_kind("anchorage") if a.name.startswith(short))


def test_a_congestion_wave_turns_the_row_and_the_tint_congested_and_back(window) -> None:
    replay = Replay(window.engine)
    name = anchorage_name()
    show_panel(window, window.anchorages_dock)
    dock = window.anchorages_dock
    seen = []
    for minute in range(30, 361, 30):
        replay.to_minute(minute)
        look(window)
        row = dock.model.row_of(name)
        level = dock.model.index(row, 2).data()
        assert window.map.watch_layer.levels[name] == level  # the map as the panel
        seen.append(level)
    assert "congested" in seen
    assert seen[-1] != "congested"
    assert seen.index("congested") < len(seen) - 1
    congested_at = seen.index("congested")
    assert seen[0] == "normal"
    assert congested_at > 0
    # the chart drew the 24 hours so far and the six-hour forecast
    dock.table.selectRow(dock.model.row_of(name))
    hours, counts, expected = dock.chart.shown
    assert len(hours) >= 2
    assert counts.max() > 6  # the wave, over its six places
    assert len(expected) == 6


def test_an_anchor_drag_is_acknowledged_then_clears(window, qtbot: QtBot) -> None:
    (dragger,) = injected("anchor-drag").mmsis
    replay = Replay(window.engine)
    replay.to_minute(45)
    show_panel(window, window.alerts_dock)
    dock = window.alerts_dock
    row = next(r for r in range(dock.model.rowCount()) if dock.model.record(r).mmsi == dragger)
    assert dock.model.index(row, 0).data() == "Anchor drag"
    assert dock.model.index(row, 5).data() == "NEW"
    assert "drift" in dock.model.index(row, 3).data()
    dock.table.selectRow(row)
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Space)
    look(window)
    row = dock.model.row_of(dock.model.record(row).id)
    assert dock.model.index(row, 5).data().startswith("acknowledged by")
    # clicking it draws the anchor, its swing circle and the drift
    dock.alert_chosen.emit(dock.model.record(row))
    situation = window.map.watch_layer.situation
    assert situation.kind == "anchor_drag"
    assert situation.anchor[2] > 100
    assert window.selected_mmsi == dragger
    replay.to_minute(75)
    look(window)
    assert all(dock.model.record(r).mmsi != dragger for r in range(dock.model.rowCount()))
    dock.tabs.setCurrentWidget(dock.cleared_table)
    look(window)
    cleared = [dock.cleared_model.record(r) for r in range(dock.cleared_model.rowCount())]
    assert any(a.mmsi == dragger and a.kind == "anchor_drag" for a in cleared)


def test_a_close_quarters_alert_shows_cpa_tcpa_and_selects_both(window, qtbot: QtBot) -> None:
    pair = set(injected("close-quarters").mmsis)
    replay = Replay(window.engine)
    replay.to_minute(36)
    show_panel(window, window.alerts_dock)
    dock = window.alerts_dock
    rows = [
        r
        for r in range(dock.model.rowCount())
        if {dock.model.record(r).mmsi, dock.model.record(r).other_mmsi} == pair
    ]
    assert rows, "the encounter is listed"
    (row,) = rows
    figure = dock.model.index(row, 3).data()
    assert "CPA" in figure
    assert "TCPA" in figure
    rect = dock.table.visualRect(dock.model.index(row, 1))
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert set(window.selected_mmsis) == pair
    assert {window.map.vessels.selected_mmsi, *window.map.vessels.also_selected} == pair
    situation = window.map.watch_layer.situation
    assert situation.kind == "cpa"
    assert len(situation.ships) == 2
    assert window.alerts_dock.flashing or window.alerts_dock.new_alerts >= 0


def test_a_new_alert_flashes_the_panel_and_sounds_only_when_asked(window) -> None:
    replay = Replay(window.engine)
    replay.to_minute(5)
    look(window)
    dock = window.alerts_dock
    assert not dock.sound.isChecked()  # off by default
    replay.to_minute(45)
    look(window)
    assert dock.new_alerts > 0
    assert dock.flashing
    assert dock.sounded == 0
    dock.sound.setChecked(True)
    replay.to_minute(75)
    look(window)
    assert dock.sounded >= 1  # QApplication.beep: no audio device needed


def test_the_pilot_board_is_the_engines_and_exports_csv_and_pdf(window, tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    replay = Replay(window.engine)
    replay.to_minute(150)
    show_panel(window, window.pilot_board_dock)
    dock = window.pilot_board_dock
    board = window.engine.snapshot().watch.pilot_board
    assert len(board.inbound) >= 3
    shown = [dock.inbound.key(r) for r in range(dock.inbound.rowCount())]
    assert shown == [(e.station, e.mmsi) for e in board.inbound]
    assert "all times UTC" in dock.time_label.text()
    path = tmp_path / "board.csv"
    dock.export_csv(str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [int(r["mmsi"]) for r in rows] == [e.mmsi for e in board.inbound]
    # Dates read one way only: "12 Mar 01:15" on the panel (UTC said once, in its
    # head), the same instant as the CSV's ISO 8601 UTC, never "12/03".
    etas = [dock.inbound.index(r, INBOUND_COLUMNS.index("ETA")).data() for r in range(len(rows))]
    for shown_eta, row in zip(etas, rows, strict=True):
        assert re.fullmatch(rf"\d\d ({'|'.join(MONTHS)}) \d\d:\d\d", shown_eta)
        iso = datetime.fromisoformat(row["eta"].replace("Z", "+00:00"))
        assert row["eta"].endswith("Z")
        assert shown_eta == f"{iso:%d} {MONTHS[iso.month - 1]} {iso:%H:%M}"
    pdf = tmp_path / "board.pdf"
    pages = dock.save_pdf(str(pdf))
    assert pages >= 1
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) == pages
    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape
    text = " ".join(first.extract_text().split())  # the extractor keeps tabs between words
    assert port().name in text
    assert "pilot board" in text
    assert "all times UTC" in text
    assert (board.inbound[0].name or str(board.inbound[0].mmsi)) in text
    assert etas[0] in text  # on paper as on the screen
    assert not re.search(r"\b\d\d/\d\d\b", text)


def test_the_event_log_filters_and_exports(window, tmp_path) -> None:
    replay = Replay(window.engine)
    replay.to_minute(90)
    show_panel(window, window.events_dock)
    dock = window.events_dock
    everything = dock.model.rowCount()
    assert everything > 50
    dock.set_filter(kind="anchored")
    shown = dock.shown_events()
    assert shown
    assert {e.kind for e in shown} == {"anchored"}
    name = anchorage_name()
    dock.set_filter(kind="anchored", zone=name)
    assert all((e.details or {}).get("zone") == name for e in dock.shown_events())
    (dragger,) = injected("anchor-drag").mmsis
    dock.set_filter(vessel=str(dragger))
    kinds = {e.kind for e in dock.shown_events()}
    assert "anchor_drag" in kinds
    jsonl, table = tmp_path / "events.jsonl", tmp_path / "events.csv"
    count = dock.export(str(jsonl), "jsonl")
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(lines) == count
    assert all(dragger in (line["mmsi"], line.get("other_mmsi")) for line in lines)
    dock.export(str(table), "csv")
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert tuple(rows[0]) == EVENT_CSV_COLUMNS
    assert len(rows) == count
    # new events arrive on top, through the filter
    dock.set_filter()
    before = dock.model.rowCount()
    replay.to_minute(120)
    look(window)
    assert dock.model.rowCount() > before


def test_berths_and_port_calls_from_history(qtbot: QtBot, tmp_path) -> None:
    db = tmp_path / "history.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port())
    window = open_window(qtbot, tmp_path, engine, db=str(db))
    try:
        Replay(engine).to_minute(360)
        engine.flush()
        show_panel(window, window.berths_dock)
        dock = window.berths_dock
        assert dock.berths.rowCount() == len(port().of_kind("berth"))
        occupied = [
            dock.berths.record(r)
            for r in range(dock.berths.rowCount())
            if dock.berths.record(r).alongside
        ]
        assert occupied
        dock.reload()
        qtbot.waitUntil(lambda: not dock.loading, timeout=20_000)
        assert dock.calls.rowCount() > 0
        calls = dock.shown_calls()
        assert any(c.berthed_s is not None for c in calls)
        terminal = next(c.terminal for c in calls if c.terminal)
        dock.terminal.setCurrentText(terminal)
        assert {c.terminal for c in dock.shown_calls()} == {terminal}
        exported = tmp_path / "calls.csv"
        assert dock.export(str(exported)) == len(dock.shown_calls())
    finally:
        window.close()
        engine.close()


def test_eta_labels_join_the_names_and_never_overlap_in_a_crowded_anchorage(
    window, qtbot: QtBot, tmp_path
) -> None:
    """Layers > ETA labels at the congestion wave's height: each inbound ship's ETA
    is a second line under its name, placed with it, so that no two labels (names,
    ETAs, zones) overlap, zoomed out on the port or in on the crowded anchorage."""
    replay = Replay(window.engine)
    replay.to_minute(90)
    look(window)
    window.eta_labels_action.setChecked(True)
    layer = window.map.vessels
    board = window.engine.snapshot().watch.pilot_board
    assert set(layer.second_lines) == {e.mmsi for e in board.inbound if e.eta_s is not None}
    anchorage = next(f for f in port().of_kind("anchorage") if f.name == anchorage_name())
    west, south, east, north = anchorage.local.bounds
    height = QFontMetricsF(window.font()).height()
    for zoom in ("port", "anchorage"):
        if zoom == "port":
            window.map.zoom_to_port()
        else:
            window.map.view_box.setRange(
                xRange=(west - 1500, east + 1500), yRange=(south - 1500, north + 1500), padding=0
            )
        window.map.grab().save(str(tmp_path / f"eta-labels-{zoom}.png"))
        labels = layer.drawn_labels
        assert overlapping(labels) == []
        assert len(layer.drawn_second_lines) >= (2 if zoom == "port" else 6)
        two_lines = {key for key, rect in labels if rect.height() > 1.5 * height}
        assert two_lines == layer.drawn_second_lines
    # As the app draws a live picture: in a thread of its own, the same labels.
    drawn_here = (list(layer.drawn_labels), set(layer.drawn_second_lines))
    layer.render_in_background()
    try:
        window.map.grab()  # the view frames are drawn for
        with qtbot.waitSignal(layer.frame_rendered, timeout=10_000):
            layer.set_picture(layer.picture)
        window.map.grab()
        assert (layer.drawn_labels, layer.drawn_second_lines) == drawn_here
    finally:
        layer.stop_background()
    window.eta_labels_action.setChecked(False)
    window.map.grab()
    assert layer.drawn_second_lines == set()


def whole_rows(table: QTableView) -> int:
    return table.viewport().height() // table.rowHeight(0)


def test_on_a_first_run_the_panels_take_a_third_and_show_several_rows(
    window, qtbot: QtBot, tmp_path
) -> None:
    """No saved layout: the panels under the map take a third of the window (not a
    strip of one or two rows), the map keeping its least height, as the window
    opens, maximises or is made smaller; once the operator has moved the
    separator, the height is theirs."""
    replay = Replay(window.engine)
    replay.to_minute(45)
    look(window)
    assert window.first_layout

    def a_third(height: int) -> bool:  # the panels' tabs included
        shown = next(d for d in window.panels if not d.visibleRegion().isEmpty())
        return height // 3 - 40 <= shown.height() <= height // 3

    assert a_third(window.height())
    assert window.map.height() >= MAP_MINIMUM_HEIGHT_PX
    assert whole_rows(window.alerts_dock.table) >= 8
    show_panel(window, window.events_dock)
    assert whole_rows(window.events_dock.table) >= 8
    window.grab().save(str(tmp_path / "first-run.png"))
    window.resize(1024, 640)  # a small screen: the map keeps its least height
    QApplication.processEvents()  # a shown window is resized through the window system
    window.grab().save(str(tmp_path / "first-run-small.png"))
    assert window.map.height() >= MAP_MINIMUM_HEIGHT_PX
    assert whole_rows(window.events_dock.table) >= 2
    window.resize(1600, 1200)
    QApplication.processEvents()
    assert a_third(1200)
    panels = window.events_dock
    window.resizeDocks([panels], [250], Qt.Orientation.Vertical)  # the operator's drag
    QApplication.processEvents()
    dragged_px = panels.height()
    window.resize(1600, 1000)
    QApplication.processEvents()
    assert panels.height() == dragged_px


LONG_SOURCES = (
    "tcp://ais-receiver.harbour-control.example.org:5631",
    "udp://0.0.0.0:10110",
    "serial:///dev/ttyUSB0?baud=38400",
)


def test_the_status_bar_keeps_every_source_and_the_rate_whole_at_1280_px(
    qtbot: QtBot, tmp_path
) -> None:
    """A 1280-pixel window with the panels, three sources (one with a long name),
    history, the cursor's position and a long note: each source's state and name
    and the message rate are shown whole, inside the window; what gives way is cut
    with an ellipsis, its whole text in its tooltip."""
    db = tmp_path / "history.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port())
    for url in LONG_SOURCES:
        engine.add_source(url)
    window = open_window(qtbot, tmp_path, engine, db=str(db))
    try:
        Replay(engine).to_minute(45)
        window.resize(1280, 800)
        QApplication.processEvents()
        status = window.status
        status.note.setText(f"opening {tmp_path / 'recordings' / 'harbour-2024-03-12.nmea.gz'}")
        status.show_cursor(-118.2512, 33.7123)
        look(window)  # no wait for Qt to lay the bar out again: it is laid out at once
        window.grab().save(str(tmp_path / "status-1280.png"))
        bar = window.statusBar()

        def inside(label) -> bool:
            left = label.mapTo(bar, label.rect().topLeft()).x()
            return left >= 0 and left + label.width() <= bar.width()

        text = status.sources.text()
        assert all(f"{short_name(url)} " in text for url in LONG_SOURCES)
        assert "…" in short_name(LONG_SOURCES[0])
        assert text.count("●") == 3
        for label in (status.sources, status.rate):
            assert label.isVisible()
            assert label.width() >= label.sizeHint().width()
            assert inside(label)
        assert status.rate.text().endswith(" msg/s")
        others = (status.data_time, status.vessels, status.history, status.cursor, status.note)
        assert all(inside(label) for label in others if label.isVisible())
        cut = [label for label in others if label.isVisible() and label.is_cut()]
        assert all(label.text() in html.unescape(label.toolTip()) for label in cut)
        assert status.data_time.width() >= status.data_time.sizeHint().width()  # room for it
    finally:
        window.close()
        engine.close()


def tables_of(dock) -> list[QTableView]:
    """The panel's tables, each made the one its tabs show."""
    tables = dock.findChildren(QTableView)
    for table in tables:
        for tabs in dock.findChildren(QTabWidget):
            if tabs.indexOf(table) >= 0:
                tabs.setCurrentWidget(table)
    return tables


def cut(table: QTableView) -> list[str]:
    """What a table cuts: rows lower than their text, a header lower than its
    titles, columns narrower than their title or what they hold."""
    header = table.horizontalHeader()
    faults = []
    if header.height() < header.sizeHint().height():
        faults.append(f"header {header.height()} < {header.sizeHint().height()} px")
    for row in range(min(table.model().rowCount(), 20)):
        if table.rowHeight(row) < table.sizeHintForRow(row):
            faults.append(f"row {row} {table.rowHeight(row)} < {table.sizeHintForRow(row)} px")
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for column in range(header.count()):
        title = table.model().headerData(column, Qt.Orientation.Horizontal)
        title_px = header.sectionSizeHint(column)
        if header.isSortIndicatorShown() and column != header.sortIndicatorSection():
            # Qt keeps room for a sort arrow beside every title; only one is drawn.
            title_px = header.fontMetrics().horizontalAdvance(title) + 2 * margin
        contents_px = table.sizeHintForColumn(column)
        if isinstance(table, PanelTable) and contents_px > table.widest_column_px():
            # A long list (a berth's ships, an event's details) stops at the widest
            # a column gets, and each text cut there is whole in its tooltip.
            contents_px = table.widest_column_px()
            untold = [
                row
                for row in range(min(table.model().rowCount(), 20))
                if len(text := table.model().index(row, column).data() or "") >= 40
                and text
                not in html.unescape(
                    table.model().index(row, column).data(Qt.ItemDataRole.ToolTipRole) or ""
                )
            ]
            if untold:
                faults.append(f"column {title}: rows {untold} cut without a tooltip")
        wanted = max(contents_px, title_px)
        if not table.isColumnHidden(column) and table.columnWidth(column) < wanted:
            faults.append(f"column {title} {table.columnWidth(column)} < {wanted} px")
    return faults


def squeezed(dock) -> list[str]:
    """The panel's controls given less room than their text needs."""
    controls = [
        widget
        for kind in (QAbstractButton, QComboBox, QLabel)
        for widget in dock.widget().findChildren(kind)
        if widget.isVisible()
    ]
    return [
        f"{type(c).__name__} {c.text() if hasattr(c, 'text') else c.currentText()!r}"
        for c in controls
        if c.width() < c.minimumSizeHint().width() or c.height() < c.minimumSizeHint().height()
    ]


def test_every_panel_at_every_text_size_cuts_nothing(window, tmp_path) -> None:
    """View > Larger and Smaller text, from 7 to 24 points, in a busy moment: every
    table's rows and header grow with the text and cut none of it, every column
    is as wide as its title and what it holds, and no button, filter or label of
    a panel is squeezed (a row of them wraps instead); the vessel list too."""
    replay = Replay(window.engine)
    replay.to_minute(45)
    look(window)
    row_heights = []
    for points in (7, 9, 12, 16, 20, 24):
        window.set_text_size(points)
        faults = {"vessel list": cut(window.table)}
        heights = {window.table.rowHeight(0)}
        for dock in window.panels:
            show_panel(window, dock)
            for table in tables_of(dock):
                window.refresh_panels(only=dock)
                name = f"{dock.objectName()} {type(table.model()).__name__}"
                faults[name] = cut(table)
                heights.add(table.verticalHeader().defaultSectionSize())
            faults[dock.objectName()] = squeezed(dock)
            dock.grab().save(str(tmp_path / f"{points}pt-{dock.objectName()}.png"))
        assert {name: fault for name, fault in faults.items() if fault} == {}, points
        text_px = QFontMetricsF(window.font()).height()
        assert min(heights) >= text_px
        assert len(heights) == 1  # one row height for the list and every panel
        row_heights.append(heights.pop())
    assert row_heights == sorted(row_heights)
    assert row_heights[-1] > 2 * row_heights[0]


@pytest.mark.parametrize("palette", ["day", "dusk", "night"])
def test_screenshots_of_every_panel_in_a_busy_situation(window, tmp_path, palette) -> None:
    """Saved as artifacts (tmp_path/screens): the congestion wave at its height, the
    drag and the close-quarters encounter open, in each palette."""
    replay = Replay(window.engine)
    replay.to_minute(45)
    window.apply_theme(palette)
    window.eta_labels_action.setChecked(True)
    screens = tmp_path / "screens"
    screens.mkdir()
    for dock in window.panels:
        show_panel(window, dock)
        image = dock.grab()
        assert image.width() > 100
        assert image.save(str(screens / f"{palette}-{dock.objectName()}.png"))
    window.grab().save(str(screens / f"{palette}-window.png"))
    assert len(list(screens.glob("*.png"))) == len(window.panels) + 1

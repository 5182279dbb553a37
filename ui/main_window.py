"""The main window: the map in the centre, the vessel list in a dock, the status
bar, menus and shortcuts. It only renders: a timer pulls the engine's snapshot a
few times a second and redraws when its version has changed."""

from __future__ import annotations

import math
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QRect,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QActionGroup, QCursor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from portwatch.ais_names import KIND, nav_status_name, ship_type_name
from portwatch.analytics.alerts import Alert, vessels_of
from portwatch.charts.cells import Cell
from portwatch.charts.chart_model import DEFAULT_SAFETY_DEPTH_M
from portwatch.engine import Engine
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.launch import child_environment, cli_command
from portwatch.port.port_file import Port
from portwatch.snapshot import EngineSnapshot
from portwatch.sources.history_replay import replay_url
from portwatch.sources.urls import SourceUrlError
from portwatch.ui.about_dialog import AboutDialog
from portwatch.ui.alerts_dock import AlertsDock
from portwatch.ui.anchorages_dock import AnchoragesDock
from portwatch.ui.berths_dock import BerthsDock
from portwatch.ui.details_dock import DetailsDock
from portwatch.ui.events_dock import EventsDock
from portwatch.ui.history_range_dialog import HistoryRangeDialog
from portwatch.ui.keyed_table_model import PANEL_MINIMUM, text_row_height
from portwatch.ui.legend import LegendDock
from portwatch.ui.map_view import MapView
from portwatch.ui.palette import (
    BRIGHTNESS_STEPS,
    DEFAULT_PALETTE,
    PALETTES,
    brightness_value,
    map_colours,
    palette_name,
    window_palette,
)
from portwatch.ui.pilot_board_dock import PilotBoardDock
from portwatch.ui.port_layers import LAYER_TITLES, LAYERS
from portwatch.ui.replay_bar import ReplayBar
from portwatch.ui.sources_dock import SourcesDock
from portwatch.ui.status_panel import StatusPanel
from portwatch.ui.tooltips import plain_tooltip
from portwatch.ui.vessel_picture import VesselPictureBuilder
from portwatch.ui.vessel_table import (
    COLUMNS,
    HIDDEN_BY_DEFAULT,
    MMSI_ROLE,
    QUICK_FILTERS,
    VesselFilterModel,
    VesselTableModel,
    column_widths,
)
from portwatch.ui.watch_layer import eta_labels, situation_of
from portwatch.vessel import Fix, VesselView

REFRESH_MS = 250
PANELS_EVERY_S = 1.0
"""The operations panels refresh at most this often (and only those showing): a
table a second is all an operator reads, and the map keeps the frame time."""
MAP_MINIMUM_HEIGHT_PX = 360
"""The map's least height when the window first places the panels under it: room
for the approach with its names and an alert's situation."""
HOVER_TOOLTIP_MS = 3_600_000
"""A vessel's tooltip stays this long at most while the pointer stays on it."""
LOG_FILTERS = ("AIS logs (*.nmea *.ais *.txt *.log *.nmea.gz *.ais.gz *.txt.gz *.log.gz)",
               "All files (*)")  # fmt: skip
SAFETY_DEPTHS_M = (5.0, 10.0, 12.0, 15.0, 20.0, 30.0)
"""The chart's safety depths offered in the View menu (any other can be set)."""


class MainWindow(QMainWindow):
    """PortWatch's window over a running ``engine`` on ``port``."""

    def __init__(
        self,
        engine: Engine,
        port: Port,
        settings: QSettings | None = None,
        note: str = "",
        db_path: str | None = None,
        chart: Sequence[Cell] = (),
    ) -> None:
        """``chart``: ENC cells (read) drawn under the traffic."""
        super().__init__()
        self.engine = engine
        self.port = port
        self.settings = settings or QSettings("PortWatch", "PortWatch")
        # A settings file from elsewhere or an older version: never a reason to fail.
        self.theme = palette_name(self.settings.value("theme", DEFAULT_PALETTE))
        self.brightness = brightness_value(self.settings.value("brightness", 1.0))
        self.setWindowTitle(f"PortWatch — {port.name}")
        self.selected_mmsi: int | None = None
        self.selected_mmsis: tuple[int, ...] = ()
        """Every vessel selected: the one above, and the other of a close-quarters pair."""
        self._list_changes = 0
        """Above 0 while the list changes under the program's hand (see ``_list_changing``)."""
        self.following = False
        self._shown_version = -1
        self._picture_builder = VesselPictureBuilder(port.plane)
        self._snapshot: EngineSnapshot | None = None
        self.replay_bar: ReplayBar | None = None
        self._panels_height_px: int | None = None
        """The panels' height as last set on a first run, None before; 0 once the
        operator has set it (or a saved layout did): then it is left alone."""

        self.safety_depth_m = _positive(
            self.settings.value("chart/safety_depth_m"), DEFAULT_SAFETY_DEPTH_M
        )
        self.map = MapView(
            port, map_colours(self.theme, self.brightness), chart, self.safety_depth_m
        )
        self.setCentralWidget(self.map)
        self.vessel_model = VesselTableModel(port)
        self.vessel_filter = VesselFilterModel(self.vessel_model)
        self._build_vessel_dock()
        disconnected = self.settings.value("sources/disconnected") or []
        if isinstance(disconnected, str):
            disconnected = [disconnected]
        self.sources_dock = SourcesDock(engine, list(disconnected))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sources_dock)
        self.tabifyDockWidget(self.vessel_dock, self.sources_dock)
        self.vessel_dock.raise_()
        self.db_path = db_path
        """The history database: tracks come from it, and Replay history offers it."""
        self.details_dock = DetailsDock(db_path)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.splitDockWidget(self.vessel_dock, self.details_dock, Qt.Orientation.Vertical)
        self.details_dock.track_loaded.connect(self._on_track_loaded)
        self._build_panels(engine, port, db_path)
        self.legend = LegendDock(map_colours(self.theme, self.brightness))
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.legend)
        self.legend.hide()  # until asked for (View > Legend); a saved layout may show it
        self.status = StatusPanel(self.statusBar())
        self.status.note.setText(note)
        self._build_menus()
        self.map.cursor_moved.connect(self._on_cursor_moved)
        self.map.vessel_clicked.connect(self._on_vessel_clicked)
        self.map.vessel_hovered.connect(self._on_vessel_hovered)
        self.map.measured.connect(self._on_measured)
        self._measure_note = ""
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.activated.connect(self._on_escape)  # leaves measuring
        self.setAcceptDrops(True)
        self._restore_settings()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start(REFRESH_MS)

    def _build_vessel_dock(self) -> None:
        dock = QDockWidget("Vessels", self)
        dock.setObjectName("vessels")
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find: name, MMSI, call sign, IMO")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._on_search_entered)
        self.quick_filter = QComboBox()
        self.quick_filter.addItems(QUICK_FILTERS)
        self.quick_filter.currentTextChanged.connect(self._on_quick_filter_chosen)
        row.addWidget(self.search, 1)
        row.addWidget(self.quick_filter)
        layout.addLayout(row)
        self.table = QTableView()
        self.table.setModel(self.vessel_filter)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
        self.table.clicked.connect(self._on_row_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.doubleClicked.connect(self._on_row_double_clicked)
        layout.addWidget(self.table)
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.vessel_dock = dock

    def _build_panels(self, engine: Engine, port: Port, db_path: str | None) -> None:
        """The operations panels, tabbed under the map: alerts in front."""
        sound = self.settings.value("alerts/sound", "false") == "true"
        self.alerts_dock = AlertsDock(engine, sound=sound)
        self.anchorages_dock = AnchoragesDock()
        self.pilot_board_dock = PilotBoardDock(port.name)
        self.berths_dock = BerthsDock(port, db_path)
        self.events_dock = EventsDock([f.name for f in port.features if f.kind != "route"])
        self.panels = (
            self.alerts_dock,
            self.anchorages_dock,
            self.pilot_board_dock,
            self.berths_dock,
            self.events_dock,
        )
        # Under the map only: the vessel list on the right keeps the window's height.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        # Tabbed from the start: side by side for a moment they would widen the window.
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alerts_dock)
        for dock in self.panels:
            if dock is not self.alerts_dock:
                self.tabifyDockWidget(self.alerts_dock, dock)
            dock.visibilityChanged.connect(
                lambda visible, d=dock: self._on_panel_shown(d) if visible else None
            )
        self.alerts_dock.raise_()
        self._panels_due = 0.0
        self.alerts_dock.alert_chosen.connect(self.show_alert)
        self.anchorages_dock.anchorage_chosen.connect(self._on_anchorage_chosen)
        for dock in (self.pilot_board_dock, self.berths_dock, self.events_dock):
            dock.vessel_chosen.connect(self._on_panel_vessel_chosen)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(file_menu, "&Open log…", QKeySequence.StandardKey.Open, self._on_open_log)
        self._action(file_menu, "Replay &history…", "Ctrl+H", self._on_replay_history)
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view = menus.addMenu("&View")
        self.find_action = self._action(
            view, "&Find vessel", QKeySequence.StandardKey.Find, self._on_find
        )
        self.zoom_action = self._action(view, "&Zoom to port", "Ctrl+0", self.map.zoom_to_port)
        self.follow_action = self._action(view, "F&ollow selected", "F", self._on_follow_toggled)
        self.follow_action.setCheckable(True)
        self.measure_action = self._action(
            view, "&Measure range and bearing", "M", self._on_measure_toggled
        )
        self.measure_action.setCheckable(True)
        vectors = view.addMenu("Speed &vectors")
        self.vector_actions = {}
        for minutes in (1, 3, 6, 12, 30):
            action = vectors.addAction(f"{minutes} min ahead")
            action.setCheckable(True)
            action.setChecked(minutes == 6)
            action.triggered.connect(lambda _=False, m=minutes: self.set_vector_minutes(m))
            self.vector_actions[minutes] = action
        self.safety_depth_actions: dict[float, QAction] = {}
        if self.map.chart_layer is not None:
            depths = view.addMenu("Chart safety &depth")
            for depth_m in sorted({*SAFETY_DEPTHS_M, self.safety_depth_m}):
                action = depths.addAction(f"{depth_m:g} m")
                action.setCheckable(True)
                action.triggered.connect(lambda _=False, d=depth_m: self.set_safety_depth(d))
                self.safety_depth_actions[depth_m] = action
            self.set_safety_depth(self.safety_depth_m)
        self._build_colour_menus(view)
        self._action(
            view, "&Larger text", QKeySequence.StandardKey.ZoomIn, lambda: self._on_text_size(1)
        )
        self._action(
            view, "&Smaller text", QKeySequence.StandardKey.ZoomOut, lambda: self._on_text_size(-1)
        )
        view.addSeparator()
        view.addAction(self.vessel_dock.toggleViewAction())
        view.addAction(self.sources_dock.toggleViewAction())
        view.addAction(self.details_dock.toggleViewAction())
        for dock in self.panels:
            view.addAction(dock.toggleViewAction())
        self.acknowledge_action = self._action(
            view, "&Acknowledge alert", "Ctrl+K", self._on_acknowledge_alert
        )
        self.eta_scores_action = self._action(
            view, "ETA &accuracy", "Ctrl+Shift+E", self._on_eta_scores
        )
        self.legend_action = self.legend.toggleViewAction()
        self.legend_action.setText("&Legend")
        view.addAction(self.legend_action)
        toolbar = self.addToolBar("Tools")
        toolbar.setObjectName("tools")
        for action in (
            self.find_action,
            self.zoom_action,
            self.follow_action,
            self.measure_action,
            self.next_palette_action,
        ):
            toolbar.addAction(action)
        layers = menus.addMenu("&Layers")
        self.layer_actions = {}
        chart = self.map.chart_layer
        if chart is not None:
            action = layers.addAction("Chart (ENC)")
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(chart.setVisible)
            self.layer_actions["chart"] = action
        for layer in LAYERS:
            action = layers.addAction(LAYER_TITLES[layer])
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, name=layer: self.map.set_layer_visible(name, on))
            self.layer_actions[layer] = action
        self.vessel_options = {}
        self.eta_labels_action = layers.addAction("ETA labels")
        self.eta_labels_action.setCheckable(True)
        self.eta_labels_action.toggled.connect(self._on_eta_labels_toggled)
        for title, attribute in (
            ("Speed vectors", "show_vectors"),
            ("Trails", "show_trails"),
            ("Names", "show_labels"),
        ):
            action = layers.addAction(title)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(
                lambda on, name=attribute: self._on_vessel_option_toggled(name, on)
            )
            self.vessel_options[attribute] = action
        help_menu = menus.addMenu("&Help")
        self.about_action = help_menu.addAction("&About PortWatch")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._on_about)

    def _on_about(self) -> None:
        AboutDialog(self).exec()

    def _build_colour_menus(self, view: QMenu) -> None:
        """View > Colours (day, dusk, night; Ctrl+N goes round them) and View >
        Brightness (the dimmer; Ctrl+Shift+Down and Up)."""
        colours = view.addMenu("&Colours")
        group = QActionGroup(self)
        self.palette_actions: dict[str, QAction] = {}
        for name in PALETTES:
            action = colours.addAction(name.capitalize())
            action.setCheckable(True)
            action.setChecked(name == self.theme)
            action.triggered.connect(lambda _=False, n=name: self.apply_theme(n))
            group.addAction(action)
            self.palette_actions[name] = action
        colours.addSeparator()
        self.next_palette_action = self._action(
            colours, "&Next colours", "Ctrl+N", self._on_next_palette
        )
        brightness = view.addMenu("&Brightness")
        group = QActionGroup(self)
        self.brightness_actions: dict[float, QAction] = {}
        for step in BRIGHTNESS_STEPS:
            action = brightness.addAction(f"{step:.0%}")
            action.setCheckable(True)
            action.setChecked(step == self.brightness)
            action.triggered.connect(lambda _=False, b=step: self.set_brightness(b))
            group.addAction(action)
            self.brightness_actions[step] = action
        brightness.addSeparator()
        self.dimmer_action = self._action(
            brightness, "&Dimmer", "Ctrl+Shift+Down", lambda: self._on_brightness_step(-1)
        )
        self.brighter_action = self._action(
            brightness, "B&righter", "Ctrl+Shift+Up", lambda: self._on_brightness_step(1)
        )

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def refresh(self) -> None:
        """Pull the engine's snapshot; redraw only when it has changed. Never waits on
        a busy engine: the last snapshot it took is drawn instead."""
        snapshot = self.engine.latest_snapshot()
        self._refresh_map_and_list(snapshot)
        if time.monotonic() >= self._panels_due:
            self.refresh_panels()

    def refresh_panels(self, only: QDockWidget | None = None) -> None:
        """The operations panels that show (or ``only`` that one), from the snapshot
        last drawn; the event log takes the events since its last look."""
        self._panels_due = time.monotonic() + PANELS_EVERY_S
        number, events = self.engine.events_after(self.events_dock.last_number, wait=False)
        self.events_dock.take(number, events)
        snapshot = self._snapshot
        if snapshot is None:
            return
        watch, vessels, now_s = snapshot.watch, snapshot.vessels, snapshot.data_time_s
        for dock in self.panels if only is None else (only,):
            if not dock.isVisible():
                continue
            if dock is self.alerts_dock:
                self.alerts_dock.refresh(watch, vessels, now_s)
            elif dock is self.anchorages_dock:
                self.anchorages_dock.refresh(watch, vessels)
            elif dock is self.pilot_board_dock:
                self.pilot_board_dock.refresh(watch)
            elif dock is self.berths_dock:
                self.berths_dock.refresh(watch, vessels)

    def _on_panel_shown(self, dock: QDockWidget) -> None:
        if hasattr(self, "timer"):  # not while the window is being built
            self.refresh_panels(only=dock)

    def _refresh_map_and_list(self, snapshot: EngineSnapshot) -> None:
        self.status.show(snapshot)
        self.sources_dock.refresh(snapshot.sources)
        if self.replay_bar is not None:
            self.replay_bar.refresh(snapshot.data_time_s)
            if self.replay_bar.ended:  # the rate looks back ten seconds: not at the end
                self.status.rate.setText("0 msg/s")
        if snapshot.version == self._shown_version:
            return
        self._shown_version = snapshot.version
        self._snapshot = snapshot
        picture = self._picture_builder.build(snapshot.vessels)
        # Vessels with an open alert (when the engine watches a port) are named first.
        watch = snapshot.watch
        self.map.vessels.alerting = watch.alerting_mmsis() if watch is not None else frozenset()
        self.map.watch_layer.set_watch(watch, picture)
        if self.eta_labels_action.isChecked():
            self.map.vessels.second_lines = eta_labels(watch)
        self.map.vessels.set_picture(picture)
        self.alerts_dock.watch_new(watch)
        with self._list_changing():
            self.vessel_model.update(snapshot.vessels, snapshot.data_time_s, snapshot.watch)
            self.vessel_filter.refilter()
            self._keep_selection_in_list()
        if self.selected_mmsi is not None:
            self.details_dock.show_vessel(
                snapshot.vessels.get(self.selected_mmsi), snapshot.data_time_s
            )
        if self.following and self.selected_mmsi is not None:
            index = picture.index_of(self.selected_mmsi)
            if index is not None:
                self.map.centre_on(float(picture.x_m[index]), float(picture.y_m[index]))

    def select_vessel(self, mmsi: int) -> None:
        """Select ``mmsi`` on the map, in the list (scrolled to it) and in the details."""
        if mmsi != self.selected_mmsi:
            self.map.show_track(np.empty(0), np.empty(0))  # a track is the selected one's
        self.selected_mmsi = mmsi
        self.selected_mmsis = (mmsi,)
        self.map.vessels.also_selected = ()
        if self._snapshot is not None:
            self.details_dock.show_vessel(
                self._snapshot.vessels.get(mmsi), self._snapshot.data_time_s
            )
        self.map.vessels.selected_mmsi = mmsi
        self.map.vessels.update()
        self._show_selection_in_list(scroll=True)

    @contextmanager
    def _list_changing(self) -> Iterator[None]:
        """While rows come, go or are filtered, the list's current row moves by
        itself: that is not the operator choosing a vessel."""
        self._list_changes += 1
        try:
            yield
        finally:
            self._list_changes -= 1

    def _keep_selection_in_list(self) -> None:
        """The list's selection survives rows coming and going (without scrolling)."""
        if self.selected_mmsi is None:
            return
        selected = self.table.selectionModel().selectedRows()
        if selected and selected[0].data(MMSI_ROLE) == self.selected_mmsi:
            return
        self._show_selection_in_list(scroll=False)

    def _show_selection_in_list(self, scroll: bool) -> None:
        """Highlight the selected vessel's row; none when a search or filter hides
        it, so the list never shows one vessel selected while the map shows another."""
        row = self.vessel_model.row_of(self.selected_mmsi) if self.selected_mmsi else None
        index = (
            self.vessel_filter.mapFromSource(self.vessel_model.index(row, 0))
            if row is not None
            else QModelIndex()
        )
        if not index.isValid():
            self.table.clearSelection()
            return
        self.table.selectRow(index.row())
        if scroll:
            self.table.scrollTo(index)

    def _list_width(self, screen_width: int) -> int:
        """The vessel dock's width: its shown columns and a scroll bar, at most
        half the screen, so the map keeps the other half."""
        columns = sum(
            self.table.columnWidth(c)
            for c in range(len(COLUMNS))
            if not self.table.isColumnHidden(c)
        )
        scroll_bar = self.table.verticalScrollBar().sizeHint().width()
        return min(columns + scroll_bar + 12, screen_width // 2)

    def show_alert(self, alert: Alert) -> None:
        """An alert chosen in its panel: its vessels selected (both of a close-quarters
        pair) and centred, its situation drawn on the map."""
        mmsis = vessels_of(alert)
        picture = self.map.vessels.picture
        now_s = self._snapshot.data_time_s if self._snapshot is not None else None
        self.map.watch_layer.situation = situation_of(alert, picture, self.port, now_s)
        self.map.watch_layer.update()
        if not mmsis:  # congestion: the anchorage itself
            self._on_anchorage_chosen(alert.zone or "")
            return
        self.select_vessel(mmsis[0])
        self.selected_mmsis = mmsis
        self.map.vessels.also_selected = mmsis[1:]
        self.map.vessels.update()
        points = [picture.index_of(m) for m in mmsis] if picture is not None else []
        points = [i for i in points if i is not None]
        if points:
            x = float(np.mean([picture.x_m[i] for i in points]))
            y = float(np.mean([picture.y_m[i] for i in points]))
            self.map.centre_on(x, y)

    def _on_anchorage_chosen(self, name: str) -> None:
        """An anchorage chosen in its panel: its ships' swing circles on the map."""
        watch = self._snapshot.watch if self._snapshot is not None else None
        ships = set()
        if watch is not None:
            ships = {
                m for state in watch.anchorages if state.name == name for m, _ in state.waiting
            }
        self.map.watch_layer.chosen_ships = ships
        self.map.watch_layer.update()

    def _on_panel_vessel_chosen(self, mmsi: int) -> None:
        self.map.watch_layer.situation = None
        self.select_vessel(mmsi)
        self.centre_on_vessel(mmsi)

    def _on_acknowledge_alert(self) -> None:
        """Ctrl+K: the alert selected in the panel, or else the most urgent one not
        acknowledged yet."""
        alert = self.alerts_dock.selected_alert()
        watch = self._snapshot.watch if self._snapshot is not None else None
        if alert is None and watch is not None:
            alert = next((a for a in watch.alerts if not a.acknowledged), None)
        if alert is not None:
            self.alerts_dock.acknowledge(alert)
            self.refresh()
            self.refresh_panels(only=self.alerts_dock)

    def _on_eta_scores(self) -> None:
        self.pilot_board_dock.show()
        self.pilot_board_dock.raise_()
        self.pilot_board_dock.show_scores(self._snapshot.watch if self._snapshot else None)

    def _on_eta_labels_toggled(self, on: bool) -> None:
        """Each inbound ship's ETA as a second line under its name: placed with it."""
        watch = self._snapshot.watch if self._snapshot is not None else None
        self.map.vessels.second_lines = eta_labels(watch) if on else {}
        self.map.vessels.update()

    def centre_on_vessel(self, mmsi: int) -> None:
        picture = self.map.vessels.picture
        index = picture.index_of(mmsi) if picture is not None else None
        if index is not None:
            self.map.centre_on(float(picture.x_m[index]), float(picture.y_m[index]))

    def header_menu(self) -> QMenu:
        """The list's column menu: every column, ticked when shown."""
        menu = QMenu(self)
        for column, title in enumerate(COLUMNS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != 0)  # the name stays
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        return menu

    def _on_header_menu(self, position) -> None:
        """Right-click on the list's header: choose the columns shown."""
        menu = self.header_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    def _on_tick(self) -> None:
        with self.engine.window_turn():  # the redraw has the interpreter to itself
            self.refresh()

    def _on_cursor_moved(self, lon: float, lat: float) -> None:
        self.status.show_cursor(lon, lat)

    def _on_vessel_clicked(self, mmsi: int) -> None:
        self.select_vessel(mmsi)

    def _on_search_edited(self, text: str) -> None:
        """Typing only filters: the selection (and its track) stay until Enter."""
        with self._list_changing():
            self.vessel_filter.set_search(text)
            self._keep_selection_in_list()

    def _on_search_entered(self) -> None:
        """Enter in the search box: the first vessel the list shows, selected and
        centred on the map."""
        mmsi = self.vessel_filter.index(0, 0).data(MMSI_ROLE)
        if mmsi is not None:
            self.select_vessel(int(mmsi))
            self.centre_on_vessel(int(mmsi))

    def _on_quick_filter_chosen(self, name: str) -> None:
        with self._list_changing():
            self.vessel_filter.set_quick_filter(name)
            self._keep_selection_in_list()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Moving through the list with the keyboard selects as a click does; the
        current row moving because rows came, went or were filtered does not."""
        if self._list_changes:
            return
        mmsi = current.data(MMSI_ROLE)
        if mmsi is not None and int(mmsi) != self.selected_mmsi:
            self.select_vessel(int(mmsi))

    def _on_row_clicked(self, index: QModelIndex) -> None:
        mmsi = index.data(MMSI_ROLE)
        if mmsi is not None:
            self.select_vessel(int(mmsi))

    def _on_row_double_clicked(self, index: QModelIndex) -> None:
        self._on_row_clicked(index)
        if self.selected_mmsi is not None:
            self.centre_on_vessel(self.selected_mmsi)

    def _on_vessel_hovered(self, mmsi: object) -> None:
        if mmsi is None or self._snapshot is None:
            QToolTip.hideText()
            return
        vessel = self._snapshot.vessels.get(int(mmsi))
        if vessel is None or vessel.fix is None:
            QToolTip.hideText()
            return
        # Shown until the pointer leaves the vessel (then hidden above), not for
        # Qt's usual ten seconds.
        QToolTip.showText(
            QCursor.pos(),
            plain_tooltip(vessel_summary(vessel, self._snapshot.data_time_s)),
            self.map,
            QRect(),
            HOVER_TOOLTIP_MS,
        )

    def attach_replay(self, bar: ReplayBar) -> None:
        """Replay mode: the timeline under the map drives the log's clock; the title
        says it is a replay, and of which file, beside the live window."""
        self.replay_bar = bar
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bar)
        replayed = Path(bar.source.url.path or bar.source.name).name
        self.setWindowTitle(f"PortWatch — replay of {replayed} — {self.port.name}")

    def open_log(self, path: str) -> None:
        """Replay ``path`` in a window of its own, so that live watching goes on here.
        A file that cannot be read is said here: the other window would not open."""
        try:
            replay_url(path)
        except (OSError, SourceUrlError) as error:
            self._tell("Open log", f"{path}: {getattr(error, 'strerror', None) or error}")
            return
        subprocess.Popen(cli_command("open", path), env=child_environment())
        self.status.note.setText(f"opening {path} in a replay window")

    def replay_history(self, database: str, since_s: float, until_s: float) -> None:
        """Replay ``database`` from ``since_s`` to ``until_s`` in a window of its own."""
        command = cli_command("open", database, "--from", str(since_s), "--to", str(until_s))
        subprocess.Popen(command, env=child_environment())
        self.status.note.setText(f"opening a replay of {database} in a replay window")

    def _on_replay_history(self) -> None:
        database = self.db_path
        if database is None:
            database, _ = QFileDialog.getOpenFileName(
                self, "Replay a history database", "", "History (*.sqlite);;All files (*)"
            )
        if not database:
            return
        try:
            with HistoryStore.open(database, create=False, readonly=True) as store:
                span_s = store.time_span()
        except HistoryError as error:
            self._tell("Replay history", str(error))
            return
        if span_s is None:
            self._tell("Replay history", f"{database} holds no data yet.")
            return
        dialog = HistoryRangeDialog(database, span_s, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.replay_history(database, *dialog.range_s())

    def _tell(self, title: str, text: str) -> None:
        """A message in a box, as plain text (it may quote a file name)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def log_dialog(self) -> QFileDialog:
        """File > Open log's dialog: AIS logs by their usual names, or any file."""
        dialog = QFileDialog(self, "Open a recorded log")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(LOG_FILTERS)
        return dialog

    def _on_open_log(self) -> None:
        dialog = self.log_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles():
            self.open_log(dialog.selectedFiles()[0])

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_log(url.toLocalFile())

    def _on_track_loaded(self, mmsi: int, fixes: list[Fix]) -> None:
        lon = np.array([fix.lon for fix in fixes])
        lat = np.array([fix.lat for fix in fixes])
        x, y = self.port.plane.to_local(lon, lat)
        self.map.show_track(np.asarray(x), np.asarray(y))

    def _on_find(self) -> None:
        """Ctrl+F: the vessel list in front (another tab may be) and the search box
        ready for typing."""
        self.vessel_dock.show()
        self.vessel_dock.raise_()
        self.activateWindow()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_escape(self) -> None:
        if self.measure_action.isChecked():
            self.measure_action.setChecked(False)
            self._on_measure_toggled()

    def _on_measure_toggled(self) -> None:
        measuring = self.measure_action.isChecked()
        self.map.set_measuring(measuring)
        if not measuring and self.status.note.text() == self._measure_note:
            self.status.note.setText("")  # the range of a line no longer drawn

    def _on_measured(self, range_nm: float, bearing_deg: float) -> None:
        self._measure_note = f"range {range_nm:.2f} NM, bearing {bearing_deg:05.1f}° true"
        self.status.note.setText(self._measure_note)

    def set_safety_depth(self, depth_m: float) -> None:
        """The chart's water shallower than ``depth_m`` is shaded as unsafe."""
        self.safety_depth_m = depth_m
        self.map.set_safety_depth(depth_m)
        for each, action in self.safety_depth_actions.items():
            action.setChecked(each == depth_m)

    def set_vector_minutes(self, minutes: float) -> None:
        self.map.vessels.set_vector_minutes(minutes)
        for each, action in self.vector_actions.items():
            action.setChecked(each == minutes)

    def _on_follow_toggled(self) -> None:
        self.following = self.follow_action.isChecked()

    def _on_vessel_option_toggled(self, name: str, on: bool) -> None:
        setattr(self.map.vessels, name, on)
        self.map.vessels.update()

    def _on_next_palette(self) -> None:
        self.apply_theme(PALETTES[(PALETTES.index(self.theme) + 1) % len(PALETTES)])

    def _on_brightness_step(self, step: int) -> None:
        """The dimmer a step down (-1) or up (+1): the steps run from bright to dim."""
        index = BRIGHTNESS_STEPS.index(self.brightness) - step
        self.set_brightness(BRIGHTNESS_STEPS[max(0, min(len(BRIGHTNESS_STEPS) - 1, index))])

    def apply_theme(self, theme: str) -> None:
        """The day, dusk or night palette, at the dimmer's brightness."""
        self.theme = palette_name(theme)
        widgets = window_palette(self.theme, self.brightness)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(widgets)
            # Qt posts the change to each widget: delivered now, so that nothing is
            # painted (or grabbed) in the last palette's colours, a bright day
            # selection on a night screen.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
        colours = map_colours(self.theme, self.brightness)
        self.map.set_colours(colours)
        self.legend.set_colours(colours)
        self.alerts_dock.set_colours(colours)
        self.pilot_board_dock.set_colours(colours)
        self.anchorages_dock.set_colours(
            colours, widgets.base().color().name(), widgets.text().color().name()
        )
        for name, action in self.palette_actions.items():
            action.setChecked(name == self.theme)
        self.next_palette_action.setText(f"{self.theme.capitalize()} colours")
        self.next_palette_action.setToolTip(
            f"{self.theme.capitalize()} colours, {self.brightness:.0%}: Ctrl+N for the next "
            "palette, Ctrl+Shift+Down and Up to dim"
        )

    def set_brightness(self, brightness: float) -> None:
        """The dimmer: every colour of the palette scaled down to ``brightness``."""
        self.brightness = brightness_value(brightness)
        for each, action in self.brightness_actions.items():
            action.setChecked(each == self.brightness)
        self.apply_theme(self.theme)

    def _on_text_size(self, step: int) -> None:
        self.set_text_size(self.font().pointSize() + step)

    def set_text_size(self, point_size: int) -> None:
        """One text size for the whole window: menus, lists, the panels (their tables
        fit themselves) and the map's names."""
        font = self.font()
        font.setPointSize(max(6, min(24, point_size)))
        self.setFont(font)
        self.map.set_font(font)
        self.table.verticalHeader().setDefaultSectionSize(text_row_height(font))
        for column, width in enumerate(column_widths(font).values()):
            self.table.setColumnWidth(column, width)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        screen = self.screen().availableGeometry()
        self.first_layout = not isinstance(geometry, QByteArray)
        """No layout saved: the app shows the window maximised (``app.run_app``)."""
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if self.first_layout or not screen.contains(self.geometry()):
            # A first run, or a layout saved on a larger screen: the whole of this
            # screen's available area, whether a window manager maximises it or not.
            self.setGeometry(screen)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        view = self.settings.value("map/view")
        if isinstance(view, list) and len(view) == 4:
            west, east, south, north = (float(v) for v in view)
            self.map.view_box.setRange(xRange=(west, east), yRange=(south, north), padding=0)
        for layer, action in self.layer_actions.items():
            action.setChecked(self.settings.value(f"layers/{layer}", "true") == "true")
        self.set_vector_minutes(float(self.settings.value("map/vector_minutes", 6)))
        for name, action in self.vessel_options.items():
            action.setChecked(self.settings.value(f"map/{name}", "true") == "true")
        self.eta_labels_action.setChecked(self.settings.value("map/eta_labels", "false") == "true")
        point_size = int(self.settings.value("font/point_size", 0) or 0)
        self.set_text_size(point_size if point_size > 0 else self.font().pointSize())
        hidden = self.settings.value("list/hidden_columns")
        for title in _hidden_columns(hidden):
            self.table.setColumnHidden(COLUMNS.index(title), True)
        if not isinstance(geometry, QByteArray):  # a first run: the list as wide as its columns
            self.resizeDocks(
                [self.vessel_dock], [self._list_width(screen.width())], Qt.Orientation.Horizontal
            )
        if isinstance(geometry, QByteArray):
            self._panels_height_px = 0  # the saved layout's
        self.apply_theme(self.theme)

    def save_settings(self) -> None:
        if self.replay_bar is not None:
            return  # a replay window beside the live one must not overwrite its layout
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        (west, east), (south, north) = self.map.view_box.viewRange()
        self.settings.setValue("map/view", [west, east, south, north])
        self.settings.setValue("theme", self.theme)
        self.settings.setValue("brightness", self.brightness)
        self.settings.setValue("map/vector_minutes", self.map.vessels.vector_minutes)
        self.settings.setValue("chart/safety_depth_m", self.safety_depth_m)
        self.settings.setValue("font/point_size", self.font().pointSize())
        for name, action in self.vessel_options.items():
            self.settings.setValue(f"map/{name}", "true" if action.isChecked() else "false")
        self.settings.setValue(
            "list/hidden_columns",
            [title for c, title in enumerate(COLUMNS) if self.table.isColumnHidden(c)],
        )
        self.settings.setValue("sources/disconnected", self.sources_dock.disconnected)
        self.settings.setValue(
            "alerts/sound", "true" if self.alerts_dock.sound.isChecked() else "false"
        )
        self.settings.setValue(
            "map/eta_labels", "true" if self.eta_labels_action.isChecked() else "false"
        )
        for layer, action in self.layer_actions.items():
            self.settings.setValue(f"layers/{layer}", "true" if action.isChecked() else "false")
        self.settings.sync()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._panels_height_px != 0 and hasattr(self, "timer"):  # built, and first run
            # Once the window's layout has taken the new size: not within this event.
            QTimer.singleShot(0, self._size_first_panels)

    def _size_first_panels(self) -> None:
        """On a first run the panels under the map take a third of the window, the
        map keeping at least ``MAP_MINIMUM_HEIGHT_PX``: several rows of each show.
        The window is sized more than once as it opens (and maximises): the panels
        follow it until the operator moves the separator, which is theirs to keep."""
        # The panel in front: those on the tabs behind it keep their last geometry
        # (and are "visible" to Qt all the same).
        shown = next((d for d in self.panels if not d.visibleRegion().isEmpty()), None)
        if not self._panels_height_px and self._panels_height_px is not None:
            return
        if shown is None or shown.isFloating():
            return
        if self._panels_height_px and abs(shown.height() - self._panels_height_px) > 2:
            self._panels_height_px = 0  # moved by hand
            return
        shared = self.map.height() + shown.height()
        wanted = min(self.height() // 3, shared - MAP_MINIMUM_HEIGHT_PX)
        wanted = max(wanted, PANEL_MINIMUM[1])
        self.resizeDocks([shown], [wanted], Qt.Orientation.Vertical)
        self.layout().activate()
        self._panels_height_px = shown.height()

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.save_settings()
        super().closeEvent(event)


def _hidden_columns(value: object) -> list[str]:
    """The list's hidden columns from the settings, by title; the numbers an older
    version kept are read too; none saved: the columns hidden by default."""
    if value is None:
        return list(HIDDEN_BY_DEFAULT)
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    hidden = []
    for item in items:
        text = str(item)
        if text in COLUMNS:
            hidden.append(text)
        elif text.isdigit() and int(text) < len(COLUMNS):
            hidden.append(COLUMNS[int(text)])
    return hidden


def _positive(value: object, default: float) -> float:
    """A number from the settings file, or ``default`` when it holds none that fits."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) and number > 0 else default


def vessel_summary(vessel: VesselView, now_s: float | None) -> list[str]:
    """Name, type, speed and course, status, age of the last report: a tooltip's lines."""
    fix = vessel.fix
    static = vessel.static
    kind = ship_type_name(static.ship_type) or KIND.get(vessel.kind, vessel.kind)
    lines = [f"{static.name or '(no name yet)'} — MMSI {vessel.mmsi}", kind]
    if fix is not None:
        sog = "-" if fix.sog_kn is None else f"{fix.sog_kn:.1f} kn"
        cog = "-" if fix.cog_deg is None else f"{fix.cog_deg:.0f}°"
        lines.append(f"SOG {sog}, COG {cog}")
        status = nav_status_name(fix.nav_status)
        if status:
            lines.append(status)
    if now_s is not None:
        lines.append(f"last report {max(0.0, now_s - vessel.last_heard_s):.0f} s ago")
    if vessel.lost:
        lines.append("LOST")
    return lines

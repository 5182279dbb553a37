"""The main window: the map in the centre, the vessel list in a dock, the status
bar, menus and shortcuts. It only renders: a timer pulls the engine's snapshot a
few times a second and redraws when its version has changed."""

from __future__ import annotations

import math
import subprocess
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
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
from portwatch.ui.details_dock import DetailsDock
from portwatch.ui.history_range_dialog import HistoryRangeDialog
from portwatch.ui.map_view import MapView
from portwatch.ui.palette import THEMES, window_palette
from portwatch.ui.port_layers import LAYER_TITLES, LAYERS
from portwatch.ui.replay_bar import ReplayBar
from portwatch.ui.sources_dock import SourcesDock
from portwatch.ui.status_panel import StatusPanel
from portwatch.ui.tooltips import plain_tooltip
from portwatch.ui.vessel_picture import VesselPictureBuilder
from portwatch.ui.vessel_table import (
    COLUMNS,
    MMSI_ROLE,
    QUICK_FILTERS,
    VesselFilterModel,
    VesselTableModel,
)
from portwatch.vessel import Fix, VesselView

REFRESH_MS = 250
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
        self.theme = str(self.settings.value("theme", "night"))
        if self.theme not in THEMES:  # a settings file from elsewhere: not a reason to fail
            self.theme = "night"
        self.setWindowTitle(f"PortWatch — {port.name}")
        self.selected_mmsi: int | None = None
        self.following = False
        self._shown_version = -1
        self._picture_builder = VesselPictureBuilder(port.plane)
        self._snapshot: EngineSnapshot | None = None
        self.replay_bar: ReplayBar | None = None

        self.safety_depth_m = _positive(self.settings.value("chart/safety_depth_m"),
                                        DEFAULT_SAFETY_DEPTH_M)  # fmt: skip
        self.map = MapView(port, THEMES[self.theme], chart, self.safety_depth_m)
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
        self.status = StatusPanel(self.statusBar())
        self.status.note.setText(note)
        self._build_menus()
        self.map.cursor_moved.connect(self._on_cursor_moved)
        self.map.vessel_clicked.connect(self._on_vessel_clicked)
        self.map.vessel_hovered.connect(self._on_vessel_hovered)
        self.map.measured.connect(self._on_measured)
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

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(file_menu, "&Open log…", QKeySequence.StandardKey.Open, self._on_open_log)
        self._action(file_menu, "Replay &history…", "Ctrl+H", self._on_replay_history)
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view = menus.addMenu("&View")
        self.find_action = self._action(view, "&Find vessel", QKeySequence.StandardKey.Find,
                                        self._on_find)  # fmt: skip
        self.zoom_action = self._action(view, "&Zoom to port", "Ctrl+0", self.map.zoom_to_port)
        self.follow_action = self._action(view, "F&ollow selected", "F", self._on_follow_toggled)
        self.follow_action.setCheckable(True)
        self.measure_action = self._action(view, "&Measure range and bearing", "M",
                                           self._on_measure_toggled)  # fmt: skip
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
        self.night_action = self._action(view, "&Night colours", "Ctrl+N", self._on_theme_toggled)
        self.night_action.setCheckable(True)
        self.night_action.setChecked(self.theme == "night")
        self._action(
            view, "&Larger text", QKeySequence.StandardKey.ZoomIn, lambda: self._on_text_size(1)
        )
        self._action(view, "&Smaller text", QKeySequence.StandardKey.ZoomOut,
                     lambda: self._on_text_size(-1))  # fmt: skip
        view.addSeparator()
        view.addAction(self.vessel_dock.toggleViewAction())
        view.addAction(self.sources_dock.toggleViewAction())
        view.addAction(self.details_dock.toggleViewAction())
        toolbar = self.addToolBar("Tools")
        toolbar.setObjectName("tools")
        for action in (self.find_action, self.zoom_action, self.follow_action,
                       self.measure_action, self.night_action):  # fmt: skip
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
            action.toggled.connect(
                lambda on, name=layer: self.map.port_layers.set_visible(name, on)
            )
            self.layer_actions[layer] = action
        self.vessel_options = {}
        for title, attribute in (("Speed vectors", "show_vectors"), ("Trails", "show_trails"),
                                 ("Names", "show_labels")):  # fmt: skip
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

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def refresh(self) -> None:
        """Pull the engine's snapshot; redraw only when it has changed."""
        snapshot = self.engine.snapshot()
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
        self.map.vessels.set_picture(picture)
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
        if self._snapshot is not None:
            self.details_dock.show_vessel(
                self._snapshot.vessels.get(mmsi), self._snapshot.data_time_s
            )
        self.map.vessels.selected_mmsi = mmsi
        self.map.vessels.update()
        self._show_selection_in_list(scroll=True)

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

    def centre_on_vessel(self, mmsi: int) -> None:
        picture = self.map.vessels.picture
        index = picture.index_of(mmsi) if picture is not None else None
        if index is not None:
            self.map.centre_on(float(picture.x_m[index]), float(picture.y_m[index]))

    def _on_header_menu(self, position) -> None:
        """Right-click on the list's header: choose the columns shown."""
        menu = QMenu(self)
        for column, title in enumerate(COLUMNS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != 0)  # the name stays
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    def _on_tick(self) -> None:
        self.refresh()

    def _on_cursor_moved(self, lon: float, lat: float) -> None:
        self.status.show_cursor(lon, lat)

    def _on_vessel_clicked(self, mmsi: int) -> None:
        self.select_vessel(mmsi)

    def _on_search_edited(self, text: str) -> None:
        self.vessel_filter.set_search(text)
        self._keep_selection_in_list()

    def _on_quick_filter_chosen(self, name: str) -> None:
        self.vessel_filter.set_quick_filter(name)
        self._keep_selection_in_list()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Moving through the list with the keyboard selects as a click does."""
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
        QToolTip.showText(self.cursor().pos(), plain_tooltip(vessel_summary(
            vessel, self._snapshot.data_time_s)), self.map)  # fmt: skip

    def attach_replay(self, bar: ReplayBar) -> None:
        """Replay mode: the timeline under the map drives the log's clock."""
        self.replay_bar = bar
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bar)

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

    def _on_open_log(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a recorded log", "",
                                              "AIS logs (*.nmea *.nmea.gz *.txt *.log *.gz);;"
                                              "All files (*)")  # fmt: skip
        if path:
            self.open_log(path)

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
        self.vessel_dock.show()
        self.search.setFocus()
        self.search.selectAll()

    def _on_measure_toggled(self) -> None:
        self.map.set_measuring(self.measure_action.isChecked())

    def _on_measured(self, range_nm: float, bearing_deg: float) -> None:
        self.status.note.setText(f"range {range_nm:.2f} NM, bearing {bearing_deg:05.1f}° true")

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

    def _on_theme_toggled(self) -> None:
        self.apply_theme("night" if self.night_action.isChecked() else "day")

    def apply_theme(self, theme: str) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(window_palette(theme))
        self.map.set_colours(THEMES[theme])

    def _on_text_size(self, step: int) -> None:
        font = self.font()
        font.setPointSize(max(6, min(24, font.pointSize() + step)))
        self.setFont(font)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:  # a first run: most of the screen, the list a third of it
            screen = self.screen().availableGeometry()
            self.resize(int(screen.width() * 0.92), int(screen.height() * 0.9))
            self.resizeDocks([self.vessel_dock], [int(screen.width() * 0.3)],
                             Qt.Orientation.Horizontal)  # fmt: skip
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
        point_size = int(self.settings.value("font/point_size", 0) or 0)
        if point_size > 0:
            font = self.font()
            font.setPointSize(point_size)
            self.setFont(font)
        hidden = self.settings.value("list/hidden_columns") or []
        for column in [hidden] if isinstance(hidden, str) else hidden:
            self.table.setColumnHidden(int(column), True)
        self.apply_theme(self.theme)

    def save_settings(self) -> None:
        if self.replay_bar is not None:
            return  # a replay window beside the live one must not overwrite its layout
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        (west, east), (south, north) = self.map.view_box.viewRange()
        self.settings.setValue("map/view", [west, east, south, north])
        self.settings.setValue("theme", self.theme)
        self.settings.setValue("map/vector_minutes", self.map.vessels.vector_minutes)
        self.settings.setValue("chart/safety_depth_m", self.safety_depth_m)
        self.settings.setValue("font/point_size", self.font().pointSize())
        for name, action in self.vessel_options.items():
            self.settings.setValue(f"map/{name}", "true" if action.isChecked() else "false")
        self.settings.setValue("list/hidden_columns", [
            str(c) for c in range(len(COLUMNS)) if self.table.isColumnHidden(c)])  # fmt: skip
        self.settings.setValue("sources/disconnected", self.sources_dock.disconnected)
        for layer, action in self.layer_actions.items():
            self.settings.setValue(f"layers/{layer}", "true" if action.isChecked() else "false")
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.timer.stop()
        self.save_settings()
        super().closeEvent(event)


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

"""The Alerts panel: the open alerts, most urgent first, each with its vessels,
zone, the figure that raised it and its age; acknowledge or snooze with a click or
a key; a tab of the alerts that cleared. A new alert flashes the panel's title
and, when the operator asked for it, sounds.

The list comes from the engine's watch (``WatchView.alerts``, already in order);
acknowledging goes back through ``Engine.acknowledge`` so that it is an event of
the stream, kept in history and seen by the other workstations."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from portwatch.analytics.alerts import TITLES, Alert, figure_text, vessels_of
from portwatch.analytics.view import WatchView
from portwatch.centre.acknowledgements import workstation_user
from portwatch.display_text import plain
from portwatch.engine import Engine
from portwatch.ui.control_row import ControlRow
from portwatch.ui.keyed_table_model import PANEL_MINIMUM, KeyedTableModel, fit_once, panel_table
from portwatch.ui.palette import MapColours
from portwatch.ui.time_text import day_time
from portwatch.vessel import VesselView

COLUMNS = ("Alert", "Vessels", "Zone", "Figure", "Age", "State")
CLEARED_COLUMNS = ("Alert", "Vessels", "Zone", "Figure", "Raised (UTC)", "Cleared after")
SNOOZES_MIN = (5, 15, 30, 60)
FLASH_MS = 500
FLASH_TIMES = 20
"""The title flashes for ten seconds, or until the panel is looked at."""


def age_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def vessel_names(alert: Alert, vessels: Mapping[int, VesselView]) -> str:
    names = []
    for mmsi in vessels_of(alert):
        vessel = vessels.get(mmsi)
        name = vessel.static.name if vessel is not None else None
        if name is None and mmsi == alert.mmsi:
            name = alert.event.name
        names.append(plain(name) if name else str(mmsi))
    return " × ".join(names)


def state_text(alert: Alert, now_s: float | None) -> str:
    if alert.snoozed_until_s is not None and now_s is not None:
        return f"snoozed {age_text(max(0.0, alert.snoozed_until_s - now_s))}"
    if alert.acknowledged:
        return f"acknowledged by {plain(alert.acknowledged_by or '?')}"
    return "NEW"


class AlertsModel(KeyedTableModel):
    """Open (or cleared) alerts by id; urgent and unacknowledged ones stand out."""

    def __init__(self, cleared: bool = False) -> None:
        super().__init__()
        self.columns = CLEARED_COLUMNS if cleared else COLUMNS
        self.cleared = cleared
        self.colours: MapColours | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def update(
        self, alerts: tuple[Alert, ...], vessels: Mapping[int, VesselView], now_s: float | None
    ) -> None:
        rows = []
        for alert in alerts:
            title = TITLES.get(alert.kind, alert.kind)
            zone = plain(alert.zone or "")
            figure = figure_text(alert, None if self.cleared else now_s)
            if self.cleared:
                end = alert.cleared_s if alert.cleared_s is not None else alert.raised_s
                when = day_time(alert.raised_s, seconds=True)
                cells = (
                    title,
                    vessel_names(alert, vessels),
                    zone,
                    figure,
                    when,
                    age_text(end - alert.raised_s),
                )
            else:
                age = age_text(max(0.0, (now_s or alert.raised_s) - alert.raised_s))
                cells = (
                    title,
                    vessel_names(alert, vessels),
                    zone,
                    figure,
                    age,
                    state_text(alert, now_s),
                )
            rows.append((alert.id, cells, alert))
        self.set_rows(rows)

    def cell_role(self, record: object, column: int, role: int) -> object:
        alert = record
        if not isinstance(alert, Alert) or self.cleared:
            return None
        if role == Qt.ItemDataRole.FontRole and not alert.acknowledged:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and self.colours is not None:
            if alert.severity == 0 and not alert.acknowledged:
                return QBrush(QColor(self.colours.alert))
            if alert.severity <= 1 and not alert.acknowledged:
                return QBrush(QColor(self.colours.levels.get("busy", self.colours.alert)))
        return None


class AlertsDock(QDockWidget):
    """Open and cleared alerts; ``alert_chosen`` when the operator clicks one."""

    alert_chosen = Signal(object)
    """The ``Alert`` clicked (its vessels are selected and its situation drawn)."""

    def __init__(self, engine: Engine, sound: bool = False) -> None:
        super().__init__("Alerts")
        self.setObjectName("alerts")
        self.engine = engine
        self.user = workstation_user()
        self.model = AlertsModel()
        self.cleared_model = AlertsModel(cleared=True)
        self.tabs = QTabWidget()
        self.table = panel_table(self.model)
        self.cleared_table = panel_table(self.cleared_model)
        self.tabs.addTab(self.table, "Active")
        self.tabs.addTab(self.cleared_table, "Cleared")
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        row = ControlRow()
        self.acknowledge_button = QPushButton("&Acknowledge")
        self.acknowledge_button.setToolTip("Acknowledge the selected alert (Space)")
        self.acknowledge_button.clicked.connect(self._on_acknowledge)
        self.snooze_button = QPushButton("&Snooze")
        self.snooze_button.setToolTip(
            "Acknowledge for a while: it comes back unacknowledged if still there"
        )
        self.snooze_button.clicked.connect(self._on_snooze)
        self.snooze_minutes = QComboBox()
        for minutes in SNOOZES_MIN:
            self.snooze_minutes.addItem(f"{minutes} min", minutes)
        self.snooze_minutes.setCurrentIndex(1)
        self.sound = QCheckBox("Sound")
        self.sound.setToolTip("Sound when a new alert comes")
        self.sound.setChecked(sound)
        self.summary = QLabel("")
        row.addWidget(self.acknowledge_button)
        row.addWidget(self.snooze_button)
        row.addWidget(self.snooze_minutes)
        row.add_stretching(self.summary)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.sound)
        layout.addLayout(row)
        layout.addWidget(self.tabs)
        panel.setMinimumSize(*PANEL_MINIMUM)
        self.setWidget(panel)
        self.table.clicked.connect(self._on_clicked)
        self.table.activated.connect(self._on_clicked)
        self.cleared_table.clicked.connect(self._on_cleared_clicked)
        for key in (Qt.Key.Key_Space, Qt.Key.Key_A):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._on_acknowledge)
        self.seen: set[int] | None = None
        """Ids of the unacknowledged alerts already announced (None before the first look:
        alerts open when the window opens are not news)."""
        self.new_alerts = 0
        self.sounded = 0
        """How many times a new alert sounded (the tests read it; no audio device needed)."""
        self._flashes_left = 0
        self._flash_on = False
        self._flash = QTimer(self)
        self._flash.timeout.connect(self._on_flash)
        self.visibilityChanged.connect(self._on_visibility)
        self._title = "Alerts"
        self._now_s: float | None = None

    def set_colours(self, colours: MapColours) -> None:
        self.model.colours = colours
        self.cleared_model.colours = colours
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, 0),
                self.model.index(self.model.rowCount() - 1, len(COLUMNS) - 1),
            )

    def watch_new(self, watch: WatchView | None) -> None:
        """Every refresh, visible or not: a new unacknowledged alert flashes the title
        (and sounds when asked); the count stays in the title."""
        if watch is None:
            return
        unacknowledged = {a.id for a in watch.alerts if not a.acknowledged}
        if self.seen is not None:
            news = unacknowledged - self.seen
            if news:
                self.new_alerts += len(news)
                self._start_flash()
                if self.sound.isChecked():
                    self._sound()
        self.seen = unacknowledged
        count = len(unacknowledged)
        self._title = f"Alerts ({count} new)" if count else f"Alerts ({watch.open_alerts})"
        if not self._flash.isActive():
            self.setWindowTitle(self._title)

    def refresh(
        self, watch: WatchView | None, vessels: Mapping[int, VesselView], now_s: float | None
    ) -> None:
        """The lists (the window calls this about once a second while the panel shows)."""
        self._now_s = now_s
        if watch is None:
            return
        self.model.update(watch.alerts, vessels, now_s)
        fit_once(self.table)
        if self.tabs.currentWidget() is self.cleared_table:
            self.cleared_model.update(watch.cleared, vessels, now_s)
            fit_once(self.cleared_table)
        unacknowledged = sum(1 for a in watch.alerts if not a.acknowledged)
        listed = len(watch.alerts)
        if watch.open_alerts > listed:  # a crowd: only the most urgent are listed
            text = (
                f"{watch.open_alerts:,} open, the {listed:,} most urgent listed, "
                f"{unacknowledged:,} of them not acknowledged"
            )
        else:
            text = f"{listed} open, {unacknowledged} not acknowledged" if listed else ""
        self.summary.setText(text or "no open alerts")
        self.tabs.setTabText(1, f"Cleared ({len(watch.cleared)})")

    def selected_alert(self) -> Alert | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        record = self.model.record(rows[0].row())
        return record if isinstance(record, Alert) else None

    def acknowledge(self, alert: Alert, snooze_s: float | None = None) -> bool:
        done = self.engine.acknowledge(alert.id, self.user, snooze_s)
        if done:
            self._stop_flash()
        return done

    def _on_acknowledge(self) -> None:
        alert = self.selected_alert()
        if alert is not None:
            self.acknowledge(alert)

    def _on_snooze(self) -> None:
        alert = self.selected_alert()
        if alert is not None:
            self.acknowledge(alert, float(self.snooze_minutes.currentData()) * 60.0)

    def _on_clicked(self, index: QModelIndex) -> None:
        record = self.model.record(index.row())
        if isinstance(record, Alert):
            self.alert_chosen.emit(record)

    def _on_cleared_clicked(self, index: QModelIndex) -> None:
        record = self.cleared_model.record(index.row())
        if isinstance(record, Alert):
            self.alert_chosen.emit(record)

    def _sound(self) -> None:
        """A beep: the system's, which needs no audio device (without one, nothing
        is heard and nothing fails)."""
        self.sounded += 1
        QApplication.beep()

    def _start_flash(self) -> None:
        self._flashes_left = FLASH_TIMES
        if not self._flash.isActive():
            self._flash.start(FLASH_MS)

    def _stop_flash(self) -> None:
        self._flash.stop()
        self._flash_on = False
        self.setWindowTitle(self._title)

    def _on_flash(self) -> None:
        self._flashes_left -= 1
        self._flash_on = not self._flash_on
        if self._flashes_left <= 0:
            self._stop_flash()
            return
        self.setWindowTitle(f"⚠ {self._title.upper()} ⚠" if self._flash_on else self._title)

    def _on_visibility(self, visible: bool) -> None:
        if visible and self._flash.isActive() and self.isActiveWindow():
            self._stop_flash()

    @property
    def flashing(self) -> bool:
        return self._flash.isActive()

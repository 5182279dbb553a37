"""The Event log panel: the engine's event stream, newest first, filtered by kind,
zone and vessel, and exported (what the filter shows) as JSON Lines or CSV.

The window hands it only the events after the last one it has (``Engine.events_after``),
so a busy day costs a few rows a second, not a copy of the log."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portwatch.display_text import plain
from portwatch.events import Event, EventFilter, events_csv, events_jsonl
from portwatch.ui.control_row import ControlRow, compact
from portwatch.ui.flat_table_model import FlatTableModel
from portwatch.ui.keyed_table_model import (
    PANEL_MINIMUM,
    fit_once,
    long_text_tooltip,
    panel_table,
)
from portwatch.ui.time_text import day_time

COLUMNS = ("Time (UTC)", "Kind", "Vessel", "MMSI", "Zone", "Details")
KEEP = 20_000
"""Events the panel holds (the engine keeps as many)."""
ALL_KINDS = "All kinds"
ALL_ZONES = "All zones"


def _details(event: Event) -> str:
    details = {k: v for k, v in (event.details or {}).items() if k not in ("zone", "alert_id")}
    return ", ".join(f"{k} {v}" for k, v in details.items())


class EventsModel(FlatTableModel):
    """The filtered events, newest first; new ones are inserted at the top."""

    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Event] = []

    def row_total(self) -> int:
        return len(self.shown)

    def set_events(self, events: list[Event]) -> None:
        self.beginResetModel()
        self.shown = events
        self.endResetModel()

    def add_newest(self, events: list[Event]) -> None:
        """``events`` (oldest first) go on top, newest first."""
        if not events:
            return
        self.beginInsertRows(QModelIndex(), 0, len(events) - 1)
        self.shown[:0] = reversed(events)
        self.endInsertRows()
        if len(self.shown) > KEEP:
            self.beginRemoveRows(QModelIndex(), KEEP, len(self.shown) - 1)
            del self.shown[KEEP:]
            self.endRemoveRows()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(self.shown[index.row()], index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return long_text_tooltip(_text(self.shown[index.row()], index.column()))
        return None

    def row_texts(self, row: int) -> tuple[str, ...]:
        event = self.shown[row]
        return tuple(_text(event, column) for column in range(len(COLUMNS)))


def _text(event: Event, column: int) -> str:
    """What the log shows of ``event`` in ``column``."""
    if column == 0:
        return day_time(event.time_s, seconds=True)
    if column == 1:
        return event.kind
    if column == 2:
        return plain(event.name)
    if column == 3:
        return "" if event.mmsi is None else str(event.mmsi)
    if column == 4:
        return plain((event.details or {}).get("zone") or "")
    return plain(_details(event))


class EventsDock(QDockWidget):
    """The event log; ``vessel_chosen`` with the MMSI of a row clicked."""

    vessel_chosen = Signal(int)

    def __init__(self, zones: list[str]) -> None:
        super().__init__("Event log")
        self.setObjectName("events")
        self.events: deque[Event] = deque(maxlen=KEEP)
        self.last_number = 0
        self.model = EventsModel()
        self.table = panel_table(self.model)
        self.kind = QComboBox()
        self.kind.addItem(ALL_KINDS)
        self._kinds: set[str] = set()
        self.zone = QComboBox()
        self.zone.addItem(ALL_ZONES)
        self.zone.addItems(zones)
        self.vessel = QLineEdit()
        self.vessel.setPlaceholderText("Vessel: name or MMSI")
        self.vessel.setClearButtonEnabled(True)
        self.count = QLabel("")
        self.jsonl_button = QPushButton("Export &JSONL…")
        self.csv_button = QPushButton("Export CS&V…")
        row = ControlRow()
        for widget in (compact(self.kind), compact(self.zone), self.vessel):
            row.addWidget(widget)
        row.add_stretching(self.count)
        row.addWidget(self.jsonl_button)
        row.addWidget(self.csv_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(row)
        layout.addWidget(self.table)
        panel.setMinimumSize(*PANEL_MINIMUM)
        self.setWidget(panel)
        self.kind.currentTextChanged.connect(self._on_filter_changed)
        self.zone.currentTextChanged.connect(self._on_filter_changed)
        self.vessel.textChanged.connect(self._on_filter_changed)
        self.jsonl_button.clicked.connect(lambda: self._on_export("jsonl"))
        self.csv_button.clicked.connect(lambda: self._on_export("csv"))
        self.table.clicked.connect(self._on_clicked)
        self.filter = EventFilter()

    def take(self, number: int, events: list[Event]) -> None:
        """New events from the engine (numbered up to ``number``): kept, and shown when
        the filter lets them through."""
        self.last_number = number
        if not events:
            return
        self.events.extend(events)
        for kind in {e.kind for e in events} - self._kinds:
            self._kinds.add(kind)
            self.kind.blockSignals(True)
            current = self.kind.currentText()
            self.kind.clear()
            self.kind.addItems([ALL_KINDS, *sorted(self._kinds)])
            self.kind.setCurrentText(current)
            self.kind.blockSignals(False)
        self.model.add_newest([e for e in events if self.filter.accepts(e)])
        fit_once(self.table)
        self._show_count()

    def set_filter(
        self, kind: str | None = None, zone: str | None = None, vessel: str = ""
    ) -> None:
        self.kind.setCurrentText(kind or ALL_KINDS)
        self.zone.setCurrentText(zone or ALL_ZONES)
        self.vessel.setText(vessel)
        self._on_filter_changed()

    def shown_events(self) -> list[Event]:
        """What the filter shows, oldest first (as exported)."""
        return list(reversed(self.model.shown))

    def export(self, path: str, fmt: str) -> int:
        events = self.shown_events()
        text = events_jsonl(events) if fmt == "jsonl" else events_csv(events)
        Path(path).write_text(text, encoding="utf-8")
        return len(events)

    def _on_filter_changed(self, *_args: object) -> None:
        kind = self.kind.currentText()
        zone = self.zone.currentText()
        self.filter = EventFilter(
            kinds=frozenset() if kind == ALL_KINDS else frozenset({kind}),
            zone=None if zone == ALL_ZONES else zone,
            vessel=self.vessel.text(),
        )
        self._apply_filter()

    def _apply_filter(self) -> None:
        accepts = self.filter.accepts
        self.model.set_events([e for e in reversed(self.events) if accepts(e)])
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(f"{len(self.model.shown):,} of {len(self.events):,} events")

    def _on_export(self, fmt: str) -> None:
        suffix = "JSON Lines (*.jsonl)" if fmt == "jsonl" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, "Export events", f"events.{fmt}", suffix)
        if path:
            self.export(path, fmt)

    def _on_clicked(self, index: QModelIndex) -> None:
        event = self.model.shown[index.row()]
        if event.mmsi is not None:
            self.vessel_chosen.emit(event.mmsi)

"""The Berths panel: each berth of the port file with the ship alongside, since
when, and how busy the berth was over the last seven days (a bar a day); and the
port-call list from the history database (pilot boarding place, anchor, berth,
departure and durations), filtered by day, vessel and terminal, exported as CSV.

The berths come live from the watch; the port calls are read from history in a
thread (``portwatch port-calls`` prints the same list), never in the GUI thread."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from portwatch.analytics.berths import BerthState
from portwatch.analytics.view import WatchView
from portwatch.display_text import plain
from portwatch.history.port_call_list import PortCallRow, port_calls_csv, read_port_calls
from portwatch.history.store import HistoryError
from portwatch.port.port_file import Port
from portwatch.ui.alerts_dock import age_text
from portwatch.ui.control_row import ControlRow, compact
from portwatch.ui.keyed_table_model import PANEL_MINIMUM, KeyedTableModel, fit_once, panel_table
from portwatch.ui.time_text import day_time
from portwatch.vessel import VesselView

BERTH_COLUMNS = (
    "Berth",
    "Terminal",
    "Alongside",
    "Since (UTC)",
    "For",
    "Occupied 7 d",
    "Last 7 days",
)
CALL_COLUMNS = (
    "Vessel",
    "MMSI",
    "Pilot boarding (UTC)",
    "Anchorage",
    "At anchor",
    "Berth",
    "Terminal",
    "Berthed (UTC)",
    "Departed (UTC)",
    "Pilot → berth",
    "Alongside",
)
ALL_DAYS, ALL_TERMINALS = "All days", "All terminals"
_BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(shares: tuple[float, ...]) -> str:
    """Shares 0-1 as block characters, one a day: a week at a glance in a cell."""
    return "".join(_BLOCKS[min(8, round(share * 8))] for share in shares)


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else age_text(seconds)


class BerthsModel(KeyedTableModel):
    columns = BERTH_COLUMNS

    def update(
        self, berths: tuple[BerthState, ...], vessels: Mapping[int, VesselView], now_s: float
    ) -> None:
        rows = []
        for berth in berths:
            names, since, lasting = [], "", ""
            for mmsi, _since_s in berth.alongside:
                vessel = vessels.get(mmsi)
                name = vessel.static.name if vessel is not None else None
                names.append(plain(name) or str(mmsi))
            if berth.alongside:
                since_s = berth.alongside[0][1]
                since, lasting = day_time(since_s), age_text(max(0.0, now_s - since_s))
            cells = (
                plain(berth.name),
                plain(berth.terminal),
                ", ".join(names),
                since,
                lasting,
                f"{berth.occupied_share_7d:.0%}",
                sparkline(berth.daily_share),
            )
            rows.append((berth.name, cells, berth))
        self.set_rows(rows)


class CallsModel(KeyedTableModel):
    columns = CALL_COLUMNS

    def update(self, calls: list[PortCallRow]) -> None:
        self.set_rows(
            [
                (
                    (c.mmsi, c.started_s),
                    (
                        plain(c.name) or str(c.mmsi),
                        str(c.mmsi),
                        day_time(c.station_s),
                        plain(c.anchorage),
                        _hours(c.at_anchor_s) if c.anchored_s else "",
                        plain(c.berth),
                        plain(c.terminal),
                        day_time(c.berthed_s),
                        day_time(c.departed_s),
                        _hours(c.station_to_berth_s),
                        _hours(c.alongside_s),
                    ),
                    c,
                )
                for c in calls
            ]
        )


class CallsLoader(QObject):
    """Reads the port calls from history in a thread; ``loaded`` brings them back."""

    loaded = Signal(object, str)
    """The calls (a list of PortCallRow) and an error message or ""."""

    def load(self, db_path: str, terminals: Mapping[str, str]) -> None:
        def work() -> None:
            try:
                self.loaded.emit(read_port_calls(db_path, None, terminals), "")
            except (HistoryError, sqlite3.Error, OSError) as error:
                self.loaded.emit([], str(error) or type(error).__name__)

        threading.Thread(target=work, name="port calls", daemon=True).start()


class BerthsDock(QDockWidget):
    """Berths live, port calls from ``db_path``; ``vessel_chosen`` on a click."""

    vessel_chosen = Signal(int)

    def __init__(self, port: Port, db_path: str | None) -> None:
        super().__init__("Berths")
        self.setObjectName("berths")
        self.db_path = db_path
        self.terminals = {
            f.name: str(f.properties["terminal"])
            for f in port.of_kind("berth")
            if f.properties.get("terminal")
        }
        self.berths = BerthsModel()
        self.berths_table = panel_table(self.berths)
        self.calls = CallsModel()
        self.calls_table = panel_table(self.calls)
        self.all_calls: list[PortCallRow] = []
        self.day = QComboBox()
        self.day.addItem(ALL_DAYS)
        self.terminal = QComboBox()
        self.terminal.addItems([ALL_TERMINALS, *sorted(set(self.terminals.values()))])
        self.vessel = QLineEdit()
        self.vessel.setPlaceholderText("Vessel: name or MMSI")
        self.vessel.setClearButtonEnabled(True)
        self.reload_button = QPushButton("&Reload")
        self.csv_button = QPushButton("Export CS&V…")
        self.note = QLabel("" if db_path else "Port calls need a history database (--db).")
        row = ControlRow()
        for widget in (compact(self.day, 10), compact(self.terminal), self.vessel):
            row.addWidget(widget)
        row.add_stretching(self.note)
        row.addWidget(self.reload_button)
        row.addWidget(self.csv_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.calls_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.berths_table)
        splitter.addWidget(lower)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(splitter)
        panel.setMinimumSize(*PANEL_MINIMUM)
        self.setWidget(panel)
        self.loader = CallsLoader()
        self.loader.loaded.connect(self._on_loaded)
        self.loading = False
        self.reload_button.clicked.connect(self.reload)
        self.csv_button.clicked.connect(self._on_export)
        self.day.currentTextChanged.connect(self._apply_filter)
        self.terminal.currentTextChanged.connect(self._apply_filter)
        self.vessel.textChanged.connect(self._apply_filter)
        self.berths_table.clicked.connect(self._on_berth_clicked)
        self.calls_table.clicked.connect(self._on_call_clicked)
        self.visibilityChanged.connect(self._on_visibility)
        for widget in (self.reload_button, self.csv_button):
            widget.setEnabled(db_path is not None)

    def refresh(self, watch: WatchView | None, vessels: Mapping[int, VesselView]) -> None:
        if watch is None or watch.time_s is None:
            return
        self.berths.update(watch.berths, vessels, watch.time_s)
        fit_once(self.berths_table)

    def reload(self) -> None:
        """Read the port calls again from history (in a thread)."""
        if self.db_path is None or self.loading:
            return
        self.loading = True
        self.note.setText("reading port calls…")
        self.loader.load(self.db_path, self.terminals)

    def shown_calls(self) -> list[PortCallRow]:
        return [c for c in self.calls.records() if isinstance(c, PortCallRow)]

    def export(self, path: str) -> int:
        calls = self.shown_calls()
        Path(path).write_text(port_calls_csv(calls), encoding="utf-8")
        return len(calls)

    def _on_loaded(self, calls: list[PortCallRow], error: str) -> None:
        self.loading = False
        self.all_calls = calls
        self.note.setText(error or f"{len(calls)} port calls in history")
        days = sorted({c.day for c in calls}, reverse=True)
        current = self.day.currentText()
        self.day.blockSignals(True)
        self.day.clear()
        self.day.addItems([ALL_DAYS, *days])
        self.day.setCurrentText(current)
        self.day.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self, *_args: object) -> None:
        day, terminal = self.day.currentText(), self.terminal.currentText()
        wanted = self.vessel.text().strip().lower()
        calls = [
            c
            for c in self.all_calls
            if (day == ALL_DAYS or c.day == day)
            and (terminal == ALL_TERMINALS or c.terminal == terminal)
            and (not wanted or wanted in (c.name or "").lower() or str(c.mmsi).startswith(wanted))
        ]
        self.calls.update(calls)
        fit_once(self.calls_table)

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export port calls", "port-calls.csv", "CSV (*.csv)"
        )
        if path:
            self.export(path)

    def _on_visibility(self, visible: bool) -> None:
        if visible and not self.all_calls:
            self.reload()

    def _on_berth_clicked(self, index) -> None:
        berth = self.berths.record(index.row())
        if isinstance(berth, BerthState) and berth.alongside:
            self.vessel_chosen.emit(berth.alongside[0][0])

    def _on_call_clicked(self, index) -> None:
        call = self.calls.record(index.row())
        if isinstance(call, PortCallRow):
            self.vessel_chosen.emit(call.mmsi)

"""The vessel details dock: every static and voyage field, the reported ETA and
destination, the last report of each message type, and a button that loads the
vessel's track from the history database for a chosen period and draws it.

The track is read in a worker thread with its own SQLite connection, so a long
history never freezes the window; the result comes back by a queued signal.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portwatch.ais_names import KIND, nav_status_name, ship_type_name
from portwatch.display_text import plain
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.ui.status_panel import degrees_minutes
from portwatch.vessel import Fix, VesselView

PERIODS_H = {"last hour": 1, "last 6 hours": 6, "last 24 hours": 24, "last 7 days": 168}


def _utc(time_s: float | None) -> str:
    if time_s is None:
        return ""
    return datetime.fromtimestamp(time_s, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def vessel_fields(vessel: VesselView, now_s: float | None = None) -> list[tuple[str, str]]:
    """(label, plain text) for every field worth showing, in reading order; a
    reported ETA the data clock (``now_s``) has passed is marked stale."""
    static = vessel.static
    fix = vessel.fix
    fields = [
        ("Name", plain(static.name)),
        ("MMSI", str(vessel.mmsi)),
        ("Call sign", plain(static.callsign)),
        ("IMO", str(static.imo or "")),
        ("Station", KIND.get(vessel.kind, vessel.kind)),
        ("Type", ship_type_name(static.ship_type)),
        ("Length × beam", _dimensions(vessel)),
        ("Draught", "" if static.draught_m is None else f"{static.draught_m:.1f} m"),
        ("Destination", plain(static.destination)),
        ("Reported ETA", _eta(static.eta_reported_s, now_s)),
    ]
    if fix is not None:
        fields += [
            ("Status", nav_status_name(fix.nav_status)),
            ("SOG", "" if fix.sog_kn is None else f"{fix.sog_kn:.1f} kn"),
            ("COG", "" if fix.cog_deg is None else f"{fix.cog_deg:.1f}°"),
            ("Heading", "" if fix.heading_deg is None else f"{fix.heading_deg}°"),
            (
                "Position",
                f"{degrees_minutes(fix.lat, 'N', 'S')} {degrees_minutes(fix.lon, 'E', 'W')}",
            ),
            ("Position time", _utc(fix.time_s)),
        ]
    fields += [
        ("First seen", _utc(vessel.first_seen_s)),
        ("Last heard", _utc(vessel.last_heard_s)),
        ("Messages", f"{vessel.messages:,}"),
        ("Rejected positions", str(vessel.rejected_fixes)),
        ("Lost", "yes" if vessel.lost else "no"),
    ]
    fields += [
        (f"Last type {msg_type}", _utc(time_s))
        for msg_type, time_s in sorted(vessel.last_report_s.items())
    ]
    return fields


def _eta(eta_s: float | None, now_s: float | None) -> str:
    """A reported ETA, said to be stale once passed: the crew has not updated it."""
    text = _utc(eta_s)
    if eta_s is not None and now_s is not None and eta_s < now_s:
        return f"{text} (passed: stale)"
    return text


def _dimensions(vessel: VesselView) -> str:
    static = vessel.static
    if static.length_m is None or static.beam_m is None:
        return ""
    return f"{static.length_m} × {static.beam_m} m"


class TrackLoader(QObject):
    """Reads a track from the history in a thread; ``loaded`` brings it back."""

    loaded = Signal(int, int, object, str)
    """Request number, MMSI, the fixes (list of Fix), and an error message or ""."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def load(self, db_path: str, mmsi: int, since_s: float, until_s: float) -> int:
        """Start reading; returns the request's number, which ``loaded`` carries."""
        self.requests += 1
        request = self.requests

        def work() -> None:
            try:
                with HistoryStore.open(db_path, create=False, readonly=True) as store:
                    fixes: list[Fix] = store.track(mmsi, since_s, until_s)
                self.loaded.emit(request, mmsi, fixes, "")
            except (HistoryError, sqlite3.Error, OSError) as error:
                self.loaded.emit(request, mmsi, [], str(error) or type(error).__name__)

        threading.Thread(target=work, name=f"track {mmsi}", daemon=True).start()
        return request


class DetailsDock(QDockWidget):
    """Shows the selected vessel; asks for its track from ``db_path``."""

    track_loaded = Signal(int, object)
    """MMSI and its fixes, for the map to draw."""

    def __init__(self, db_path: str | None) -> None:
        super().__init__("Vessel details")
        self.setObjectName("details")
        self.db_path = db_path
        self.mmsi: int | None = None
        self._now_s: float | None = None
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        self.table = QTableWidget(0, 2)
        self.table.horizontalHeader().setVisible(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.period = QComboBox()
        self.period.addItems(list(PERIODS_H))
        self.show_track = QPushButton("Show track")
        self.show_track.clicked.connect(self._on_show_track_clicked)
        self.show_track.setEnabled(False)
        row.addWidget(self.period)
        row.addWidget(self.show_track)
        layout.addLayout(row)
        self.message = QLabel("" if db_path else "No history database: tracks cannot be loaded")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setWidget(panel)
        self.loader = TrackLoader()
        self.loader.loaded.connect(self._on_loaded)
        self._awaited = 0
        """The track request whose answer is wanted: only the last one asked for."""

    def show_vessel(self, vessel: VesselView | None, now_s: float | None) -> None:
        self._now_s = now_s
        fields = vessel_fields(vessel, now_s) if vessel is not None else []
        self.mmsi = vessel.mmsi if vessel is not None else None
        self.show_track.setEnabled(vessel is not None and self.db_path is not None)
        self.table.setRowCount(len(fields))
        for row, (label, value) in enumerate(fields):
            for column, text in enumerate((label, value)):
                item = self.table.item(row, column)
                if item is None:
                    # QTableWidgetItem shows its text as given: never rich text.
                    self.table.setItem(row, column, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)

    def _on_show_track_clicked(self) -> None:
        self.request_track()

    def request_track(self) -> None:
        if self.mmsi is None or self.db_path is None or self._now_s is None:
            return
        hours = PERIODS_H[self.period.currentText()]
        self.message.setText(f"loading the {self.period.currentText()} of {self.mmsi}…")
        self._awaited = self.loader.load(
            self.db_path, self.mmsi, self._now_s - hours * 3600.0, self._now_s
        )

    def _on_loaded(self, request: int, mmsi: int, fixes: list[Fix], error: str) -> None:
        if request != self._awaited or mmsi != self.mmsi:
            return  # an earlier request (a slow week after a quick hour), or another vessel
        if error:
            self.message.setText(f"track not loaded: {error}")
            return
        self.message.setText(f"{len(fixes):,} positions of {mmsi} drawn on the map")
        self.track_loaded.emit(mmsi, fixes)

"""Choosing a time range of the history database to replay.

An analyst asks "what happened between 08:00 and 12:00 yesterday": the dialog
offers the span history holds, in UTC like every time in the app, and starts
on its last two hours.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

DEFAULT_RANGE_S = 2 * 3600.0
FORMAT = "yyyy-MM-dd HH:mm:ss 'UTC'"


class HistoryRangeDialog(QDialog):
    """From and to, within ``span_s`` (the first and last data time in history)."""

    def __init__(self, database: str, span_s: tuple[float, float], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Replay history")
        first_s, last_s = span_s
        self.since = _time_edit(first_s, last_s, max(first_s, last_s - DEFAULT_RANGE_S))
        self.until = _time_edit(first_s, last_s, last_s)
        self.since.dateTimeChanged.connect(self._on_since_changed)
        self.until.dateTimeChanged.connect(self._on_until_changed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Replay")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        source = QLabel(database)
        source.setTextFormat(Qt.TextFormat.PlainText)
        layout.addRow("Database", source)
        held = QLabel(f"{_utc_text(first_s)} to {_utc_text(last_s)}")
        held.setTextFormat(Qt.TextFormat.PlainText)
        layout.addRow("History holds", held)
        layout.addRow("From", self.since)
        layout.addRow("To", self.until)
        layout.addRow(buttons)

    def range_s(self) -> tuple[float, float]:
        return (
            self.since.dateTime().toSecsSinceEpoch() * 1.0,
            self.until.dateTime().toSecsSinceEpoch() * 1.0,
        )

    def _on_since_changed(self, moment: QDateTime) -> None:
        if self.until.dateTime() < moment:
            self.until.setDateTime(moment)

    def _on_until_changed(self, moment: QDateTime) -> None:
        if self.since.dateTime() > moment:
            self.since.setDateTime(moment)


def _time_edit(first_s: float, last_s: float, value_s: float) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat(FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateTimeRange(_moment(first_s), _moment(-(-last_s // 1)))
    edit.setDateTime(_moment(value_s))
    return edit


def _moment(seconds: float) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(seconds), QTimeZone.utc())


def _utc_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

"""The Sources dock: every source's state at a glance, with its rate and counters;
add one by URL (a serial-port picker lists this machine's ports), disconnect,
connect again, remove. The window's session keeps them between runs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portwatch.display_text import plain
from portwatch.engine import Engine
from portwatch.sources.base import SourceStatus
from portwatch.sources.urls import DEFAULT_BAUD, REPLAY_KINDS, SourceUrlError, parse_source_url
from portwatch.ui.flat_table_model import FlatTableModel
from portwatch.ui.status_panel import source_colour

COLUMNS = ("Source", "State", "Lines/s", "Lines", "Malformed", "Reconnects")
Index = QModelIndex | QPersistentModelIndex


class SourcesModel(FlatTableModel):
    """The engine's sources, and the ones the operator disconnected, a row each."""

    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[SourceStatus | str] = []
        """A status for a connected source, the URL of a disconnected one."""

    def update(self, statuses: tuple[SourceStatus, ...], disconnected: list[str]) -> None:
        rows: list[SourceStatus | str] = [*statuses, *disconnected]
        if [_name(r) for r in rows] != [_name(r) for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))

    def name(self, row: int) -> str | None:
        return _name(self._rows[row]) if 0 <= row < len(self._rows) else None

    def is_connected(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and not isinstance(self._rows[row], str)

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        state = "disconnected" if isinstance(row, str) else row.state
        if role == Qt.ItemDataRole.ForegroundRole and column == "State":
            return QBrush(QColor(source_colour(state) if state != "disconnected" else "#8a8f96"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "Source":
            return plain(_name(row))
        if column == "State":
            return f"● {plain(state)}"
        if isinstance(row, str):
            return ""
        return {
            "Lines/s": f"{row.lines_per_s:.1f}",
            "Lines": f"{row.lines:,}",
            "Malformed": f"{row.malformed:,}",
            "Reconnects": str(row.reconnects),
        }[column]


def _name(row: SourceStatus | str) -> str:
    return row if isinstance(row, str) else row.name


def serial_ports() -> list[str]:
    """This machine's serial ports, as pyserial lists them."""
    try:
        from serial.tools import list_ports
    except ImportError:
        return []
    return sorted(port.device for port in list_ports.comports())


class SourcesDock(QDockWidget):
    """Adds, disconnects, reconnects and removes the engine's sources."""

    def __init__(self, engine: Engine, disconnected: list[str] | None = None) -> None:
        super().__init__("Sources")
        self.setObjectName("sources")
        self.engine = engine
        self.disconnected: list[str] = list(disconnected or [])
        self.model = SourcesModel()
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("tcp://HOST:PORT, udp://127.0.0.1:PORT, serial:///dev/ttyUSB0")
        self.url.returnPressed.connect(self._on_add_clicked)
        self.serial = QComboBox()
        self.serial.addItem("Serial port…")
        self.serial.addItems(serial_ports())
        self.serial.activated.connect(self._on_serial_chosen)
        add = QPushButton("Add")
        add.clicked.connect(self._on_add_clicked)
        row.addWidget(self.url, 1)
        row.addWidget(self.serial)
        row.addWidget(add)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.toggle_button = QPushButton("Disconnect / connect")
        self.toggle_button.clicked.connect(self._on_toggle_clicked)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._on_remove_clicked)
        buttons.addWidget(self.toggle_button)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(panel)

    def refresh(self, statuses: tuple[SourceStatus, ...]) -> None:
        self.model.update(statuses, self.disconnected)

    def add(self, url: str) -> bool:
        """Add the source ``url``; a bad URL is said in the dock, not raised."""
        url = url.strip()
        try:
            parsed = parse_source_url(url)
            if parsed.kind in REPLAY_KINDS:  # it would pour old data into the live picture
                raise SourceUrlError(
                    f"{url!r} is a recording: replay it with File > Open log or Replay history"
                )
            if any(source.name == parsed.text for source in self.engine.sources):
                raise SourceUrlError(f"{url!r} is already a source")
            self.engine.add_source(parsed)
        except SourceUrlError as error:
            self.message.setText(str(error))
            return False
        if url in self.disconnected:
            self.disconnected.remove(url)
        self.message.setText(f"added {url}")
        self.refresh(self.engine.source_statuses())
        return True

    def _on_add_clicked(self) -> None:
        if self.add(self.url.text()):
            self.url.clear()

    def _on_toggle_clicked(self) -> None:
        self.toggle_selected()

    def _on_remove_clicked(self) -> None:
        """Removing forgets the source (it is not kept for the next run): asked first,
        as one click on the wrong row would stop a receiver's feed."""
        row = self._selected_row()
        name = self.model.name(row) if row is not None else None
        if name is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove source",
            f"Remove {plain(name)}? Its data stop coming in, and it is not kept for the next run.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.remove_selected()

    def toggle_selected(self) -> None:
        row = self._selected_row()
        name = self.model.name(row) if row is not None else None
        if name is None:
            return
        if self.model.is_connected(row):
            self.engine.remove_source(name)
            self.disconnected.append(name)
            self.message.setText(f"disconnected {name}")
        else:
            self.add(name)
        self.refresh(self.engine.source_statuses())

    def remove_selected(self) -> None:
        row = self._selected_row()
        name = self.model.name(row) if row is not None else None
        if name is None:
            return
        self.engine.remove_source(name)
        if name in self.disconnected:
            self.disconnected.remove(name)
        self.message.setText(f"removed {name}")
        self.refresh(self.engine.source_statuses())

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_serial_chosen(self, index: int) -> None:
        if index > 0:
            self.url.setText(f"serial://{self.serial.itemText(index)}?baud={DEFAULT_BAUD}")

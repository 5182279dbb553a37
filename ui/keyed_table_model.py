"""A flat table whose rows have keys, updated by difference: rows that went are
removed, new ones inserted, moved ones reordered as a layout change, and only the
cells that changed are announced.

The operations panels refresh about once a second while the operator works in
them: a model reset each time would drop the selection, the scroll position and
the current row, and repaint every cell. By difference, a selected alert stays
selected while its age ticks on."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from portwatch.ui.flat_table_model import FlatTableModel

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's key (an alert's id, an anchorage's name, an MMSI)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
PANEL_MINIMUM = (160, 90)
"""A panel may be squeezed this small (its buttons then clip): it must never make the
window larger than the screen or the map smaller than the operator wants."""


class KeyedTableModel(FlatTableModel):
    """Rows of ``(key, cells, extra)``: ``cells`` the displayed texts, ``extra`` what a
    subclass keeps for colours and actions (the record itself)."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[Hashable] = []
        self._cells: list[tuple[str, ...]] = []
        self._records: list[object] = []
        self._row_of: dict[Hashable, int] = {}

    def row_total(self) -> int:
        return len(self._keys)

    def key(self, row: int) -> Hashable | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def record(self, row: int) -> object | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, key: Hashable) -> int | None:
        return self._row_of.get(key)

    def records(self) -> list[object]:
        return list(self._records)

    def set_rows(self, rows: Sequence[tuple[Hashable, tuple[str, ...], object]]) -> None:
        """Make the table ``rows``, announcing only what differs."""
        wanted = [key for key, _, _ in rows]
        wanted_set = set(wanted)
        for row in range(len(self._keys) - 1, -1, -1):  # from the end: rows stay put
            if self._keys[row] not in wanted_set:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._keys[row], self._cells[row], self._records[row]
                self.endRemoveRows()
        present = set(self._keys)
        new = [(key, cells, record) for key, cells, record in rows if key not in present]
        if new:
            first = len(self._keys)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for key, cells, record in new:
                self._keys.append(key)
                self._cells.append(cells)
                self._records.append(record)
            self.endInsertRows()
        if self._keys != wanted:
            self._reorder(rows)
        else:
            self._change_cells(rows)
        self._row_of = {key: row for row, key in enumerate(self._keys)}

    def _reorder(self, rows: Sequence[tuple[Hashable, tuple[str, ...], object]]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_row = {key: row for row, key in enumerate(self._keys)}
        persistent = self.persistentIndexList()
        self._keys = [key for key, _, _ in rows]
        self._cells = [cells for _, cells, _ in rows]
        self._records = [record for _, _, record in rows]
        new_row = {key: row for row, key in enumerate(self._keys)}
        moved_from = {row: key for key, row in old_row.items()}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_row[moved_from[i.row()]], i.column()) for i in persistent],
        )
        self.layoutChanged.emit()

    def _change_cells(self, rows: Sequence[tuple[Hashable, tuple[str, ...], object]]) -> None:
        last_column = len(self.columns) - 1
        first_changed = None
        last_changed = None
        for row, (_, cells, record) in enumerate(rows):
            self._records[row] = record
            if cells != self._cells[row]:
                self._cells[row] = cells
                first_changed = row if first_changed is None else first_changed
                last_changed = row
        if first_changed is not None:
            self.dataChanged.emit(
                self.index(first_changed, 0), self.index(last_changed, last_column)
            )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == KEY_ROLE:
            return self._keys[row]
        return self.cell_role(self._records[row], column, role)

    def cell_role(self, record: object, column: int, role: int) -> object:
        """Colours, alignment and tooltips of one cell: subclasses say."""
        return None


def panel_table(model: KeyedTableModel) -> QTableView:
    """A panel's table: whole rows selected, one at a time, no row numbers; columns
    sized to their contents once there are rows (``fit_once``), not on every change,
    which would measure every cell each second."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setProperty("fitted", False)
    return table


def fit_once(table: QTableView) -> None:
    """Size the columns to what they hold, the first time there is something."""
    if not table.property("fitted") and table.model().rowCount():
        table.resizeColumnsToContents()
        table.setProperty("fitted", True)

"""What the app's flat tables share: fixed column titles, rows without children.

Written once, so that each table model says only what its rows are."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class FlatTableModel(QAbstractTableModel):
    """A table model with the titles ``columns``; subclasses say how many rows."""

    columns: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None

    def row_texts(self, row: int) -> tuple[str, ...]:
        """The texts a row shows, column by column (what a table measures to fit
        its columns); a model that keeps them as text says so faster."""
        return tuple(str(self.index(row, c).data() or "") for c in range(len(self.columns)))

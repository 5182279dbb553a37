"""A flat table whose rows have keys, updated by difference: rows that went are
removed, new ones inserted, moved ones reordered as a layout change, and only the
cells that changed are announced.

The operations panels refresh about once a second while the operator works in
them: a model reset each time would drop the selection, the scroll position and
the current row, and repaint every cell. By difference, a selected alert stays
selected while its age ticks on."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from portwatch.ui.flat_table_model import FlatTableModel
from portwatch.ui.tooltips import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's key (an alert's id, an anchorage's name, an MMSI)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
WIDEST_COLUMN_CHARS = 64
"""No column is fitted wider than this many average characters (an anchorage's
long name fits): a list of a berth's ships or an event's details is cut there,
whole in its tooltip, rather than pushing the other columns out of sight."""
LONG_TEXT_CHARS = 40
"""A cell's text this long has itself as its tooltip: it may be cut."""
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

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._cells[row]

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
        answer = self.cell_role(self._records[row], column, role)
        if answer is None and role == Qt.ItemDataRole.ToolTipRole:
            return long_text_tooltip(self._cells[row][column])
        return answer

    def cell_role(self, record: object, column: int, role: int) -> object:
        """Colours, alignment and tooltips of one cell: subclasses say."""
        return None


def text_row_height(font: QFont) -> int:
    """A table row's height for ``font``: the text and a little air, at every text
    size (Qt's default row is 30 px whatever the font: too tall for small text,
    too short for large)."""
    return round(QFontMetricsF(font).height()) + 6


class PanelTable(QTableView):
    """A panel's table: whole rows selected, one at a time, no row numbers; rows as
    tall as the text; columns as wide as their titles and what they hold, fitted
    again when the text size changes (View > Larger text) and widened when what
    they hold grows, so that nothing is cut. The last column takes the room left,
    when there is room: otherwise the table scrolls sideways rather than cut it."""

    def __init__(self, model: FlatTableModel, stretch_last: bool = True) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._stretch_last = stretch_last
        self._fitted: dict[int, int] = {}
        """Each column's width as last fitted to its contents (the operator may have
        made it narrower since: it is widened again only when the contents grow)."""
        self.fitted_to_rows = False
        self._text_px: dict[tuple[str, bool], int] = {}
        """Texts measured (and whether in the model's own font, a bold one), in pixels."""
        self.fit_text()

    def fit_text(self) -> None:
        """Rows for the font, and the columns to their titles and what they hold."""
        self._text_px = {}
        self.verticalHeader().setDefaultSectionSize(text_row_height(self.font()))
        self.fit_columns()

    def widest_column_px(self) -> int:
        return self.fontMetrics().averageCharWidth() * WIDEST_COLUMN_CHARS

    def fit_columns(self) -> None:
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        self.resizeColumnsToContents()
        widest = self.widest_column_px()
        for column in range(header.count()):
            if self.columnWidth(column) > widest:
                self.setColumnWidth(column, widest)
        self._fitted = {c: self.columnWidth(c) for c in range(header.count())}
        self._stretch_if_room()

    def keep_fitted(self) -> None:
        """After new rows: fitted to them the first time there are some, and then
        only widened where the contents have outgrown their column (measuring
        only the rows in view, so a second's refresh stays cheap)."""
        if not self.model().rowCount():
            return
        if not self.fitted_to_rows:
            self.fitted_to_rows = True
            self.fit_columns()
            return
        if not self.isVisible():
            return
        widest = self.widest_column_px()
        for column, measured in enumerate(self._widest_in_view()):
            wanted = min(measured, widest)
            fitted = self._fitted.get(column, 0)
            if wanted > fitted and not self.isColumnHidden(column):
                self._fitted[column] = wanted
                if wanted > self.columnWidth(column):
                    self.setColumnWidth(column, wanted)
        self._stretch_if_room()

    def _widest_in_view(self) -> list[int]:
        """Each column's widest text among the rows in view, as a cell needs it.
        Measured from the texts (a font's advance), not through the delegate's size
        hints, which cost ten times as much for a panel of rows each second."""
        model = self.model()
        first = max(0, self.rowAt(0))
        last = self.rowAt(self.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        widest = [0] * model.columnCount()
        if len(self._text_px) > 4096:
            self._text_px.clear()
        known = self._text_px
        for row in range(first, last + 1):
            font = model.index(row, 0).data(Qt.ItemDataRole.FontRole)
            for column, text in enumerate(model.row_texts(row)):
                if not text:
                    continue
                key = (text, font is not None)
                width = known.get(key)
                if width is None:  # most texts come back second after second
                    metrics = (
                        self.fontMetrics()
                        if font is None
                        else QFontMetrics(font.resolve(self.font()))
                    )
                    width = known[key] = metrics.horizontalAdvance(text)
                widest[column] = max(widest[column], width)
        return [width + margin + 1 if width else 0 for width in widest]

    def _stretch_if_room(self) -> None:
        """The last column fills the room left if all of it fits there; if not, it
        keeps the width of its contents and the table scrolls sideways."""
        header = self.horizontalHeader()
        if not self._stretch_last or not header.count():
            return
        last = header.logicalIndex(header.count() - 1)
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != last and not header.isSectionHidden(c)
        )
        room = others + self._fitted.get(last, 0) <= self.viewport().width()
        if room != header.stretchLastSection():
            header.setStretchLastSection(room)
            if not room:
                header.resizeSection(last, self._fitted.get(last, header.sectionSize(last)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._stretch_if_room()


def long_text_tooltip(text: str) -> str | None:
    """A long cell's whole text, as its tooltip (plain: it may be a ship's name)."""
    return plain_tooltip([text]) if len(text) >= LONG_TEXT_CHARS else None


def panel_table(model: KeyedTableModel) -> PanelTable:
    """A panel's table (see ``PanelTable``)."""
    return PanelTable(model)


def fit_once(table: PanelTable) -> None:
    """After the rows changed: the columns sized to what they hold the first time
    there is something, then only widened where it grew (never every cell of every
    row each second, and never undoing the operator's own widths for nothing)."""
    table.keep_fitted()

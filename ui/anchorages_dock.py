"""The Anchorages panel: a row per anchorage (ships at anchor against its capacity
as a bar in the level's colour, as on the map; longest and median wait; arrivals
and departures, hours waited and fuel and CO2 burnt waiting in the last 24 hours),
a chart of the chosen anchorage's count over the last 24 hours with the 6-hour
forecast and its band after "now", and the list of its ships with their waits."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from portwatch.analytics.anchorages import AnchorageState
from portwatch.analytics.forecast import HOURS
from portwatch.analytics.view import WatchView
from portwatch.display_text import plain
from portwatch.ui.alerts_dock import age_text
from portwatch.ui.keyed_table_model import PANEL_MINIMUM, KeyedTableModel, PanelTable, fit_once
from portwatch.ui.palette import MapColours
from portwatch.vessel import VesselView

COLUMNS = (
    "Anchorage",
    "At anchor",
    "Level",
    "Longest wait",
    "Median wait",
    "Arrived 24 h",
    "Left 24 h",
    "Hours waited 24 h",
    "Fuel t",
    "CO₂ t",
)
WAITING_COLUMNS = ("Vessel", "MMSI", "Waiting")
BAR_COLUMN = COLUMNS.index("At anchor")
Index = QModelIndex | QPersistentModelIndex


def _wait(seconds: float | None) -> str:
    return "" if seconds is None else age_text(seconds)


class AnchoragesModel(KeyedTableModel):
    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self.colours: MapColours | None = None

    def update(self, anchorages: tuple[AnchorageState, ...]) -> None:
        rows = []
        for a in anchorages:
            cost = a.cost_24h
            cells = (
                plain(a.name),
                f"{a.occupied} / {a.capacity}",
                a.level,
                _wait(a.longest_wait_s),
                _wait(a.median_wait_s),
                str(a.arrivals_24h),
                str(a.departures_24h),
                f"{cost.hours:.1f}",
                f"{cost.fuel_t:.1f}",
                f"{cost.co2_t:.1f}",
            )
            rows.append((a.name, cells, a))
        self.set_rows(rows)

    def cell_role(self, record: object, column: int, role: int) -> object:
        if not isinstance(record, AnchorageState) or self.colours is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and COLUMNS[column] == "Level":
            return QBrush(QColor(self.colours.levels.get(record.level, self.colours.text)))
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None


class OccupancyBar(QStyledItemDelegate):
    """Ships at anchor against capacity as a bar in the level's colour, the count on it."""

    def __init__(self, model: AnchoragesModel) -> None:
        super().__init__()
        self.model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        record = self.model.record(index.row())
        colours = self.model.colours
        if not isinstance(record, AnchorageState) or colours is None:
            super().paint(painter, option, index)
            return
        painter.save()
        rect = QRectF(option.rect).adjusted(3, 3, -3, -3)
        painter.setPen(QPen(QColor(colours.swing), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        share = min(1.0, record.occupancy_share)
        fill = QColor(colours.levels.get(record.level, colours.text))
        painter.fillRect(QRectF(rect.x(), rect.y(), rect.width() * share, rect.height()), fill)
        painter.setPen(option.palette.text().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, index.data())
        painter.restore()


class WaitingModel(KeyedTableModel):
    columns = WAITING_COLUMNS

    def update(self, state: AnchorageState | None, vessels: Mapping[int, VesselView]) -> None:
        rows = []
        for mmsi, wait_s in state.waiting if state is not None else ():
            vessel = vessels.get(mmsi)
            name = plain(vessel.static.name) if vessel is not None and vessel.static.name else ""
            rows.append((mmsi, (name or str(mmsi), str(mmsi), age_text(wait_s)), mmsi))
        self.set_rows(rows)


class OccupancyChart(pg.PlotWidget):
    """Ships at anchor over the last 24 hours (hours before now), the forecast for
    the next six with its 80 % band, and the capacity."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(40)
        self.setMenuEnabled(False)
        self.getPlotItem().hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().setLabel("bottom", "hours from now")
        self.getPlotItem().setLabel("left", "ships")
        self.count = self.plot([], [], stepMode=None)
        self.expected = self.plot([], [])
        self.low = pg.PlotDataItem([], [])
        self.high = pg.PlotDataItem([], [])
        self.band = pg.FillBetweenItem(self.low, self.high)
        self.addItem(self.band)
        self.capacity = pg.InfiniteLine(angle=0, movable=False)
        self.now = pg.InfiniteLine(pos=0.0, angle=90, movable=False)
        self.addItem(self.capacity)
        self.addItem(self.now)
        self.setXRange(-24, 6, padding=0.02)
        self.shown: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        """(hours, counts, forecast expected) last drawn: what the tests read."""

    def sizeHint(self) -> QSize:
        """Small: the anchorages' rows above it come first, the chart takes the rest."""
        return QSize(320, 120)

    def set_colours(self, colours: MapColours, background: str, foreground: str) -> None:
        self.setBackground(background)
        for axis in ("left", "bottom"):
            self.getPlotItem().getAxis(axis).setPen(pg.mkPen(foreground))
            self.getPlotItem().getAxis(axis).setTextPen(pg.mkPen(foreground))
        self.count.setPen(pg.mkPen(colours.text, width=2))
        self.expected.setPen(pg.mkPen(colours.measure, width=2, style=Qt.PenStyle.DashLine))
        band = QColor(colours.measure)
        band.setAlpha(60)
        self.band.setBrush(pg.mkBrush(band))
        self.capacity.setPen(
            pg.mkPen(
                colours.levels.get("congested", colours.alert), width=1, style=Qt.PenStyle.DotLine
            )
        )
        self.now.setPen(pg.mkPen(colours.swing, width=1))

    def show_anchorage(self, state: AnchorageState | None, watch: WatchView | None) -> None:
        if state is None or watch is None or watch.time_s is None:
            for item in (self.count, self.expected, self.low, self.high):
                item.setData([], [])
            self.shown = None
            return
        now_s = watch.time_s
        series = state.series_24h
        hours = np.array([(t - now_s) / 3600.0 for t, _ in series])
        counts = np.array([c for _, c in series], dtype=float)
        self.count.setData(hours, counts)
        forecast = watch.forecast(state.name)
        ahead = np.array([0.0, *HOURS])
        if forecast is not None:
            now_count = float(state.occupied)
            self.expected.setData(ahead, [now_count, *forecast.expected])
            self.low.setData(ahead, [now_count, *forecast.low])
            self.high.setData(ahead, [now_count, *forecast.high])
            top = max(forecast.high)
        else:
            for item in (self.expected, self.low, self.high):
                item.setData([], [])
            top = 0.0
        self.capacity.setPos(state.capacity)
        peak = max(
            [state.capacity, top, *counts.tolist()] if counts.size else [state.capacity, top]
        )
        self.setYRange(0, peak * 1.1 + 1, padding=0)
        self.shown = (hours, counts, np.array(forecast.expected if forecast else ()))


class AnchoragesDock(QDockWidget):
    """Anchorages at a glance; ``anchorage_chosen`` with the name picked (its ships'
    swing circles go on the map)."""

    anchorage_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__("Anchorages")
        self.setObjectName("anchorages")
        self.model = AnchoragesModel()
        self.table = PanelTable(self.model, stretch_last=False)
        self.table.setItemDelegateForColumn(BAR_COLUMN, OccupancyBar(self.model))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        self.waiting = WaitingModel()
        self.waiting_table = PanelTable(self.waiting)
        self.chart = OccupancyChart()
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.chart)
        lower.addWidget(self.waiting_table)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        # The rows first (a port has a handful of anchorages, all of them wanted at
        # a glance), the chart of the chosen one in the rest.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(splitter)
        panel.setMinimumSize(*PANEL_MINIMUM)
        self.setWidget(panel)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.chosen: str | None = None
        self._watch: WatchView | None = None
        self._vessels: Mapping[int, VesselView] = {}

    def set_colours(self, colours: MapColours, background: str, foreground: str) -> None:
        self.model.colours = colours
        self.chart.set_colours(colours, background, foreground)
        self.table.viewport().update()

    def refresh(self, watch: WatchView | None, vessels: Mapping[int, VesselView]) -> None:
        self._watch, self._vessels = watch, vessels
        if watch is None:
            return
        self.model.update(watch.anchorages)
        if self.chosen is None and watch.anchorages:
            self.table.selectRow(0)  # a chart from the start: the first anchorage's
        self._show_chosen()

    def chosen_state(self) -> AnchorageState | None:
        if self._watch is None or self.chosen is None:
            return None
        return next((a for a in self._watch.anchorages if a.name == self.chosen), None)

    def _show_chosen(self) -> None:
        state = self.chosen_state()
        self.chart.show_anchorage(state, self._watch)
        self.waiting.update(state, self._vessels)
        fit_once(self.waiting_table)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.model.key(current.row())
        if key is None or key == self.chosen:
            return
        self.chosen = str(key)
        self._show_chosen()
        self.anchorage_chosen.emit(self.chosen)

"""The vessel list: a table model over the engine's snapshot, and the proxy that
searches and filters it.

Rows keep their order while data updates (a vessel keeps its row; new vessels are
added at the end), so the line under the operator's cursor does not jump; the
view sorts only when a header is clicked. Every cell is plain text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from string import ascii_uppercase

import numpy as np
from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetricsF

from portwatch.ais_names import KIND, nav_status_name, ship_type_name
from portwatch.analytics.view import WatchView
from portwatch.display_text import plain
from portwatch.geodesy import METRES_PER_NM
from portwatch.port.port_file import Port
from portwatch.ui.flat_table_model import FlatTableModel
from portwatch.ui.snapshot_diff import diff_views
from portwatch.ui.time_text import day_time
from portwatch.vessel import VesselView
from portwatch.vessel_kinds import CLASS_A, CLASS_B

COLUMNS = ("Name", "MMSI", "Call sign", "Type", "Status", "SOG kn", "COG °", "To PBP NM",
           "Last report", "Destination", "ETA reported", "Length m", "Beam m",
           "Draught m")  # fmt: skip
NUMERIC = {"MMSI", "SOG kn", "COG °", "To PBP NM", "Last report", "Length m", "Beam m",
           "Draught m"}  # fmt: skip
HIDDEN_BY_DEFAULT = ("Call sign", "Destination", "ETA reported", "Length m", "Beam m",
                     "Draught m")  # fmt: skip
"""In the header's menu, not shown until asked for: the list fits beside the map."""
SAMPLES = {
    "MMSI": "999999999", "Call sign": "WDK9999", "Type": "aid to navigation",
    "Status": "not under command", "SOG kn": "99.9", "COG °": "359", "To PBP NM": "99.9",
    "Last report": "59 min", "Destination": "USLAX>CNSHA 12345678",
    "ETA reported": "31 Dec 23:59 past", "Length m": "399", "Beam m": "59", "Draught m": "25.5",
}  # fmt: skip
"""The widest text each column usually holds: columns are sized to it."""
NAME_CHARACTERS = 20
"""AIS names are at most 20 characters: the name column holds 20 average capitals."""


MMSI_ROLE = Qt.ItemDataRole.UserRole + 1
AGE_BLOCK = 64
"""Rows per ``dataChanged`` of the age column."""

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.UserRole,
        MMSI_ROLE,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


def column_widths(font: QFont) -> dict[str, int]:
    """Each column's width in pixels in ``font``: its usual content or its title,
    whichever is wider, and the cell's margins."""
    metrics = QFontMetricsF(font)
    widths = {}
    for title in COLUMNS:
        if title == "Name":
            content_px = metrics.horizontalAdvance(ascii_uppercase) / 26 * NAME_CHARACTERS
        else:
            content_px = metrics.horizontalAdvance(SAMPLES[title])
        title_px = metrics.horizontalAdvance(title)
        widths[title] = math.ceil(max(content_px, title_px)) + 14
    return widths


class VesselTableModel(FlatTableModel):
    """One row per vessel in the snapshot, in the order first heard."""

    columns = COLUMNS

    def __init__(self, port: Port) -> None:
        super().__init__()
        self.port = port
        self.watch: WatchView = WatchView(version=-1, time_s=None)
        """The analytics' view of each vessel (zones, distance to the pilot, at anchor)."""
        self._mmsis: list[int] = []
        self._views: list[VesselView] = []
        self._rows: dict[int, int] = {}
        self._now_s: float = 0.0

    def update(
        self,
        vessels: Mapping[int, VesselView],
        now_s: float | None,
        watch: WatchView | None = None,
    ) -> None:
        """Take a new snapshot's vessels: rows of vessels no longer there removed,
        rows for new vessels appended, and ``dataChanged`` only for the rows whose
        vessel changed (and the age column once a second), so the view repaints only
        what it shows that changed. ``watch`` is what the analytics say of them."""
        if watch is not None:
            self.watch = watch
        last_second = int(self._now_s)
        self._now_s = now_s or 0.0
        diff = diff_views(self._mmsis, self._views, vessels)
        if diff is None:
            self._remove_departed(vessels)
            diff = diff_views(self._mmsis, self._views, vessels)
        if diff is None:  # the order changed: start afresh
            self.beginResetModel()
            self._mmsis, self._views = list(vessels), list(vessels.values())
            self._rows = {mmsi: row for row, mmsi in enumerate(self._mmsis)}
            self.endResetModel()
            return
        for row in diff.changed.tolist():
            self._views[row] = vessels[self._mmsis[row]]
        for first, last in _runs(diff.changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        if diff.added:
            first = len(self._mmsis)
            self.beginInsertRows(QModelIndex(), first, first + len(diff.added) - 1)
            for mmsi in diff.added:
                self._rows[mmsi] = len(self._mmsis)
                self._mmsis.append(mmsi)
                self._views.append(vessels[mmsi])
            self.endInsertRows()
        if self._mmsis and int(self._now_s) != last_second:
            # Every age moves on a second. In blocks: the view repaints a block only
            # where it is on screen, where one range over all rows repainted the
            # whole list every second (9 ms at 5,000 rows).
            age = COLUMNS.index("Last report")
            for first in range(0, len(self._mmsis), AGE_BLOCK):
                last = min(first + AGE_BLOCK, len(self._mmsis)) - 1
                self.dataChanged.emit(self.index(first, age), self.index(last, age))

    def _remove_departed(self, vessels: Mapping[int, VesselView]) -> None:
        """Remove the rows of vessels gone from the snapshot, a run at a time from
        the bottom, so that the other rows (and the selection) stay put."""
        gone = np.flatnonzero([mmsi not in vessels for mmsi in self._mmsis])
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._mmsis[first : last + 1]
            del self._views[first : last + 1]
            self.endRemoveRows()
        self._rows = {mmsi: row for row, mmsi in enumerate(self._mmsis)}

    def row_of(self, mmsi: int) -> int | None:
        return self._rows.get(mmsi)

    def vessel(self, row: int) -> VesselView | None:
        return self._views[row] if 0 <= row < len(self._views) else None

    def row_total(self) -> int:
        return len(self._mmsis)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # A view asks for a dozen roles per cell per paint: answer the unused ones first.
        if role not in _ROLES or not index.isValid():
            return None
        vessel = self.vessel(index.row())
        if vessel is None:
            return None
        column = COLUMNS[index.column()]
        if role == MMSI_ROLE:
            return vessel.mmsi
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(vessel, column)
        if role == Qt.ItemDataRole.UserRole:  # the proxy sorts by this, not by the text
            return self._sort_key(vessel, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, vessel: VesselView, column: str) -> str:
        fix = vessel.fix
        static = vessel.static
        if column == "Name":
            return plain(static.name)
        if column == "MMSI":
            return str(vessel.mmsi)
        if column == "Call sign":
            return plain(static.callsign)
        if column == "Type":
            return ship_type_name(static.ship_type) or KIND.get(vessel.kind, "")
        if column == "Status":
            status = nav_status_name(fix.nav_status if fix else None)
            return f"{status} (lost)" if vessel.lost else status
        if column == "SOG kn":
            return "" if fix is None or fix.sog_kn is None else f"{fix.sog_kn:.1f}"
        if column == "COG °":
            return "" if fix is None or fix.cog_deg is None else f"{fix.cog_deg:.0f}"
        if column == "To PBP NM":
            distance = self._to_station_m(vessel)
            return "" if distance is None else f"{distance / METRES_PER_NM:.1f}"
        if column == "Destination":
            return plain(static.destination)
        if column == "ETA reported":
            return _eta_text(static.eta_reported_s, self._now_s)
        if column in _DIMENSIONS:
            value = getattr(static, _DIMENSIONS[column])
            return "" if value is None else f"{value:g}"
        age = self._now_s - vessel.last_heard_s
        return _age(age)

    def _sort_key(self, vessel: VesselView, column: str) -> object:
        fix = vessel.fix
        if column == "MMSI":
            return vessel.mmsi
        if column == "SOG kn":
            return -1.0 if fix is None or fix.sog_kn is None else fix.sog_kn
        if column == "COG °":
            return -1.0 if fix is None or fix.cog_deg is None else fix.cog_deg
        if column == "To PBP NM":
            distance = self._to_station_m(vessel)
            return math.inf if distance is None else distance
        if column == "Last report":
            return self._now_s - vessel.last_heard_s
        if column == "ETA reported":
            eta_s = vessel.static.eta_reported_s
            return math.inf if eta_s is None else eta_s
        if column in _DIMENSIONS:
            value = getattr(vessel.static, _DIMENSIONS[column])
            return -1.0 if value is None else float(value)
        return self._text(vessel, column).lower()

    def _to_station_m(self, vessel: VesselView) -> float | None:
        return self.watch.vessel(vessel.mmsi).distance_to_station_m


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    firsts = np.concatenate([rows[:1], rows[breaks + 1]])
    lasts = np.concatenate([rows[breaks], rows[-1:]])
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


_DIMENSIONS = {"Length m": "length_m", "Beam m": "beam_m", "Draught m": "draught_m"}


def _eta_text(eta_s: float | None, now_s: float) -> str:
    """A reported ETA, short (``12 Mar 14:05``, UTC, as in the panels), marked when
    the data clock has passed it: a crew that did not update it, not an arrival to
    plan for."""
    if eta_s is None:
        return ""
    text = day_time(eta_s)
    return f"{text} past" if now_s and eta_s < now_s else text


def _age(seconds: float) -> str:
    if seconds < 0:
        return "0 s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


QUICK_FILTERS = ("all", "moving", "at anchor", "in approach zone", "class A", "class B")


class VesselFilterModel(QSortFilterProxyModel):
    """Search (name, MMSI, call sign, IMO) and quick filters over the vessel table;
    sorts by the model's sort keys, only when asked."""

    def __init__(self, source: VesselTableModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setDynamicSortFilter(False)
        self._search = ""
        self._quick = "all"

    @property
    def filtering(self) -> bool:
        return bool(self._search) or self._quick != "all"

    def refilter(self) -> None:
        """Run the filter again over rows whose data changed (a ship that stopped
        leaves "moving"); only while a filter or a search is on."""
        if self.filtering:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._search = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_quick_filter(self, name: str) -> None:
        self.beginFilterChange()
        self._quick = name
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, VesselTableModel)
        vessel = model.vessel(source_row)
        if vessel is None:
            return False
        if not _passes_quick(vessel, self._quick, model.watch):
            return False
        if not self._search:
            return True
        static = vessel.static
        haystack = " ".join(
            (plain(static.name), str(vessel.mmsi), plain(static.callsign), str(static.imo or ""))
        ).lower()
        return self._search in haystack


def _passes_quick(vessel: VesselView, quick: str, watch: WatchView) -> bool:
    fix = vessel.fix
    if quick == "in approach zone":
        return watch.in_approach(vessel.mmsi)
    if quick == "moving":
        return fix is not None and (fix.sog_kn or 0.0) >= 0.5
    if quick == "at anchor":  # as the analytics judge it: the status, or a long stop
        return watch.vessel(vessel.mmsi).anchored_since_s is not None
    if quick == "class A":
        return vessel.kind == CLASS_A
    if quick == "class B":
        return vessel.kind == CLASS_B
    return True

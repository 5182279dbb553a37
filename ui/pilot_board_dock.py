"""The Pilot board panel: inbound ships in the engine's order (by estimated time at
each pilot boarding place) with the band, the reported ETA (far-off ones
highlighted), the just-in-time advice and the particulars; departures in a second
tab; the ETA accuracy table (PortWatch against the naive estimate and the ships'
own) in a third. Exports to CSV, prints, or saves as PDF for the next shift."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from portwatch.analytics.eta_scores import ScoreRow
from portwatch.analytics.pilot_board import BoardEntry, PilotBoard, board_csv
from portwatch.analytics.view import WatchView
from portwatch.ui.board_pdf import paint_board, plan_time, plan_title, write_board_pdf
from portwatch.ui.control_row import ControlRow
from portwatch.ui.keyed_table_model import PANEL_MINIMUM, KeyedTableModel, fit_once, panel_table
from portwatch.ui.palette import MapColours
from portwatch.ui.pilot_board_rows import (
    DEPARTURE_COLUMNS,
    INBOUND_COLUMNS,
    departure_cells,
    inbound_cells,
    large_difference,
)

SCORE_COLUMNS = ("Horizon", "Estimator", "Arrivals", "Mean error", "Bias")


class InboundModel(KeyedTableModel):
    columns = INBOUND_COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self.colours: MapColours | None = None

    def update(self, board: PilotBoard | None) -> None:
        entries = board.inbound if board is not None else ()
        self.set_rows([((e.station, e.mmsi), inbound_cells(e), e) for e in entries])

    def cell_role(self, record: object, column: int, role: int) -> object:
        if not isinstance(record, BoardEntry) or self.colours is None:
            return None
        name = INBOUND_COLUMNS[column]
        highlighted = name in ("Reported ETA", "Diff") and large_difference(record)
        if role == Qt.ItemDataRole.ForegroundRole and highlighted:
            return QBrush(QColor(self.colours.levels.get("busy", self.colours.alert)))
        if role == Qt.ItemDataRole.ToolTipRole and name == "Diff" and large_difference(record):
            return "The ship's reported ETA is more than 30 minutes from PortWatch's estimate"
        return None


class DeparturesModel(KeyedTableModel):
    columns = DEPARTURE_COLUMNS

    def update(self, board: PilotBoard | None) -> None:
        entries = board.departures if board is not None else ()
        self.set_rows([(e.mmsi, departure_cells(e), e) for e in entries])


class ScoresModel(KeyedTableModel):
    columns = SCORE_COLUMNS

    def update(self, rows: tuple[ScoreRow, ...]) -> None:
        def minutes(value: float | None, sign: bool = False) -> str:
            if value is None:
                return ""
            return f"{value / 60:+.1f} min" if sign else f"{value / 60:.1f} min"

        self.set_rows(
            [
                (
                    (r.horizon_min, r.estimator),
                    (
                        f"{r.horizon_min} min",
                        r.estimator,
                        str(r.count),
                        minutes(r.mae_s),
                        minutes(r.bias_s, sign=True),
                    ),
                    r,
                )
                for r in rows
            ]
        )


class PilotBoardDock(QDockWidget):
    """The live pilot board; ``vessel_chosen`` with the MMSI of a row clicked."""

    vessel_chosen = Signal(int)

    def __init__(self, port_name: str) -> None:
        super().__init__("Pilot board")
        self.setObjectName("pilot_board")
        self.port_name = port_name
        self.board: PilotBoard | None = None
        self.inbound = InboundModel()
        self.departures = DeparturesModel()
        self.scores = ScoresModel()
        self.tabs = QTabWidget()
        self.inbound_table = panel_table(self.inbound)
        self.departures_table = panel_table(self.departures)
        self.scores_table = panel_table(self.scores)
        self.tabs.addTab(self.inbound_table, "Inbound")
        self.tabs.addTab(self.departures_table, "Departures")
        self.tabs.addTab(self.scores_table, "ETA accuracy")
        buttons = ControlRow()
        self.csv_button = QPushButton("Export &CSV…")
        self.csv_button.clicked.connect(self._on_export_csv)
        self.pdf_button = QPushButton("Save &PDF…")
        self.pdf_button.clicked.connect(self._on_save_pdf)
        self.print_button = QPushButton("P&rint…")
        self.print_button.clicked.connect(self._on_print)
        self.time_label = QLabel("")
        buttons.add_stretching(self.time_label)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            buttons.addWidget(button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs)
        panel.setMinimumSize(*PANEL_MINIMUM)
        self.setWidget(panel)
        self.inbound_table.clicked.connect(self._on_inbound_clicked)
        self.departures_table.clicked.connect(self._on_departure_clicked)

    def set_colours(self, colours: MapColours) -> None:
        self.inbound.colours = colours
        self.inbound_table.viewport().update()

    def refresh(self, watch: WatchView | None) -> None:
        if watch is None:
            return
        self.board = watch.pilot_board
        self.inbound.update(self.board)
        self.departures.update(self.board)
        fit_once(self.inbound_table)
        fit_once(self.departures_table)
        if self.tabs.currentWidget() is self.scores_table:
            self.scores.update(watch.eta_scores)
            fit_once(self.scores_table)
        if self.board is not None:
            # The port and "pilot board" are the window's and the panel's titles.
            self.time_label.setText("P" + plan_time(self.board)[1:])
            self.time_label.setToolTip(plan_title(self.port_name, self.board))
        self.tabs.setTabText(0, f"Inbound ({self.inbound.rowCount()})")
        self.tabs.setTabText(1, f"Departures ({self.departures.rowCount()})")

    def show_scores(self, watch: WatchView | None) -> None:
        """The ETA accuracy tab, up to date."""
        if watch is not None:
            self.scores.update(watch.eta_scores)
        self.tabs.setCurrentWidget(self.scores_table)

    def export_csv(self, path: str) -> None:
        if self.board is not None:
            Path(path).write_text(board_csv(self.board), encoding="utf-8")

    def save_pdf(self, path: str) -> int:
        if self.board is None:
            return 0
        return write_board_pdf(self.board, self.port_name, path)

    def _on_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the pilot board", "pilot-board.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(path)

    def _on_save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the pilot board as PDF", "pilot-board.pdf", "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(path)

    def _on_print(self) -> None:
        if self.board is None:
            return
        from PySide6.QtGui import QPageLayout, QPainter
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            paint_board(painter, printer, self.board, self.port_name)
        finally:
            painter.end()

    def _on_inbound_clicked(self, index: QModelIndex) -> None:
        record = self.inbound.record(index.row())
        if isinstance(record, BoardEntry):
            self.vessel_chosen.emit(record.mmsi)

    def _on_departure_clicked(self, index: QModelIndex) -> None:
        key = self.departures.key(index.row())
        if isinstance(key, int):
            self.vessel_chosen.emit(key)

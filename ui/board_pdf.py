"""The pilot board on paper: A4 landscape, the port's name and the plan's time at
the head of every page, a block per pilot boarding place with its inbound ships in
order, then the departures. What a dispatcher hands to the pilot on the next
shift, so it must read at arm's length: one line per ship, the ETA first."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from portwatch.analytics.pilot_board import PilotBoard
from portwatch.ui.pilot_board_rows import INBOUND_COLUMNS, departure_cells, inbound_cells
from portwatch.ui.time_text import day_time_year

COLUMN_SHARES = (
    0.0,
    0.09,
    0.09,
    0.09,
    0.05,
    0.15,
    0.08,
    0.08,
    0.04,
    0.04,
    0.05,
    0.10,
    0.04,
    0.04,
    0.06,
)
"""Each inbound column's share of the page's width, the station column left out
(the station heads its block)."""


def plan_time(board: PilotBoard) -> str:
    """When the plan was made, and that every time in it is UTC: said once, in its
    head (the panel's, the paper's), not in every cell."""
    when = day_time_year(board.time_s) if board.time_s else "-"
    return f"plan of {when} UTC, all times UTC"


def plan_title(port_name: str, board: PilotBoard) -> str:
    """The head of each printed page: the port, and ``plan_time``."""
    return f"{port_name} — pilot board — {plan_time(board)}"


def write_board_pdf(board: PilotBoard, port_name: str, path: str) -> int:
    """Write ``board`` to ``path`` as a PDF; returns the number of pages."""
    writer = QPdfWriter(path)
    writer.setTitle(plan_title(port_name, board))
    writer.setCreator("PortWatch")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(150)
    painter = QPainter(writer)
    try:
        return paint_board(painter, writer, board, port_name)
    finally:
        painter.end()


def paint_board(
    painter: QPainter, device: QPagedPaintDevice, board: PilotBoard, port_name: str
) -> int:
    """Paint the board on ``device`` (a PDF writer or a printer), page by page."""
    page = device.pageLayout().paintRectPixels(device.resolution())
    width, height = float(page.width()), float(page.height())
    body = QFont("Sans Serif", 9)
    bold = QFont(body)
    bold.setBold(True)
    head = QFont("Sans Serif", 14)
    head.setBold(True)
    line = QFontMetricsF(body, device).height() * 1.35
    title = plan_title(port_name, board)
    pages = 1
    y = 0.0

    def new_page() -> None:
        nonlocal y, pages
        if y > 0.0:
            device.newPage()
            pages += 1
        painter.setFont(head)
        head_height = QFontMetricsF(head, device).height()
        painter.drawText(QRectF(0, 0, width, head_height), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(body)
        painter.drawText(
            QRectF(0, 0, width, head_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"page {pages}",
        )
        y = head_height * 1.6

    def columns_row(cells: list[str], font: QFont) -> None:
        nonlocal y
        if y + line > height:
            new_page()
        painter.setFont(font)
        x = 0.0
        for text, share in zip(cells, COLUMN_SHARES[1:], strict=False):
            painter.drawText(
                QRectF(x, y, width * share - 4, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += width * share
        y += line

    def heading(text: str) -> None:
        nonlocal y
        if y + 3 * line > height:
            new_page()
        y += line * 0.4
        painter.setFont(bold)
        painter.drawText(QRectF(0, y, width, line), Qt.AlignmentFlag.AlignLeft, text)
        y += line

    new_page()
    stations = list(dict.fromkeys(e.station for e in board.inbound))
    for station in stations:
        heading(f"Inbound to {station}")
        columns_row(list(INBOUND_COLUMNS[1:]), bold)
        for entry in board.for_station(station):
            columns_row(list(inbound_cells(entry)[1:]), body)
    if not stations:
        heading("No inbound ships")
    heading("Departures")
    for departure in board.departures:
        columns_row(list(departure_cells(departure)), body)
    if not board.departures:
        columns_row(["none"], body)
    return pages

"""The legend (View > Legend): what each symbol, colour, zone and line on the map
means, drawn with the map's own drawing code in the palette of the moment, so it
can never disagree with the map."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QDockWidget, QGridLayout, QLabel, QScrollArea, QWidget

from portwatch.ui import vessel_picture as vp
from portwatch.ui.palette import MapColours
from portwatch.ui.port_layers import LAYER_TITLES
from portwatch.ui.symbol_atlas import DISTRESS_COLOUR, LOST, draw_symbol, symbol_colours

ICON_PX = (34, 22)

_Draw = Callable[[QPainter, MapColours], None]


def _symbol(shape: int, colour: int = vp.CARGO, heading_deg: float = 45.0) -> _Draw:
    def draw(painter: QPainter, colours: MapColours) -> None:
        fill, edge = symbol_colours(colours, colour)
        painter.translate(ICON_PX[0] / 2, ICON_PX[1] / 2)
        painter.rotate(heading_deg if shape in (vp.SHIP, vp.SMALL_SHIP) else 0.0)
        draw_symbol(painter, shape, QPointF(0.0, 0.0), fill, edge)

    return draw


def _zone(kind: str) -> _Draw:
    def draw(painter: QPainter, colours: MapColours) -> None:
        colour = QColor(colours.zones.get(kind, colours.land_edge))
        if kind == "route":
            painter.setPen(QPen(colour, 1.0, Qt.PenStyle.DashDotLine))
            painter.drawLine(QPointF(3, ICON_PX[1] / 2), QPointF(ICON_PX[0] - 3, ICON_PX[1] / 2))
            return
        if kind == "pilot_boarding":
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            painter.drawEllipse(QPointF(ICON_PX[0] / 2, ICON_PX[1] / 2), 8.0, 8.0)
            return
        if kind == "coastline":
            painter.setPen(QPen(QColor(colours.land_edge), 1.0))
            painter.setBrush(QBrush(QColor(colours.land)))
        else:
            fill = QColor(colour)
            fill.setAlpha(0 if kind == "approach" else 40)
            dash = Qt.PenStyle.DashLine if kind == "approach" else Qt.PenStyle.SolidLine
            painter.setPen(QPen(colour, 1.2, dash))
            painter.setBrush(QBrush(fill))
        painter.drawRect(QRectF(3, 3, ICON_PX[0] - 6, ICON_PX[1] - 6))

    return draw


def _line(colour_of: Callable[[MapColours], str], width: float, style=Qt.PenStyle.SolidLine):
    def draw(painter: QPainter, colours: MapColours) -> None:
        painter.setPen(QPen(QColor(colour_of(colours)), width, style))
        painter.drawLine(QPointF(3, ICON_PX[1] - 5), QPointF(ICON_PX[0] - 3, 5))

    return draw


def _selection(painter: QPainter, colours: MapColours) -> None:
    _symbol(vp.SHIP)(painter, colours)
    painter.resetTransform()
    painter.setPen(QPen(QColor(colours.selection), 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(ICON_PX[0] / 2 - 9, ICON_PX[1] / 2 - 9, 18, 18))


def _name(painter: QPainter, colours: MapColours) -> None:
    painter.setPen(QPen(QColor(colours.text)))
    painter.drawText(QRectF(0, 0, *ICON_PX), int(Qt.AlignmentFlag.AlignCenter), "NAME")


def _zone_name(painter: QPainter, colours: MapColours) -> None:
    font = painter.font()
    font.setItalic(True)
    painter.setFont(font)
    painter.setPen(QPen(QColor(colours.zone_text)))
    painter.drawText(QRectF(0, 0, *ICON_PX), int(Qt.AlignmentFlag.AlignCenter), "Zone")


SECTIONS: tuple[tuple[str, tuple[tuple[str, _Draw], ...]], ...] = (
    (
        "Symbols",
        (
            ("ship under way, turned to its heading", _symbol(vp.SHIP)),
            ("class B (small craft)", _symbol(vp.SMALL_SHIP)),
            ("at anchor", _symbol(vp.AT_ANCHOR)),
            ("moored", _symbol(vp.MOORED)),
            ("heading and course unknown", _symbol(vp.NO_HEADING)),
            ("lost: no report for too long", _symbol(vp.SHIP, LOST)),
            ("base station", _symbol(vp.BASE, vp.OTHER)),
            ("aid to navigation", _symbol(vp.AID, vp.OTHER)),
            ("search and rescue aircraft", _symbol(vp.AIRCRAFT, vp.SPECIAL)),
            ("distress: SART, man overboard, EPIRB", _symbol(vp.DISTRESS, DISTRESS_COLOUR)),
        ),
    ),
    (
        "Colours (type of ship)",
        (
            ("cargo", _symbol(vp.SHIP, vp.CARGO)),
            ("tanker", _symbol(vp.SHIP, vp.TANKER)),
            ("passenger", _symbol(vp.SHIP, vp.PASSENGER)),
            ("high-speed craft", _symbol(vp.SHIP, vp.HIGH_SPEED)),
            ("tug, pilot, SAR, port tender, dredger", _symbol(vp.SHIP, vp.SPECIAL)),
            ("fishing", _symbol(vp.SHIP, vp.FISHING)),
            ("pleasure craft, sailing", _symbol(vp.SHIP, vp.PLEASURE)),
            ("other types", _symbol(vp.SHIP, vp.OTHER)),
            ("type not reported", _symbol(vp.SHIP, vp.UNKNOWN_TYPE)),
        ),
    ),
    ("Zones", tuple((LAYER_TITLES[kind], _zone(kind)) for kind in LAYER_TITLES)),
    (
        "Lines and names",
        (
            ("vessel name", _name),
            ("zone name", _zone_name),
            ("selected vessel", _selection),
            ("speed vector (View > Speed vectors)", _line(lambda c: c.text, 1.0)),
            ("trail", _line(lambda c: c.trail, 1.0)),
            ("track from history", _line(lambda c: c.track, 2.0)),
            ("range and bearing (M)", _line(lambda c: c.measure, 2.0, Qt.PenStyle.DashLine)),
            ("scale bar", _line(lambda c: c.scale, 5.0)),
        ),
    ),
)


class LegendDock(QDockWidget):
    """The legend, in a dock of its own; hidden until asked for."""

    def __init__(self, colours: MapColours) -> None:
        super().__init__("Legend")
        self.setObjectName("legend")
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setVerticalSpacing(2)
        self._icons: list[tuple[QLabel, _Draw]] = []
        self.entries: list[str] = []
        """Every entry's text, in order: what the legend explains."""
        row = 0
        for title, entries in SECTIONS:
            heading = QLabel(title)
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for text, draw in entries:
                icon = QLabel()
                icon.setFixedSize(*ICON_PX)
                label = QLabel(text)
                label.setTextFormat(Qt.TextFormat.PlainText)
                grid.addWidget(icon, row, 0)
                grid.addWidget(label, row, 1)
                self._icons.append((icon, draw))
                self.entries.append(text)
                row += 1
        grid.setRowStretch(row, 1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        self.setWidget(scroll)
        self.set_colours(colours)

    def set_colours(self, colours: MapColours) -> None:
        """Draw every icon again, on the palette's sea, in its colours."""
        self.colours = colours
        for icon, draw in self._icons:
            pixmap = QPixmap(*ICON_PX)
            pixmap.fill(QColor(colours.water))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setFont(icon.font())
            draw(painter, colours)
            painter.end()
            icon.setPixmap(pixmap)

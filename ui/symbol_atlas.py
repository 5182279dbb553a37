"""Vessel symbols pre-drawn once into one pixmap, a cell per (shape, colour, and
for ship symbols heading in 5° steps), so that the map stamps thousands of them
in a single ``drawPixmapFragments`` call of plain copies: the way pyqtgraph's own
scatter plots draw fast. (Letting the painter rotate each stamp cost five times
as much: 145 ms for 5,000 vessels against 30.)"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from portwatch.ui import vessel_picture as vp
from portwatch.ui.palette import MapColours

CELL_OF_SHAPE = {
    vp.SHIP: 18, vp.SMALL_SHIP: 14, vp.AT_ANCHOR: 14, vp.MOORED: 12, vp.BASE: 22,
    vp.AID: 16, vp.AIRCRAFT: 18, vp.DISTRESS: 24, vp.NO_HEADING: 14,
}  # fmt: skip
"""Cell size (px) per symbol: its drawing's reach from the centre, turned, plus the
pen and the anti-aliasing, twice."""
HEADING_STEPS = 72
"""Ship symbols are drawn at every 5° of heading."""
SHAPES = 9
"""Symbol codes of ``vessel_picture``: SHIP … NO_HEADING."""
LOST = 9
DISTRESS_COLOUR = 10
COLOURS = 11
"""Colour groups 0-8, then lost (grey, hollow), then distress red."""
TURNING = frozenset({vp.SHIP, vp.SMALL_SHIP})

_SHIP = [(0.0, -7.5), (3.8, 4.5), (0.0, 2.4), (-3.8, 4.5)]
_SMALL_SHIP = [(0.0, -5.2), (2.6, 3.2), (0.0, 1.6), (-2.6, 3.2)]


class SymbolAtlas:
    """The pixmap and, per (shape, colour), the source rectangle of its cell.

    Each shape has a band of cells as small as its drawing allows (a ship 18 px,
    a mooring square 12): stamping blends every pixel of a cell, so at 24 px for
    all the symbols cost 40 % more."""

    def __init__(self, colours: MapColours) -> None:
        # A turning shape needs a cell per heading step; a still one, one cell.
        self._cell = np.array([CELL_OF_SHAPE[shape] for shape in range(SHAPES)])
        self._top = np.zeros(SHAPES, dtype=np.int64)
        top = 0
        for shape in range(SHAPES):
            self._top[shape] = top
            top += CELL_OF_SHAPE[shape] * (HEADING_STEPS if shape in TURNING else 1)
        self.pixmap = QPixmap(max(CELL_OF_SHAPE.values()) * COLOURS, top)
        self.pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self.pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for colour_index in range(COLOURS):
            fill, edge = symbol_colours(colours, colour_index)
            for shape in range(SHAPES):
                cell = CELL_OF_SHAPE[shape]
                turns = HEADING_STEPS if shape in TURNING else 1
                for step in range(turns):
                    centre = QPointF(
                        (colour_index + 0.5) * cell, self._top[shape] + (step + 0.5) * cell
                    )
                    painter.save()
                    painter.translate(centre)
                    painter.rotate(step * 360.0 / HEADING_STEPS)
                    draw_symbol(painter, shape, QPointF(0.0, 0.0), fill, edge)
                    painter.restore()
        painter.end()
        self._turning = np.array([s in TURNING for s in range(SHAPES)])
        self._pixmap_fragments = pg.Qt.internals.PrimitiveArray(
            pg.QtGui.QPainter.PixmapFragment, 10
        )

    def stamp(
        self,
        painter: QPainter,
        x: np.ndarray,
        y: np.ndarray,
        rotation_deg: np.ndarray,
        shape: np.ndarray,
        colour: np.ndarray,
        buffer: pg.Qt.internals.PrimitiveArray | None = None,
    ) -> None:
        """Draw symbol (shape, colour) at device pixels (x, y), turned clockwise;
        through ``buffer`` (of ``PixmapFragment``s) when given: one a thread."""
        count = len(x)
        if not count:
            return
        buffer = self._pixmap_fragments if buffer is None else buffer
        buffer.resize(count)
        fragments = buffer.ndarray()
        fragments[:, 0] = x
        fragments[:, 1] = y
        # Widen first: the picture keeps shape and colour as int8, and 24 times a
        # colour number overflows int8 (a negative source rectangle reads outside
        # the atlas).
        shape = shape.astype(np.int64)
        colour = colour.astype(np.int64)
        step = np.round(np.mod(rotation_deg, 360.0) / (360.0 / HEADING_STEPS)).astype(np.int64)
        step = np.where(self._turning[shape], step % HEADING_STEPS, 0)
        cell = self._cell[shape]
        fragments[:, 2] = colour * cell
        fragments[:, 3] = self._top[shape] + step * cell
        fragments[:, 4] = cell
        fragments[:, 5] = cell
        fragments[:, 6:8] = 1.0
        fragments[:, 8] = 0.0
        fragments[:, 9] = 1.0
        painter.drawPixmapFragments(*buffer.drawargs(), self.pixmap)


def symbol_colours(colours: MapColours, colour_index: int) -> tuple[QColor | None, QColor]:
    """Fill (None: hollow) and edge of a symbol in colour group ``colour_index``."""
    if colour_index == LOST:
        return None, QColor(colours.lost)
    if colour_index == DISTRESS_COLOUR:
        return QColor(colours.distress), QColor(colours.distress).lighter(150)
    fill = QColor(colours.vessels[colour_index])
    return fill, fill.darker(170)


def draw_symbol(
    painter: QPainter, shape: int, centre: QPointF, fill: QColor | None, edge: QColor
) -> None:
    painter.setPen(QPen(edge, 1.2))
    painter.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
    cx, cy = centre.x(), centre.y()
    if shape in (vp.SHIP, vp.SMALL_SHIP):
        points = _SHIP if shape == vp.SHIP else _SMALL_SHIP
        painter.drawPolygon(QPolygonF([QPointF(cx + px, cy + py) for px, py in points]))
    elif shape in (vp.AT_ANCHOR, vp.DISTRESS):
        painter.drawEllipse(centre, 4.5, 4.5)
        if shape == vp.DISTRESS:
            painter.drawLine(QPointF(cx - 3, cy - 3), QPointF(cx + 3, cy + 3))
            painter.drawLine(QPointF(cx - 3, cy + 3), QPointF(cx + 3, cy - 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, 10.0, 10.0)
    elif shape == vp.MOORED:
        painter.drawRect(QRectF(cx - 3.5, cy - 3.5, 7, 7))
    elif shape == vp.BASE:
        painter.drawRect(QRectF(cx - 4.5, cy - 4.5, 9, 9))
        painter.drawLine(QPointF(cx, cy - 4.5), QPointF(cx, cy - 9))
    elif shape == vp.AID:
        path = QPainterPath()
        path.moveTo(cx, cy - 5.5)
        path.lineTo(cx + 5.5, cy)
        path.lineTo(cx, cy + 5.5)
        path.lineTo(cx - 5.5, cy)
        path.closeSubpath()
        painter.drawPath(path)
    elif shape == vp.AIRCRAFT:
        painter.drawRect(QRectF(cx - 7, cy - 1.5, 14, 3))
        painter.drawRect(QRectF(cx - 1.5, cy - 7, 3, 14))
    else:  # NO_HEADING: a diamond, since which way it points is unknown
        painter.drawPolygon(
            QPolygonF(
                [QPointF(cx, cy - 5), QPointF(cx + 5, cy), QPointF(cx, cy + 5), QPointF(cx - 5, cy)]
            )
        )

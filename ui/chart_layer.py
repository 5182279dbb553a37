"""The ENC chart drawn under the port and the traffic: one graphics item holding a
path per style (built once per chart model), painted into a device cache, so that
a frame of moving vessels costs one blit of it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from portwatch.charts.chart_model import BEACON, BUOY, LIGHT, ChartModel, Lines
from portwatch.ui.palette import ChartColours, MapColours

MARK_PX = 12
"""Buoys and beacons: about this many pixels tall, whatever the zoom."""
LIGHT_RING_PX = 6.0
"""A light: a ring this wide (radius) round its mark, in the light's colour; not
the paper chart's flare, which on a map of ships reads as one more small ship."""
MARKS_UP_TO_M_PER_PX = 40.0
"""Aids to navigation are drawn from this zoom in (a 1,600-pixel map 64 km wide):
further out they are specks that only clutter the picture."""


def lines_path(lines: Lines, fill: bool = False) -> QPainterPath:
    """A run of points as one QPainterPath, built in one pass (pyqtgraph's
    arrayToQPath); filled areas use the non-zero rule, as the rings are oriented."""
    if not len(lines):
        return QPainterPath()
    path = pg.arrayToQPath(lines.x, lines.y, connect=lines.connect.astype(np.uint8))
    if fill:
        path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _pen(colour: str, width: float = 1.0) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    return pen


class ChartLayer(pg.GraphicsObject):
    """Land, depth areas, the safety contour, shoreline constructions and the aids
    to navigation of a chart model, in the palette's colours."""

    def __init__(self, model: ChartModel, colours: MapColours) -> None:
        super().__init__()
        self.setZValue(0.5)  # under the port's zones (1) and the vessels
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.painted = 0
        """How many times the chart was actually drawn (not blitted from the cache)."""
        self._colours = colours.chart
        self._land_colour = colours.land
        self._symbols: dict[tuple[int, int], QPixmap] = {}
        self.set_model(model)

    def set_model(self, model: ChartModel) -> None:
        """A new chart model (another safety depth): its paths, built once."""
        self.model = model
        depth = model.depth_areas
        self._areas = {name: lines_path(depth[name], fill=True) for name in depth}
        self._land = lines_path(model.land, fill=True)
        self._inland_water = lines_path(model.inland_water, fill=True)
        self._coastline = lines_path(model.coastline)
        self._constructions = lines_path(model.constructions)
        self._contour = lines_path(model.safety_contour)
        bounds = QRectF()
        if model.bounds is not None:
            west, south, east, north = model.bounds
            margin = 0.02 * max(east - west, north - south, 1.0)
            bounds = QRectF(
                west - margin, south - margin, east - west + 2 * margin, north - south + 2 * margin
            )
        self.prepareGeometryChange()
        self._bounds = bounds
        self.update()

    def recolour(self, colours: MapColours) -> None:
        self._colours = colours.chart
        self._land_colour = colours.land
        self._symbols.clear()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        """Areas without antialiasing, lines with: Qt's raster engine fills a
        path of 150,000 points 25 times faster without it, and the edges that
        matter are stroked over them; strokes one pixel wide (Qt's fast path for
        cosmetic pens), the safety contour alone wider."""
        self.painted += 1
        colours = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        for name, colour in (
            ("deep", colours.deep),
            ("shallow", colours.shallow),
            ("drying", colours.drying),
        ):
            painter.setBrush(QColor(colour))
            painter.drawPath(self._areas[name])
        painter.setBrush(QColor(self._land_colour))
        painter.drawPath(self._land)
        painter.setBrush(QColor(colours.deep))
        painter.drawPath(self._inland_water)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(_pen(colours.safety_contour, 1.5))
        painter.drawPath(self._contour)
        painter.setPen(_pen(colours.coastline))
        painter.drawPath(self._coastline)
        painter.setPen(_pen(colours.constructions))
        painter.drawPath(self._constructions)
        self._paint_marks(painter)

    def _paint_marks(self, painter: QPainter) -> None:
        marks = self.model.marks
        transform = painter.transform()
        metres_per_px = 1.0 / max(abs(transform.m11()), 1e-12)
        if not len(marks) or metres_per_px > MARKS_UP_TO_M_PER_PX:
            return
        x = transform.m11() * marks.x + transform.m21() * marks.y + transform.dx()
        y = transform.m12() * marks.x + transform.m22() * marks.y + transform.dy()
        window = painter.viewport()
        inside = (
            (x > -MARK_PX)
            & (x < window.width() + MARK_PX)
            & (y > -MARK_PX)
            & (y < window.height() + MARK_PX)
        )
        painter.save()
        painter.resetTransform()
        # Lights first: a light on a buoy is a ring round the buoy's body.
        for index in np.argsort(marks.kind != LIGHT, kind="stable"):
            if not inside[index]:
                continue
            pixmap = self._symbol(
                int(marks.kind[index]), int(marks.colour[index]), int(marks.shape[index])
            )
            painter.drawPixmap(
                QPointF(x[index] - pixmap.width() / 2, y[index] - pixmap.height() / 2), pixmap
            )
        painter.restore()

    def _symbol(self, kind: int, colour: int, shape: int) -> QPixmap:
        """A mark's symbol in this palette, drawn once, as on a paper chart: a small
        circle at the position, a buoy's body (cone, can, sphere, pillar, spar)
        leaning above it, a beacon's stake or tower upright, a light as a ring round
        its mark. Nothing like the vessels' arrows, circles and squares."""
        key = (kind, colour, shape)
        pixmap = self._symbols.get(key)
        if pixmap is not None:
            return pixmap
        colours: ChartColours = self._colours
        pixmap = QPixmap(SYMBOL_PX, SYMBOL_PX)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.translate(SYMBOL_PX / 2, SYMBOL_PX / 2)
        edge = QPen(QColor(colours.mark_edge), 1.0)
        if kind == LIGHT:
            painter.setPen(QPen(QColor(colours.lights.get(colour, colours.lights[0])), 1.6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), LIGHT_RING_PX, LIGHT_RING_PX)
        else:
            fill = QColor(colours.marks.get(colour, colours.marks[0]))
            if kind == BUOY:
                painter.rotate(20.0)
            if kind == BEACON and shape not in _BEACON_TOWERS:
                painter.setPen(QPen(QColor(colours.mark_edge), 3.4))
                painter.drawLine(QPointF(0, -1.5), QPointF(0, -11))
                painter.setPen(QPen(fill, 2.0))
                painter.drawLine(QPointF(0, -1.5), QPointF(0, -11))
            else:
                painter.setPen(edge)
                painter.setBrush(fill)
                outline = _BUOY_BODIES.get(shape, _BUOY_BODIES[0]) if kind == BUOY else _TOWER
                if outline is None:
                    painter.drawEllipse(QPointF(0, -5.5), 3.8, 3.8)
                else:
                    painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in outline]))
            painter.resetTransform()
            painter.translate(SYMBOL_PX / 2, SYMBOL_PX / 2)
            painter.setPen(edge)
            painter.setBrush(fill)
            painter.drawEllipse(QPointF(0, 0), 1.8, 1.8)
        painter.end()
        self._symbols[key] = pixmap
        return pixmap


SYMBOL_PX = 30
_BUOY_BODIES: dict[int, list[tuple[float, float]] | None] = {
    0: [(-4, -1.5), (4, -1.5), (4, -7), (-4, -7)],  # barrel, super-buoy, unknown: a squat box
    1: [(-3.8, -1.5), (3.8, -1.5), (0, -11)],  # conical
    2: [(-3.5, -1.5), (3.5, -1.5), (3.5, -9), (-3.5, -9)],  # can
    3: None,  # spherical: a circle
    4: [(-3.5, -1.5), (3.5, -1.5), (1.4, -12), (-1.4, -12)],  # pillar
    5: [(-1.3, -1.5), (1.3, -1.5), (1.3, -13), (-1.3, -13)],  # spar
}
"""Buoy bodies by BOYSHP, upright (y up is negative), before they lean."""
_TOWER = [(-3.2, -1.5), (3.2, -1.5), (1.5, -11), (-1.5, -11)]
_BEACON_TOWERS = frozenset({3, 4, 5, 6, 7})
"""BCNSHP drawn as a tower: beacon tower, lattice, pile, cairn, buoyant; the others
(stake, pole, perch, post, withy) as a stake."""

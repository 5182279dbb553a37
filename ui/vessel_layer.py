"""Every vessel on the map in one graphics item: symbols rotated to heading, speed
vectors, trails, decluttered name labels and, zoomed in, real-size hulls.

Drawing 20,000 vessels as 20,000 graphics items would be far too slow, so this
item takes a ``VesselPicture`` (numpy arrays) and paints it as a few painter paths
in device pixels: symbols keep their size on screen whatever the zoom.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from portwatch.ui import vessel_picture as vp
from portwatch.ui.palette import MapColours

SYMBOL_PX = 7.0
HULL_MIN_PX = 14.0
"""Real hull outlines are drawn once a 100 m ship would be this many pixels long."""
LABEL_CELL_PX = (110, 16)
MAX_LABELS = 400
KNOT_MPS = 1852.0 / 3600.0

# Unit outlines (pixels, pointing up = north before rotation): x right, y up.
_OUTLINES = {
    vp.SHIP: np.array([[0.0, 1.6], [0.8, -1.0], [0.0, -0.5], [-0.8, -1.0]]),
    vp.SMALL_SHIP: np.array([[0.0, 1.1], [0.55, -0.7], [0.0, -0.35], [-0.55, -0.7]]),
    vp.NO_HEADING: np.array([[0.0, 0.9], [0.9, 0.0], [0.0, -0.9], [-0.9, 0.0]]),
}


class VesselLayer(pg.GraphicsObject):
    """Paints a ``VesselPicture``; knows which vessel is under a point."""

    def __init__(self, colours: MapColours) -> None:
        super().__init__()
        self.colours = colours
        self.picture: vp.VesselPicture | None = None
        self.trails: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        """(x, y, connect) of every trail, concatenated."""
        self.selected_mmsi: int | None = None
        self.vector_minutes = 6.0
        self.show_vectors = True
        self.show_trails = True
        self.show_labels = True
        self._bounds = QRectF(-1.0, -1.0, 2.0, 2.0)
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        self.setZValue(10)

    def set_picture(
        self,
        picture: vp.VesselPicture,
        trails: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.picture = picture
        self.trails = trails
        if len(picture):
            margin = 5000.0
            west, east = float(picture.x_m.min()), float(picture.x_m.max())
            south, north = float(picture.y_m.min()), float(picture.y_m.max())
            bounds = QRectF(west - margin, south - margin, east - west + 2 * margin,
                            north - south + 2 * margin)  # fmt: skip
            if bounds != self._bounds:
                self.prepareGeometryChange()
                self._bounds = bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def vessel_at(self, x_m: float, y_m: float, tolerance_m: float) -> int | None:
        """MMSI of the vessel nearest (x, y) within ``tolerance_m``, if any."""
        picture = self.picture
        if picture is None or not len(picture):
            return None
        distance = np.hypot(picture.x_m - x_m, picture.y_m - y_m)
        nearest = int(np.argmin(distance))
        return int(picture.mmsi[nearest]) if distance[nearest] <= tolerance_m else None

    def paint(self, painter: QPainter, *_args: object) -> None:
        picture = self.picture
        if picture is None or not len(picture):
            return
        transform = painter.transform()
        m11, m12, m21, m22 = transform.m11(), transform.m12(), transform.m21(), transform.m22()
        dx, dy = transform.dx(), transform.dy()
        px = picture.x_m * m11 + picture.y_m * m21 + dx
        py = picture.x_m * m12 + picture.y_m * m22 + dy
        metres_to_px = math.hypot(m11, m12)
        # Direction (sin h, cos h) on the plane, as a unit vector in device pixels.
        east, north = np.sin(picture.heading_rad), np.cos(picture.heading_rad)
        ux, uy = east * m11 + north * m21, east * m12 + north * m22
        norm = np.hypot(ux, uy)
        norm[norm == 0] = 1.0
        ux, uy = ux / norm, uy / norm
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.show_trails and self.trails is not None and len(self.trails[0]):
            self._paint_trails(painter, transform)
        if self.show_vectors:
            self._paint_vectors(painter, picture, px, py, ux, uy, metres_to_px)
        if metres_to_px * 100.0 >= HULL_MIN_PX:
            self._paint_hulls(painter, picture, px, py, ux, uy, metres_to_px)
        self._paint_symbols(painter, picture, px, py, ux, uy)
        if self.show_labels:
            self._paint_labels(painter, picture, px, py)
        self._paint_selection(painter, picture, px, py)
        painter.restore()

    # Each part paints in device pixels, grouped by colour: a path per colour.

    def _paint_trails(self, painter: QPainter, transform) -> None:
        x, y, connect = self.trails  # type: ignore[misc]
        tx = x * transform.m11() + y * transform.m21() + transform.dx()
        ty = x * transform.m12() + y * transform.m22() + transform.dy()
        pen = QPen(QColor(self.colours.zones["route"]).lighter(130), 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(pg.arrayToQPath(tx, ty, connect=connect, finiteCheck=False))

    def _paint_vectors(self, painter, picture, px, py, ux, uy, metres_to_px) -> None:
        moving = (picture.sog_kn >= 0.5) & ~picture.lost & (picture.symbol <= vp.SMALL_SHIP)
        if not moving.any():
            return
        length = picture.sog_kn[moving] * KNOT_MPS * self.vector_minutes * 60.0 * metres_to_px
        x0, y0 = px[moving], py[moving]
        x1, y1 = x0 + ux[moving] * length, y0 + uy[moving] * length
        xs = np.column_stack([x0, x1]).ravel()
        ys = np.column_stack([y0, y1]).ravel()
        painter.setPen(QPen(QColor(self.colours.text), 1.0))
        painter.drawPath(pg.arrayToQPath(xs, ys, connect="pairs", finiteCheck=False))

    def _paint_symbols(self, painter, picture, px, py, ux, uy) -> None:
        size = SYMBOL_PX
        for colour_group, colour in self.colours.vessels.items():
            chosen = (picture.colour == colour_group) & ~picture.lost
            self._paint_group(painter, picture, chosen, px, py, ux, uy, size, QColor(colour))
        lost = picture.lost
        if lost.any():
            self._paint_group(painter, picture, lost, px, py, ux, uy, size,
                              QColor(self.colours.lost), hollow=True)  # fmt: skip

    def _paint_group(self, painter, picture, chosen, px, py, ux, uy, size, colour,
                     hollow: bool = False) -> None:  # fmt: skip
        if not chosen.any():
            return
        symbols = picture.symbol[chosen]
        x, y, hx, hy = px[chosen], py[chosen], ux[chosen], uy[chosen]
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for shape, outline in _OUTLINES.items():
            these = symbols == shape
            if these.any():
                _add_outlines(path, outline * size, x[these], y[these], hx[these], hy[these])
        for shape, draw in ((vp.AT_ANCHOR, "circle"), (vp.MOORED, "square"), (vp.BASE, "square"),
                            (vp.AID, "diamond"), (vp.AIRCRAFT, "plus"),
                            (vp.DISTRESS, "circle")):  # fmt: skip
            these = symbols == shape
            for cx, cy in zip(x[these], y[these], strict=True):
                _add_marker(path, draw, cx, cy, size * (0.6 if shape == vp.MOORED else 0.8))
        outline_pen = QPen(colour.darker(160) if not hollow else colour, 1.0)
        painter.setPen(outline_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush if hollow else QBrush(colour))
        painter.drawPath(path)
        distress = symbols == vp.DISTRESS
        if distress.any() and not hollow:
            painter.setPen(QPen(QColor(self.colours.distress), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for cx, cy in zip(x[distress], y[distress], strict=True):
                painter.drawEllipse(QPointF(cx, cy), size * 1.8, size * 1.8)

    def _paint_hulls(self, painter, picture, px, py, ux, uy, metres_to_px) -> None:
        """Real-size outlines from the reported dimensions (antenna offsets)."""
        hull = picture.hull_m
        known = np.isfinite(hull).all(axis=1) & (hull[:, 0] + hull[:, 1] > 0)
        if not known.any():
            return
        bow, stern, port, starboard = (hull[known, i] * metres_to_px for i in range(4))
        x, y, hx, hy = px[known], py[known], ux[known], uy[known]
        # Across the ship: the heading turned a right angle clockwise (starboard).
        sx, sy = -hy, hx
        shoulder = 0.85
        corners = [
            (bow, 0.5 * (starboard - port)),  # stem, on the centre line
            (bow * shoulder, starboard), (-stern, starboard), (-stern, -port),
            (bow * shoulder, -port),
        ]  # fmt: skip
        corners.append(corners[0])
        xs = np.stack([x + hx * a + sx * b for a, b in corners], axis=1)
        ys = np.stack([y + hy * a + sy * b for a, b in corners], axis=1)
        path = _polygons_path(xs, ys)
        painter.setPen(QPen(QColor(self.colours.text), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _paint_labels(self, painter, picture, px, py) -> None:
        """Names where they do not overlap: one label per screen cell, moving and
        selected vessels first."""
        width, height = LABEL_CELL_PX
        viewport = painter.viewport()
        inside = (px >= 0) & (px <= viewport.width()) & (py >= 0) & (py <= viewport.height())
        candidates = np.flatnonzero(inside)
        if len(candidates) == 0:
            return
        priority = np.argsort(-picture.sog_kn[candidates], kind="stable")
        taken: set[tuple[int, int]] = set()
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(self.colours.text)))
        metrics = QFontMetricsF(self._font)
        shown = 0
        for index in candidates[priority]:
            name = picture.names[index] or str(int(picture.mmsi[index]))
            cell = (int(px[index] // width), int(py[index] // height))
            if cell in taken:
                continue
            taken.update({cell, (cell[0] + 1, cell[1])})
            # drawText with a plain string: never markup, whatever the ship calls itself.
            painter.drawText(QPointF(px[index] + 9, py[index] + metrics.ascent() / 2), name)
            shown += 1
            if shown >= MAX_LABELS:
                break

    def _paint_selection(self, painter, picture, px, py) -> None:
        if self.selected_mmsi is None:
            return
        index = picture.index_of(self.selected_mmsi)
        if index is None:
            return
        pen = QPen(QColor(self.colours.selection), 1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = SYMBOL_PX * 2.2
        painter.drawRect(QRectF(px[index] - half, py[index] - half, 2 * half, 2 * half))


def _add_outlines(path: QPainterPath, outline: np.ndarray, x, y, hx, hy) -> None:
    """Add ``outline`` (pixels, up = ahead) rotated to each heading (hx, hy) at (x, y)."""
    # Device y grows downwards: "ahead" is (hx, hy) and "right" is (-hy, hx).
    closed = np.vstack([outline, outline[:1]])
    ahead, right = closed[:, 1], closed[:, 0]
    xs = x[:, None] + hx[:, None] * ahead - hy[:, None] * right
    ys = y[:, None] + hy[:, None] * ahead + hx[:, None] * right
    path.addPath(_polygons_path(xs, ys))


def _polygons_path(xs: np.ndarray, ys: np.ndarray) -> QPainterPath:
    """One path of closed polygons, a row each (last point repeats the first), built
    in one call rather than a Qt call per vertex."""
    rows, points = xs.shape
    connect = np.ones((rows, points), dtype=np.int32)
    connect[:, -1] = 0
    path = pg.arrayToQPath(xs.ravel(), ys.ravel(), connect=connect.ravel(), finiteCheck=False)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _add_marker(path: QPainterPath, shape: str, x: float, y: float, r: float) -> None:
    if shape == "circle":
        path.addEllipse(QPointF(x, y), r, r)
    elif shape == "square":
        path.addRect(QRectF(x - r, y - r, 2 * r, 2 * r))
    elif shape == "diamond":
        path.moveTo(x, y - r)
        path.lineTo(x + r, y)
        path.lineTo(x, y + r)
        path.lineTo(x - r, y)
        path.closeSubpath()
    else:  # plus: an aircraft seen from above, roughly
        path.addRect(QRectF(x - r, y - r / 4, 2 * r, r / 2))
        path.addRect(QRectF(x - r / 4, y - r, r / 2, 2 * r))

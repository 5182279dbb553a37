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
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
)

from portwatch.geodesy import METRES_PER_SECOND_PER_KNOT
from portwatch.ui import vessel_picture as vp
from portwatch.ui.palette import MapColours
from portwatch.ui.symbol_atlas import DISTRESS_COLOUR, LOST, SymbolAtlas

SYMBOL_PX = 7.0
HULL_MIN_PX = 14.0
"""Real hull outlines are drawn once a 100 m ship would be this many pixels long."""
LABEL_CELL_PX = (110, 16)
MAX_LABELS = 400
TRAILS_UP_TO = 3000
"""Trails are drawn while at most this many vessels are on screen."""
MARGIN_M = 10_000.0
"""Around the vessels, for symbols and names drawn in pixels (a 110 px name at
90 m a pixel, zoomed far out)."""


class VesselLayer(pg.GraphicsObject):
    """Paints a ``VesselPicture``; knows which vessel is under a point."""

    def __init__(self, colours: MapColours) -> None:
        super().__init__()
        self.colours = colours
        self.atlas = SymbolAtlas(colours)
        self.picture: vp.VesselPicture | None = None
        self.selected_mmsi: int | None = None
        self.vector_minutes = 6.0
        self.show_vectors = True
        self.show_trails = True
        self.show_labels = True
        self._bounds = QRectF(-1.0, -1.0, 2.0, 2.0)
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        self._segments = _Segments()
        self._labels: dict[str, QStaticText] = {}
        """Laid-out names, kept between frames (laying out text is the slow part)."""
        self.painted_frames = 0
        """How many times the vessels were painted: one paint per refresh is the
        contract the frame benchmark and the tests check."""
        self.setZValue(10)

    def set_picture(self, picture: vp.VesselPicture) -> None:
        self.picture = picture
        self._update_bounds()
        self.update()

    def set_vector_minutes(self, minutes: float) -> None:
        self.vector_minutes = minutes
        self._update_bounds()
        self.update()

    def _vector_metres_per_knot(self) -> float:
        """How long a speed vector is per knot: the run in ``vector_minutes``."""
        return METRES_PER_SECOND_PER_KNOT * self.vector_minutes * 60.0

    def _update_bounds(self) -> None:
        """Where the vessels are, widened by the longest speed vector and a margin
        for what is drawn in pixels (symbols, names): Qt repaints only inside."""
        picture = self.picture
        if picture is None or not len(picture):
            return
        reach_m = float(picture.sog_kn.max()) * self._vector_metres_per_knot()
        margin_m = max(MARGIN_M, reach_m + MARGIN_M)
        west, east = float(picture.x_m.min()), float(picture.x_m.max())
        south, north = float(picture.y_m.min()), float(picture.y_m.max())
        bounds = QRectF(west - margin_m, south - margin_m, east - west + 2 * margin_m,
                        north - south + 2 * margin_m)  # fmt: skip
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def set_colours(self, colours: MapColours) -> None:
        self.colours = colours
        self.atlas = SymbolAtlas(colours)
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
        self.painted_frames += 1
        picture = self.picture
        if picture is None or not len(picture):
            return
        transform = painter.transform()
        m11, m12, m21, m22 = transform.m11(), transform.m12(), transform.m21(), transform.m22()
        dx, dy = transform.dx(), transform.dy()
        px = picture.x_m * m11 + picture.y_m * m21 + dx
        py = picture.x_m * m12 + picture.y_m * m22 + dy
        metres_to_px = math.hypot(m11, m12)
        ux, uy = _screen_direction(picture.bow_rad, transform)
        viewport = painter.viewport()
        margin_px = 40.0
        on_screen = (
            (px > -margin_px) & (px < viewport.width() + margin_px)
            & (py > -margin_px) & (py < viewport.height() + margin_px)
        )  # fmt: skip
        painter.save()
        painter.resetTransform()
        # Thousands of thin lines: aliased they draw several times faster, and at one
        # pixel wide the eye hardly tells. Symbols come pre-smoothed from the atlas.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # Level of detail: past a few thousand on screen, trails are only a tangle.
        if self.show_trails and picture.trails and on_screen.sum() <= TRAILS_UP_TO:
            self._paint_trails(painter, picture, transform)
        if self.show_vectors:
            self._paint_vectors(painter, picture, px, py, transform, metres_to_px)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if metres_to_px * 100.0 >= HULL_MIN_PX:
            self._paint_hulls(painter, picture, px, py, ux, uy, metres_to_px)
        self._paint_symbols(painter, picture, px, py, ux, uy, on_screen)
        if self.show_labels:
            self._paint_labels(painter, picture, px, py, on_screen)
        self._paint_selection(painter, picture, px, py)
        painter.restore()

    # Each part paints in device pixels, grouped by colour: a path per colour.

    def _paint_trails(self, painter: QPainter, picture: vp.VesselPicture, transform) -> None:
        x, y, connect = picture.joined_trails()
        tx = x * transform.m11() + y * transform.m21() + transform.dx()
        ty = x * transform.m12() + y * transform.m22() + transform.dy()
        joined = connect[:-1].astype(bool)  # a segment from each point joined to the next
        painter.setPen(QPen(QColor(self.colours.zones["route"]).lighter(130), 1.0))
        self._segments.draw(painter, tx[:-1][joined], ty[:-1][joined], tx[1:][joined],
                            ty[1:][joined])  # fmt: skip

    def _paint_vectors(self, painter, picture, px, py, transform, metres_to_px) -> None:
        """Where each moving vessel will be in ``vector_minutes``: along its course
        over ground, which with a current or leeway is not where the bow points."""
        moving = (picture.sog_kn >= 0.5) & ~picture.lost & (picture.symbol <= vp.SMALL_SHIP)
        if not moving.any():
            return
        ux, uy = _screen_direction(picture.cog_rad[moving], transform)
        length = picture.sog_kn[moving] * self._vector_metres_per_knot() * metres_to_px
        x0, y0 = px[moving], py[moving]
        x1, y1 = x0 + ux * length, y0 + uy * length
        painter.setPen(QPen(QColor(self.colours.text), 1.0))
        self._segments.draw(painter, x0, y0, x1, y1)

    def _paint_symbols(self, painter, picture, px, py, ux, uy, on_screen) -> None:
        """Every symbol in one call, stamped from the atlas and turned to its heading."""
        shape = picture.symbol[on_screen]
        colour = np.where(picture.lost, LOST, picture.colour)[on_screen]
        colour = np.where(shape == vp.DISTRESS, DISTRESS_COLOUR, colour)
        pointing = (shape == vp.SHIP) | (shape == vp.SMALL_SHIP)
        # Clockwise from up on screen, whichever way the view's y axis runs.
        rotation = np.where(pointing, np.degrees(np.arctan2(ux[on_screen], -uy[on_screen])), 0.0)
        self.atlas.stamp(painter, px[on_screen], py[on_screen], rotation, shape, colour)

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

    def _paint_labels(self, painter, picture, px, py, on_screen) -> None:
        """Names where they do not overlap: one label per screen cell (two cells
        wide), moving vessels first, at most ``MAX_LABELS``."""
        candidates = np.flatnonzero(on_screen)
        if len(candidates) == 0:
            return
        candidates = candidates[np.argsort(-picture.sog_kn[candidates], kind="stable")]
        width, height = LABEL_CELL_PX
        column = (px[candidates] // width).astype(np.int64)
        row = (py[candidates] // height).astype(np.int64)
        cell = row * 100_000 + column // 2  # a label takes about two cells
        _, first = np.unique(cell, return_index=True)
        chosen = candidates[np.sort(first)][:MAX_LABELS]
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(self.colours.text)))
        lift = QFontMetricsF(self._font).height() / 2
        names = picture.names
        labels = self._labels
        for index, x, y in zip(
            chosen.tolist(), px[chosen].tolist(), py[chosen].tolist(), strict=True
        ):
            name = names[index] or str(int(picture.mmsi[index]))
            label = labels.get(name)
            if label is None:
                if len(labels) > 4 * MAX_LABELS:
                    labels.clear()
                label = labels[name] = _plain_label(name)
            painter.drawStaticText(QPointF(x + 9, y - lift), label)

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


def _screen_direction(bearing_rad: np.ndarray, transform) -> tuple[np.ndarray, np.ndarray]:
    """Bearings (clockwise from north on the plane) as unit vectors in device pixels."""
    east, north = np.sin(bearing_rad), np.cos(bearing_rad)
    ux = east * transform.m11() + north * transform.m21()
    uy = east * transform.m12() + north * transform.m22()
    norm = np.hypot(ux, uy)
    norm[norm == 0] = 1.0
    return ux / norm, uy / norm


def _plain_label(name: str) -> QStaticText:
    """A name laid out once, as plain text: never markup, whatever the ship calls itself."""
    label = QStaticText(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
    return label


class _Segments:
    """Straight segments drawn in one ``drawLines`` call from a reused array: for
    thousands of one-pixel lines about twice as fast as stroking a path (what
    pyqtgraph's own curves do for disconnected segments)."""

    def __init__(self) -> None:
        self._lines = pg.Qt.internals.PrimitiveArray(QLineF, 4)

    def draw(self, painter: QPainter, x0, y0, x1, y1) -> None:
        if not len(x0):
            return
        self._lines.resize(len(x0))
        lines = self._lines.ndarray()
        lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3] = x0, y0, x1, y1
        painter.drawLines(*self._lines.drawargs())


def _polygons_path(xs: np.ndarray, ys: np.ndarray) -> QPainterPath:
    """One path of closed polygons, a row each (last point repeats the first), built
    in one call rather than a Qt call per vertex."""
    rows, points = xs.shape
    connect = np.ones((rows, points), dtype=np.int32)
    connect[:, -1] = 0
    path = pg.arrayToQPath(xs.ravel(), ys.ravel(), connect=connect.ravel(), finiteCheck=False)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path

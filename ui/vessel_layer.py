"""Every vessel on the map in one graphics item: symbols rotated to heading, speed
vectors, trails, name labels that never overlap (and the zones' names among
them) and, zoomed in, real-size hulls.

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
from portwatch.ui.label_placement import GAP_PX, LabelPlacer, label_order, side_corners
from portwatch.ui.palette import MapColours
from portwatch.ui.port_layers import ZoneLabel
from portwatch.ui.symbol_atlas import DISTRESS_COLOUR, LOST, SymbolAtlas

SYMBOL_PX = 7.0
SELECTION_HALF_PX = SYMBOL_PX * 2.2
HULL_MIN_PX = 14.0
"""Real hull outlines are drawn once a 100 m ship would be this many pixels long."""
MAX_LABELS = 400
LABEL_TRIES = 1200
"""At most this many vessels are tried for a name in a frame, the most important
first: in a crowd of thousands the rest would find no room anyway."""
ZONE_LABEL_FADE_PX = (30.0, 90.0)
"""A zone's name fades in as the zone grows on screen from the first size (across,
in pixels) to the second: zoomed out, small zones are not named at all."""
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
        self.also_selected: tuple[int, ...] = ()
        """Vessels selected with it (the other ship of a close-quarters alert)."""
        self.alerting: frozenset[int] = frozenset()
        """Vessels with an alert: their names are placed before the others'."""
        self.vector_minutes = 6.0
        self.show_vectors = True
        self.show_trails = True
        self.show_labels = True
        self._bounds = QRectF(-1.0, -1.0, 2.0, 2.0)
        self._font = QFont()
        self._zone_font = QFont()
        self._segments = _Segments()
        self._labels: dict[str, QStaticText] = {}
        """Laid-out names, kept between frames (laying out text is the slow part)."""
        self._widths: dict[str, float] = {}
        self.zone_labels: list[ZoneLabel] = []
        self.hidden_zone_kinds: set[str] = set()
        """Kinds of zone whose layer is switched off: their names go with them."""
        self._zone_bounds = QRectF()
        self.drawn_labels: list[tuple[int | str, QRectF]] = []
        """The names drawn in the last frame, by MMSI (a zone's by its name), with
        their rectangles in device pixels: what the tests check for overlaps."""
        self.set_font(QFont())
        self.painted_frames = 0
        """How many times the vessels were painted: one paint per refresh is the
        contract the frame benchmark and the tests check."""
        self.setZValue(10)

    def set_font(self, font: QFont) -> None:
        """Names in ``font``: the window's, so that one text size holds everywhere."""
        self._font = QFont(font)
        self._zone_font = QFont(font)
        self._zone_font.setItalic(True)  # as on a chart: areas in italics
        metrics = QFontMetricsF(self._font)
        self._label_height = metrics.height()
        self._metrics = metrics
        self._zone_metrics = QFontMetricsF(self._zone_font)
        self._labels.clear()
        self._widths.clear()
        self.update()

    def set_zone_labels(self, labels: list[ZoneLabel]) -> None:
        """The zones to name, drawn with the vessels' names so that neither covers
        the other."""
        self.zone_labels = labels
        bounds = QRectF()
        for label in labels:
            bounds = bounds.united(QRectF(label.x_m - 1.0, label.y_m - 1.0, 2.0, 2.0))
        self._zone_bounds = bounds.adjusted(-MARGIN_M, -MARGIN_M, MARGIN_M, MARGIN_M)
        self._update_bounds()
        self.update()

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
        bounds = self._zone_bounds
        if picture is not None and len(picture):
            reach_m = float(picture.sog_kn.max()) * self._vector_metres_per_knot()
            margin_m = max(MARGIN_M, reach_m + MARGIN_M)
            west, east = float(picture.x_m.min()), float(picture.x_m.max())
            south, north = float(picture.y_m.min()), float(picture.y_m.max())
            bounds = bounds.united(
                QRectF(
                    west - margin_m,
                    south - margin_m,
                    east - west + 2 * margin_m,
                    north - south + 2 * margin_m,
                )
            )
        if bounds.isEmpty():
            return
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
        self.drawn_labels = []
        transform = painter.transform()
        viewport = painter.viewport()
        placer = LabelPlacer(viewport.width(), viewport.height()) if self.show_labels else None
        painter.save()
        painter.resetTransform()
        picture = self.picture
        if picture is not None and len(picture):
            self._paint_vessels(painter, picture, transform, viewport, placer)
        if placer is not None and self.zone_labels:
            self._paint_zone_labels(painter, transform, placer)
        painter.restore()

    def _paint_vessels(self, painter, picture, transform, viewport, placer) -> None:
        m11, m12, m21, m22 = transform.m11(), transform.m12(), transform.m21(), transform.m22()
        dx, dy = transform.dx(), transform.dy()
        px = picture.x_m * m11 + picture.y_m * m21 + dx
        py = picture.x_m * m12 + picture.y_m * m22 + dy
        metres_to_px = math.hypot(m11, m12)
        ux, uy = _screen_direction(picture.bow_rad, transform)
        margin_px = 40.0
        on_screen = (
            (px > -margin_px)
            & (px < viewport.width() + margin_px)
            & (py > -margin_px)
            & (py < viewport.height() + margin_px)
        )
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
        if placer is not None:
            self._paint_labels(painter, picture, px, py, on_screen, placer)
        self._paint_selection(painter, picture, px, py)

    # Each part paints in device pixels, grouped by colour: a path per colour.

    def _paint_trails(self, painter: QPainter, picture: vp.VesselPicture, transform) -> None:
        x, y, connect = picture.joined_trails()
        tx = x * transform.m11() + y * transform.m21() + transform.dx()
        ty = x * transform.m12() + y * transform.m22() + transform.dy()
        joined = connect[:-1].astype(bool)  # a segment from each point joined to the next
        painter.setPen(QPen(QColor(self.colours.trail), 1.0))
        self._segments.draw(
            painter, tx[:-1][joined], ty[:-1][joined], tx[1:][joined], ty[1:][joined]
        )

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
            (bow * shoulder, starboard),
            (-stern, starboard),
            (-stern, -port),
            (bow * shoulder, -port),
        ]
        corners.append(corners[0])
        xs = np.stack([x + hx * a + sx * b for a, b in corners], axis=1)
        ys = np.stack([y + hy * a + sy * b for a, b in corners], axis=1)
        path = _polygons_path(xs, ys)
        painter.setPen(QPen(QColor(self.colours.text), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _paint_labels(self, painter, picture, px, py, on_screen, placer) -> None:
        """Names beside their symbols where they cover no other name and no other
        symbol: the selected vessel's first, then those with alerts (over other
        symbols if need be), then moving vessels, fastest first, at most
        ``MAX_LABELS``."""
        candidates = np.flatnonzero(on_screen)
        if len(candidates) == 0:
            return
        placer.block_symbols(px[candidates], py[candidates])
        order = label_order(
            picture.mmsi, picture.sog_kn, candidates, self.selected_mmsi, self.alerting, LABEL_TRIES
        )
        names, mmsis = picture.names, picture.mmsi
        labels = [self._label(names[i] or str(int(mmsis[i]))) for i in order.tolist()]
        widths = np.array([width for _, width in labels])
        height = self._label_height
        selected = self._selected_index(picture)
        gaps = np.where(order == selected, SELECTION_HALF_PX + 3.0, GAP_PX)
        x, y = px[order], py[order]
        lefts, tops = side_corners(x, y, widths, height, gaps)
        # Which sides of every candidate are clear of symbols, found at once.
        clear = placer.clear_of_symbols(lefts, tops, widths[:, None], height)
        worth_trying = clear.any(axis=1) | (order == selected)
        if self.alerting:
            worth_trying |= np.isin(mmsis[order], np.fromiter(self.alerting, dtype=np.int64))
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(self.colours.text)))
        drawn = self.drawn_labels
        alerting = self.alerting
        for k in np.flatnonzero(worth_trying).tolist():
            index = int(order[k])
            mmsi = int(mmsis[index])
            priority = index == selected or mmsi in alerting
            label, width = labels[k]
            spot = placer.place_at(lefts[k], tops[k], width, height, priority, clear[k])
            if index == selected:  # the first: no other name inside the selection box
                half = SELECTION_HALF_PX
                placer.block(float(x[k]) - half, float(y[k]) - half, 2 * half, 2 * half)
            if spot is None:
                continue
            painter.drawStaticText(QPointF(*spot), label)
            drawn.append((mmsi, QRectF(spot[0], spot[1], width, height)))
            if len(drawn) >= MAX_LABELS:
                break

    def _label(self, name: str) -> tuple[QStaticText, float]:
        """A name laid out once, and its width in pixels."""
        label = self._labels.get(name)
        if label is None:
            if len(self._labels) > 4 * MAX_LABELS:
                self._labels.clear()
                self._widths.clear()
            label = self._labels[name] = _plain_label(name)
            self._widths[name] = self._metrics.horizontalAdvance(name)
        return label, self._widths[name]

    def _paint_zone_labels(self, painter: QPainter, transform, placer: LabelPlacer) -> None:
        """Zone names at their zones' centres (or beside them when a vessel's name is
        there), after the vessels' names; fading out as the zone shrinks on screen."""
        metres_to_px = math.hypot(transform.m11(), transform.m12())
        painter.setFont(self._zone_font)
        height = self._zone_metrics.height()
        low, high = ZONE_LABEL_FADE_PX
        for zone in self.zone_labels:
            if zone.kind in self.hidden_zone_kinds:
                continue
            opacity = (zone.size_m * metres_to_px - low) / (high - low)
            if opacity <= 0.0:
                continue
            point = transform.map(QPointF(zone.x_m, zone.y_m))
            width = self._zone_metrics.horizontalAdvance(zone.name)
            x, y = np.array([point.x()]), np.array([point.y()])
            lefts, tops = side_corners(x, y, np.array([width]), height, np.array([GAP_PX]))
            # The zone's middle first, then round it.
            lefts = np.concatenate([x - width / 2, lefts[0]])
            tops = np.concatenate([y - height / 2, tops[0]])
            spot = placer.place_at(lefts, tops, width, height)
            if spot is None:
                continue
            painter.setOpacity(min(1.0, opacity))
            painter.setPen(QPen(QColor(self.colours.zone_text)))
            painter.drawText(
                QRectF(spot[0], spot[1], width, height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                zone.name,
            )
            self.drawn_labels.append((zone.name, QRectF(spot[0], spot[1], width, height)))
        painter.setOpacity(1.0)

    def _selected_index(self, picture: vp.VesselPicture) -> int | None:
        return None if self.selected_mmsi is None else picture.index_of(self.selected_mmsi)

    def _paint_selection(self, painter, picture, px, py) -> None:
        indexes = [self._selected_index(picture)]
        indexes += [picture.index_of(mmsi) for mmsi in self.also_selected]
        pen = QPen(QColor(self.colours.selection), 2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = SELECTION_HALF_PX
        for index in indexes:
            if index is not None:
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

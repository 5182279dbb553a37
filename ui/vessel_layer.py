"""Every vessel on the map in one graphics item: symbols rotated to heading, speed
vectors, trails, name labels that never overlap (and the zones' names among
them) and, zoomed in, real-size hulls.

Drawing 20,000 vessels as 20,000 graphics items would be far too slow, so this
item takes a ``VesselPicture`` (numpy arrays) and paints it as a few painter paths
in device pixels: symbols keep their size on screen whatever the zoom.

Even so, 20,000 vessels take Qt tens of milliseconds to draw, which the window
would spend deaf to the operator four times a second. So, once
``render_in_background`` is called (the app does), a new live picture is drawn
into an image by a thread of its own (Qt draws into a QImage in any thread and
PySide lets the interpreter go while it does) and the window only copies the
finished image onto the screen. Whatever else changes the drawing (the view
moved or zoomed, a vessel selected, a layer switched) is painted at once, in
the window's thread, as before.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
    QTransform,
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


@dataclass(slots=True)
class _Scratch:
    """What one thread needs while it draws, reused from frame to frame: buffers
    handed to Qt and laid-out names. The window's thread and the render thread
    each have their own, so they never draw from the same buffer."""

    segments: _Segments = field(default_factory=lambda: _Segments())
    fragments: pg.Qt.internals.PrimitiveArray = field(
        default_factory=lambda: pg.Qt.internals.PrimitiveArray(QPainter.PixmapFragment, 10)
    )
    labels: dict[str, QStaticText] = field(default_factory=dict)
    """Laid-out names, kept between frames (laying out text is the slow part)."""
    widths: dict[str, float] = field(default_factory=dict)
    metrics: QFontMetricsF | None = None
    """This thread's own measure of the names' font (laid out for ``style``)."""
    style: int = -1
    drawn: list[tuple[int | str, QRectF]] = field(default_factory=list)
    second_drawn: set[int] = field(default_factory=set)
    """Vessels whose name was drawn with its second line."""


@dataclass(frozen=True, slots=True)
class _Frame:
    """A picture drawn in the background for one view and one set of options."""

    view: tuple
    options: tuple
    picture: object
    image: QImage
    drawn_labels: list[tuple[int | str, QRectF]]
    drawn_second_lines: set[int]


class VesselLayer(pg.GraphicsObject):
    """Paints a ``VesselPicture``; knows which vessel is under a point."""

    frame_rendered = Signal()
    """A background frame is ready (emitted in the render thread, delivered in the window's)."""

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
        self.second_lines: dict[int, str] = {}
        """A line under a vessel's name (its ETA, when the operator asks for them),
        placed with the name as one label so that neither ever covers another."""
        self.drawn_second_lines: set[int] = set()
        """Vessels whose second line was drawn in the last frame."""
        self.vector_minutes = 6.0
        self.show_vectors = True
        self.show_trails = True
        self.show_labels = True
        self._bounds = QRectF(-1.0, -1.0, 2.0, 2.0)
        self._font = QFont()
        self._zone_font = QFont()
        self._scratch = _Scratch()
        self._style = 0
        """Goes up when fonts, colours or zones change: a background frame drawn
        with the old ones is not shown."""
        self._background: _RenderThread | None = None
        self._frame: _Frame | None = None
        self._requested: tuple | None = None
        self._view: tuple | None = None
        """The view of the last paint (transform, size, pixel ratio): what a
        background frame is drawn for."""
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
        self._style += 1
        self.update()

    def set_zone_labels(self, labels: list[ZoneLabel]) -> None:
        """The zones to name, drawn with the vessels' names so that neither covers
        the other."""
        self.zone_labels = labels
        bounds = QRectF()
        for label in labels:
            bounds = bounds.united(QRectF(label.x_m - 1.0, label.y_m - 1.0, 2.0, 2.0))
        self._zone_bounds = bounds.adjusted(-MARGIN_M, -MARGIN_M, MARGIN_M, MARGIN_M)
        self._style += 1
        self._update_bounds()
        self.update()

    def set_picture(self, picture: vp.VesselPicture) -> None:
        self.picture = picture
        self._update_bounds()
        if self._background is not None and self._view is not None:
            # Drawn once the window's thread is back in its event loop: not on the
            # same two cores as the rest of the refresh (the vessel list's update).
            # The finished frame asks for the paint.
            QTimer.singleShot(0, self._request_latest)
        else:
            self.update()

    def _request_latest(self) -> None:
        if self._background is not None and self._view is not None:
            self._request(self._view)

    def _request(self, view: tuple) -> None:
        """Have the current picture drawn in the background for ``view``, unless it
        already is being drawn."""
        assert self._background is not None
        options, picture = self._options(), self.picture
        requested = self._requested
        if (
            requested is not None
            and requested[0] == view
            and requested[1] == options
            and requested[2] is picture
        ):
            return
        self._requested = (view, options, picture)
        self._background.request(view, options, picture)

    def render_in_background(self) -> None:
        """From now on, draw each new picture in a thread of its own (see the module)."""
        if self._background is None:
            background = self._background = _RenderThread(self)
            self.frame_rendered.connect(self.update)
            self.destroyed.connect(lambda *_: background.stop())

    def stop_background(self) -> None:
        """Draw in the window's thread again; the render thread ends."""
        if self._background is not None:
            self._background.stop()
            self._background = None
            self._frame = self._requested = None

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
        self._style += 1
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
        transform = painter.transform()
        viewport = painter.viewport()
        view = (
            transform.m11(),
            transform.m12(),
            transform.m21(),
            transform.m22(),
            transform.dx(),
            transform.dy(),
            viewport.width(),
            viewport.height(),
            painter.device().devicePixelRatioF(),
        )
        self._view = view
        frame = self._frame
        if (
            self._background is not None
            and frame is not None
            and frame.view == view
            and frame.options == self._options()
        ):
            # The newest background frame for this view; a newer picture is on its way.
            painter.save()
            painter.resetTransform()
            painter.drawImage(QPointF(0.0, 0.0), frame.image)
            painter.restore()
            self.drawn_labels = frame.drawn_labels
            self.drawn_second_lines = frame.drawn_second_lines
            if frame.picture is not self.picture:
                self._request(view)
            return
        scratch = self._scratch
        scratch.drawn, scratch.second_drawn = [], set()
        self._render(painter, transform, viewport, self.picture, scratch)
        self.drawn_labels = scratch.drawn
        self.drawn_second_lines = scratch.second_drawn
        if self._background is not None:  # from the next picture on, for this view
            self._frame = None

    def _options(self) -> tuple:
        """Everything besides the picture and the view that changes the drawing."""
        return (
            self._style,
            self.selected_mmsi,
            self.also_selected,
            self.alerting,
            self.vector_minutes,
            self.show_vectors,
            self.show_trails,
            self.show_labels,
            frozenset(self.hidden_zone_kinds),
            tuple(self.second_lines.items()),
        )

    def _render(
        self,
        painter: QPainter,
        transform: QTransform,
        viewport: QRect,
        picture: vp.VesselPicture | None,
        scratch: _Scratch,
    ) -> None:
        """Draw ``picture`` for a view (``transform`` from the plane to pixels of a
        ``viewport``), in whichever thread ``scratch`` belongs to."""
        placer = LabelPlacer(viewport.width(), viewport.height()) if self.show_labels else None
        painter.save()
        painter.resetTransform()
        if picture is not None and len(picture):
            self._paint_vessels(painter, picture, transform, viewport, placer, scratch)
        if placer is not None and self.zone_labels:
            self._paint_zone_labels(painter, transform, placer, scratch)
        painter.restore()

    def _render_frame(
        self, view: tuple, options: tuple, picture: vp.VesselPicture | None, scratch: _Scratch
    ) -> _Frame:
        """A frame for ``view``, drawn into an image (in the render thread)."""
        m11, m12, m21, m22, dx, dy, width, height, ratio = view
        image = QImage(
            max(1, round(width * ratio)),
            max(1, round(height * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        scratch.drawn, scratch.second_drawn = [], set()
        painter = QPainter(image)
        try:
            transform = QTransform(m11, m12, m21, m22, dx, dy)
            self._render(painter, transform, QRect(0, 0, width, height), picture, scratch)
        finally:
            painter.end()
        return _Frame(view, options, picture, image, scratch.drawn, scratch.second_drawn)

    def _paint_vessels(self, painter, picture, transform, viewport, placer, scratch) -> None:
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
            self._paint_trails(painter, picture, transform, scratch)
        if self.show_vectors:
            self._paint_vectors(painter, picture, px, py, transform, metres_to_px, scratch)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if metres_to_px * 100.0 >= HULL_MIN_PX:
            self._paint_hulls(painter, picture, px, py, ux, uy, metres_to_px)
        self._paint_symbols(painter, picture, px, py, ux, uy, on_screen, scratch)
        if placer is not None:
            self._paint_labels(painter, picture, px, py, on_screen, placer, scratch)
        self._paint_selection(painter, picture, px, py)

    # Each part paints in device pixels, grouped by colour: a path per colour.

    def _paint_trails(
        self, painter: QPainter, picture: vp.VesselPicture, transform, scratch: _Scratch
    ) -> None:
        x, y, connect = picture.joined_trails()
        tx = x * transform.m11() + y * transform.m21() + transform.dx()
        ty = x * transform.m12() + y * transform.m22() + transform.dy()
        joined = connect[:-1].astype(bool)  # a segment from each point joined to the next
        painter.setPen(QPen(QColor(self.colours.trail), 1.0))
        scratch.segments.draw(
            painter, tx[:-1][joined], ty[:-1][joined], tx[1:][joined], ty[1:][joined]
        )

    def _paint_vectors(self, painter, picture, px, py, transform, metres_to_px, scratch) -> None:
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
        scratch.segments.draw(painter, x0, y0, x1, y1)

    def _paint_symbols(self, painter, picture, px, py, ux, uy, on_screen, scratch) -> None:
        """Every symbol in one call, stamped from the atlas and turned to its heading."""
        shape = picture.symbol[on_screen]
        colour = np.where(picture.lost, LOST, picture.colour)[on_screen]
        colour = np.where(shape == vp.DISTRESS, DISTRESS_COLOUR, colour)
        pointing = (shape == vp.SHIP) | (shape == vp.SMALL_SHIP)
        # Clockwise from up on screen, whichever way the view's y axis runs.
        rotation = np.where(pointing, np.degrees(np.arctan2(ux[on_screen], -uy[on_screen])), 0.0)
        self.atlas.stamp(
            painter, px[on_screen], py[on_screen], rotation, shape, colour, scratch.fragments
        )

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

    def _paint_labels(self, painter, picture, px, py, on_screen, placer, scratch) -> None:
        """Names beside their symbols where they cover no other name and no other
        symbol: the selected vessel's first, then those with alerts (over other
        symbols if need be), then those with a second line, then moving vessels,
        fastest first, at most ``MAX_LABELS``. A name with a second line that finds
        no room for both is placed alone, rather than not at all."""
        candidates = np.flatnonzero(on_screen)
        if len(candidates) == 0:
            return
        placer.block_symbols(px[candidates], py[candidates])
        seconds = self.second_lines
        order = label_order(
            picture.mmsi,
            picture.sog_kn,
            candidates,
            self.selected_mmsi,
            self.alerting,
            LABEL_TRIES,
            frozenset(seconds),
        )
        names, mmsis = picture.names, picture.mmsi
        labels = [self._label(names[i] or str(int(mmsis[i])), scratch) for i in order.tolist()]
        lines = [seconds.get(int(mmsis[i])) for i in order.tolist()] if seconds else []
        second = [self._label(line, scratch) if line else None for line in lines]
        name_widths = np.array([width for _, width in labels])
        widths = name_widths.copy()
        heights = np.full(len(order), self._label_height)
        for k, extra in enumerate(second):
            if extra is not None:
                widths[k] = max(widths[k], extra[1])
                heights[k] = 2 * self._label_height
        selected = self._selected_index(picture)
        gaps = np.where(order == selected, SELECTION_HALF_PX + 3.0, GAP_PX)
        x, y = px[order], py[order]
        lefts, tops = side_corners(x, y, widths, heights, gaps)
        # Which sides of every candidate are clear of symbols, found at once.
        clear = placer.clear_of_symbols(lefts, tops, widths[:, None], heights[:, None])
        worth_trying = clear.any(axis=1) | (order == selected)
        if self.alerting:
            worth_trying |= np.isin(mmsis[order], np.fromiter(self.alerting, dtype=np.int64))
        if second:
            worth_trying |= np.array([extra is not None for extra in second])
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(self.colours.text)))
        drawn = scratch.drawn
        alerting = self.alerting
        for k in np.flatnonzero(worth_trying).tolist():
            index = int(order[k])
            mmsi = int(mmsis[index])
            priority = index == selected or mmsi in alerting
            label, width = labels[k]
            height = float(heights[k])
            spot = placer.place_at(lefts[k], tops[k], float(widths[k]), height, priority, clear[k])
            extra = second[k] if second else None
            if spot is None and extra is not None:  # the name alone, without its second line
                extra, height = None, self._label_height
                one_lefts, one_tops = side_corners(
                    x[k : k + 1], y[k : k + 1], name_widths[k : k + 1], height, gaps[k : k + 1]
                )
                spot = placer.place_at(one_lefts[0], one_tops[0], width, height, priority)
            if index == selected:  # the first: no other name inside the selection box
                half = SELECTION_HALF_PX
                placer.block(float(x[k]) - half, float(y[k]) - half, 2 * half, 2 * half)
            if spot is None:
                continue
            painter.drawStaticText(QPointF(*spot), label)
            if extra is not None:
                painter.drawStaticText(QPointF(spot[0], spot[1] + self._label_height), extra[0])
                scratch.second_drawn.add(mmsi)
                width = float(widths[k])
            drawn.append((mmsi, QRectF(spot[0], spot[1], width, height)))
            if len(drawn) >= MAX_LABELS:
                break

    def _label(self, name: str, scratch: _Scratch) -> tuple[QStaticText, float]:
        """A name laid out once, and its width in pixels."""
        if scratch.style != self._style:  # the font changed: lay names out again
            scratch.labels.clear()
            scratch.widths.clear()
            scratch.metrics = QFontMetricsF(self._font)
            scratch.style = self._style
        labels, widths = scratch.labels, scratch.widths
        label = labels.get(name)
        if label is None:
            if len(labels) > 4 * MAX_LABELS:
                labels.clear()
                widths.clear()
            label = labels[name] = _plain_label(name)
            widths[name] = scratch.metrics.horizontalAdvance(name)
        return label, widths[name]

    def _paint_zone_labels(
        self, painter: QPainter, transform, placer: LabelPlacer, scratch: _Scratch
    ) -> None:
        """Zone names at their zones' centres (or beside them when a vessel's name is
        there), after the vessels' names; fading out as the zone shrinks on screen."""
        metres_to_px = math.hypot(transform.m11(), transform.m12())
        painter.setFont(self._zone_font)
        metrics = QFontMetricsF(self._zone_font)  # this thread's own
        height = metrics.height()
        low, high = ZONE_LABEL_FADE_PX
        for zone in self.zone_labels:
            if zone.kind in self.hidden_zone_kinds:
                continue
            opacity = (zone.size_m * metres_to_px - low) / (high - low)
            if opacity <= 0.0:
                continue
            point = transform.map(QPointF(zone.x_m, zone.y_m))
            width = metrics.horizontalAdvance(zone.name)
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
            scratch.drawn.append((zone.name, QRectF(spot[0], spot[1], width, height)))
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


class _RenderThread:
    """Draws a layer's newest requested picture into an image, one at a time; a
    request made while it draws replaces any other still waiting."""

    def __init__(self, layer: VesselLayer) -> None:
        self._layer = layer
        self._scratch = _Scratch()
        self._wanted: tuple | None = None
        self._stopped = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="vessel layer", daemon=True)
        self._thread.start()

    def request(self, view: tuple, options: tuple, picture: vp.VesselPicture | None) -> None:
        with self._condition:
            self._wanted = (view, options, picture)
            self._condition.notify()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify()

    def _run(self) -> None:
        layer = self._layer
        while True:
            with self._condition:
                while self._wanted is None and not self._stopped:
                    self._condition.wait()
                if self._stopped:
                    return
                view, options, picture = self._wanted
                self._wanted = None
            try:
                frame = layer._render_frame(view, options, picture, self._scratch)
                if self._stopped:
                    return
                layer._frame = frame
                layer.frame_rendered.emit()
            except RuntimeError:  # the layer is gone with its window
                return

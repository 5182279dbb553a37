"""What the operator's watch adds to the map: anchorages tinted by their level,
rings round vessels with an open alert, swing circles of ships at anchor when
zoomed in, the texts of the ETA labels of inbound vessels (drawn under their
names by the vessel layer, which places every label), and the situation of the
alert the operator chose (both ships where they will be at the closest point of
approach; the anchor, its swing circle and the drift of a dragging ship).

Everything is drawn from the last ``WatchView`` the window was given: nothing here
computes an analytic, it only places what the core said on the plane."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from portwatch.analytics.alerts import Alert
from portwatch.analytics.view import WatchView
from portwatch.port.port_file import Port
from portwatch.ui import vessel_picture as vp
from portwatch.ui.palette import MapColours
from portwatch.ui.port_layers import shape_path
from portwatch.ui.time_text import time_of_day

SWING_MIN_PX = 6.0
"""Swing circles are drawn once a typical one (300 m across) is this wide on screen."""
ALERT_RING_PX = 13.0
TINT_ALPHA = {"normal": 0, "busy": 70, "congested": 110}
"""How strongly an anchorage is tinted: not at all while normal, so the map stays
calm and only a filling anchorage draws the eye."""
KNOT_MPS = 1852.0 / 3600.0


@dataclass(frozen=True, slots=True)
class Situation:
    """What the chosen alert draws, in the port's plane (metres)."""

    kind: str
    ships: tuple[tuple[float, float, float, float], ...] = ()
    """(x now, y now, x at CPA, y at CPA) per ship of a close-quarters alert."""
    anchor: tuple[float, float, float] | None = None
    """(x, y, swing radius) where a dragging ship anchored."""
    ship: tuple[float, float] | None = None
    """Where the dragging ship is now."""


def situation_of(
    alert: Alert, picture: vp.VesselPicture | None, port: Port, now_s: float | None
) -> Situation | None:
    """The drawing of ``alert``: close quarters from each ship's position, course and
    speed now to where it will be at the TCPA (counted down from the alert's time);
    a drag from its anchoring position, swing circle and where the ship is."""
    details = alert.event.details or {}
    if alert.kind == "cpa" and picture is not None:
        tcpa_s = float(details.get("tcpa_s") or 0.0)
        if now_s is not None:
            tcpa_s = max(0.0, tcpa_s - (now_s - alert.event.time_s))
        ships = []
        for mmsi in (alert.mmsi, alert.other_mmsi):
            index = picture.index_of(mmsi) if mmsi is not None else None
            if index is None:
                continue
            x, y = float(picture.x_m[index]), float(picture.y_m[index])
            speed = float(picture.sog_kn[index]) * KNOT_MPS
            course = float(picture.cog_rad[index])
            if not math.isfinite(course):
                course = 0.0
                speed = 0.0
            ships.append(
                (x, y, x + math.sin(course) * speed * tcpa_s, y + math.cos(course) * speed * tcpa_s)
            )
        return Situation("cpa", ships=tuple(ships))
    if alert.kind == "anchor_drag" and details.get("anchored_lat") is not None:
        ax, ay = port.plane.to_local(details["anchored_lon"], details["anchored_lat"])
        ship = None
        index = picture.index_of(alert.mmsi) if picture is not None and alert.mmsi else None
        if index is not None:
            ship = (float(picture.x_m[index]), float(picture.y_m[index]))
        elif alert.event.lat is not None:
            sx, sy = port.plane.to_local(alert.event.lon, alert.event.lat)
            ship = (float(sx), float(sy))
        radius = float(details.get("radius_m") or 0.0)
        return Situation("anchor_drag", anchor=(float(ax), float(ay), radius), ship=ship)
    return None


def eta_labels(watch: WatchView | None) -> dict[int, str]:
    """MMSI → ``ETA 01:15Z``, each inbound ship's estimate at its first pilot
    boarding place on the board (the day shown when it is not the data clock's)."""
    labels: dict[int, str] = {}
    if watch is None or watch.pilot_board is None:
        return labels
    for entry in watch.pilot_board.inbound:
        if entry.eta_s is not None and entry.mmsi not in labels:
            labels[entry.mmsi] = f"ETA {time_of_day(entry.eta_s, watch.time_s)}"
    return labels


class WatchLayer(pg.GraphicsObject):
    """The watch over the port (see the module docstring); repaints only when given
    a new view or asked to show something else."""

    def __init__(self, port: Port, colours: MapColours) -> None:
        super().__init__()
        self.port = port
        self.colours = colours
        self._anchorages = {f.name: shape_path(f.local) for f in port.of_kind("anchorage")}
        bounds = QRectF()
        for feature in port.features:
            west, south, east, north = feature.local.bounds
            bounds = bounds.united(QRectF(west, south, east - west, north - south))
        self._port_bounds = bounds
        self.levels: dict[str, str] = {}
        self.alerting: np.ndarray = np.zeros(0, dtype=np.int64)
        self.swing_circles: tuple[tuple[int, float, float, float], ...] = ()
        self.chosen_ships: set[int] = set()
        """Ships of the anchorage chosen in its panel: their swing circles at every zoom."""
        self.situation: Situation | None = None
        self.picture: vp.VesselPicture | None = None
        self.setZValue(8)

    def set_colours(self, colours: MapColours) -> None:
        self.colours = colours
        self.update()

    def set_watch(self, watch: WatchView | None, picture: vp.VesselPicture) -> None:
        """The latest view and vessel picture (the window's refresh)."""
        self.picture = picture
        if watch is None:
            self.levels, self.alerting, self.swing_circles = {}, self.alerting[:0], ()
        else:
            self.levels = {a.name: a.level for a in watch.anchorages}
            self.alerting = np.fromiter(watch.alerting_mmsis(), dtype=np.int64)
            self.swing_circles = watch.swing_circles
        self.update()

    def boundingRect(self) -> QRectF:
        bounds = QRectF(self._port_bounds)
        picture = self.picture
        if picture is not None and len(picture):
            west, east = float(picture.x_m.min()), float(picture.x_m.max())
            south, north = float(picture.y_m.min()), float(picture.y_m.max())
            bounds = bounds.united(QRectF(west, south, east - west, north - south))
        return bounds.adjusted(-5000, -5000, 5000, 5000)

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_tints(painter)
        transform = painter.transform()
        metres_to_px = math.hypot(transform.m11(), transform.m12())
        self._paint_swing_circles(painter, metres_to_px)
        self._paint_situation(painter)
        painter.save()
        painter.resetTransform()
        self._paint_alert_rings(painter, transform)
        painter.restore()

    def _paint_tints(self, painter: QPainter) -> None:
        for name, level in self.levels.items():
            alpha = TINT_ALPHA.get(level, 0)
            path = self._anchorages.get(name)
            if path is None or not alpha:
                continue
            colour = QColor(self.colours.levels.get(level, self.colours.alert))
            pen = QPen(colour, 2.5)
            pen.setCosmetic(True)
            fill = QColor(colour)
            fill.setAlpha(alpha)
            painter.setPen(pen)
            painter.setBrush(QBrush(fill))
            painter.drawPath(path)

    def _paint_swing_circles(self, painter: QPainter, metres_to_px: float) -> None:
        zoomed_in = metres_to_px * 300.0 >= SWING_MIN_PX
        circles = self.swing_circles
        if not circles:
            return
        pen = QPen(QColor(self.colours.swing), 1.0, Qt.PenStyle.DotLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        chosen = self.chosen_ships
        for mmsi, x, y, radius in circles:
            if zoomed_in or mmsi in chosen:
                painter.drawEllipse(QPointF(x, y), radius, radius)

    def _paint_situation(self, painter: QPainter) -> None:
        situation = self.situation
        if situation is None:
            return
        colour = QColor(self.colours.alert)
        pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for x, y, cx, cy in situation.ships:
            painter.drawLine(QPointF(x, y), QPointF(cx, cy))
        if len(situation.ships) == 2:
            (_, _, ax, ay), (_, _, bx, by) = situation.ships
            solid = QPen(colour, 2.0)
            solid.setCosmetic(True)
            painter.setPen(solid)
            painter.drawLine(QPointF(ax, ay), QPointF(bx, by))  # the CPA itself
        if situation.anchor is not None:
            x, y, radius = situation.anchor
            painter.drawEllipse(QPointF(x, y), radius, radius)
            if situation.ship is not None:
                solid = QPen(colour, 2.0)
                solid.setCosmetic(True)
                painter.setPen(solid)
                painter.drawLine(QPointF(x, y), QPointF(*situation.ship))
        painter.save()
        transform = painter.transform()
        painter.resetTransform()
        painter.setPen(QPen(colour, 2.0))
        for _, _, cx, cy in situation.ships:
            point = transform.map(QPointF(cx, cy))
            painter.drawEllipse(point, 5.0, 5.0)
        if situation.anchor is not None:
            point = transform.map(QPointF(situation.anchor[0], situation.anchor[1]))
            painter.drawLine(point + QPointF(-5, -5), point + QPointF(5, 5))
            painter.drawLine(point + QPointF(-5, 5), point + QPointF(5, -5))
        painter.restore()

    def _paint_alert_rings(self, painter: QPainter, transform) -> None:
        picture = self.picture
        if picture is None or not len(picture) or not self.alerting.size:
            return
        rows = np.flatnonzero(np.isin(picture.mmsi, self.alerting))
        if not rows.size:
            return
        pen = QPen(QColor(self.colours.alert), 2.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for row in rows.tolist():
            point = transform.map(QPointF(float(picture.x_m[row]), float(picture.y_m[row])))
            painter.drawEllipse(point, ALERT_RING_PX, ALERT_RING_PX)

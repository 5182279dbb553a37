"""The port file drawn on the map: land, zones by kind, routes and pilot boarding
places, one toggleable layer per kind, all in the port's local plane (metres)."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
import shapely
import shapely.ops
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from portwatch.port.port_file import Port
from portwatch.ui.palette import MapColours

LAYERS = ("coastline", "approach", "anchorage", "fairway", "berth", "restricted", "route",
          "pilot_boarding")  # fmt: skip
LAYER_TITLES = {
    "coastline": "Land", "approach": "Approach zone", "anchorage": "Anchorages",
    "fairway": "Fairways", "berth": "Berths", "restricted": "Restricted areas",
    "route": "Routes", "pilot_boarding": "Pilot boarding places",
}  # fmt: skip
NAMED_KINDS = ("anchorage", "fairway", "berth", "restricted", "pilot_boarding")
"""Zones named on the map; the approach zone is the map itself, routes are lines."""
_Z = {"coastline": 1, "approach": 2, "anchorage": 3, "fairway": 3, "berth": 4,
      "restricted": 4, "route": 5, "pilot_boarding": 6}  # fmt: skip


def shape_path(geometry: shapely.Geometry) -> QPainterPath:
    """A shapely (multi)polygon or (multi)line as a QPainterPath, holes kept."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                path.addPolygon(QPolygonF([QPointF(x, y) for x, y, *_ in ring.coords]))
                path.closeSubpath()
        elif part.geom_type == "LineString":
            coords = list(part.coords)
            path.moveTo(*coords[0][:2])
            for x, y, *_ in coords[1:]:
                path.lineTo(x, y)
        elif part.geom_type == "Point":
            path.addEllipse(QPointF(part.x, part.y), 1.0, 1.0)
    return path


def _cosmetic_pen(colour: str, width: float = 1.0, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # widths in pixels, whatever the zoom
    return pen


class PortLayers(pg.GraphicsObject):
    """Every layer in one graphics item, cached as one pixmap of the screen.

    The port does not move: the item paints its layers (the visible ones, in
    z order) once into a device-sized cache and, frame after frame, costs one blit
    until the view pans or zooms or a layer is switched. As twenty cached items, one
    per feature, it cost 5 ms a frame; as one, about 1 ms.
    """

    def __init__(self, port: Port, colours: MapColours, with_land: bool = True) -> None:
        super().__init__()
        self.port = port
        self.with_land = with_land
        """False under a chart: the chart's land is drawn instead of the port file's."""
        self._hidden: set[str] = set()
        self._shapes: list[tuple[str, QPainterPath, QPen, QBrush]] = []
        self._bounds = QRectF()
        self.setZValue(1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._build(colours)

    def items(self) -> list[QGraphicsItem]:
        return [self]

    def is_visible(self, layer: str) -> bool:
        return layer not in self._hidden

    def set_visible(self, layer: str, visible: bool) -> None:
        if visible:
            self._hidden.discard(layer)
        else:
            self._hidden.add(layer)
        self.update()

    def recolour(self, colours: MapColours) -> None:
        self._build(colours)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for layer, path, pen, brush in self._shapes:
            if layer in self._hidden:
                continue
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)

    def _build(self, colours: MapColours) -> None:
        shapes = [
            (layer, path, pen, brush)
            for layer in sorted(LAYERS, key=_Z.__getitem__)
            for path, pen, brush in self._layer_shapes(layer, colours)
        ]
        bounds = QRectF()
        for _, path, _, _ in shapes:
            bounds = bounds.united(path.boundingRect())
        margin = 0.05 * max(bounds.width(), bounds.height(), 1.0)  # cosmetic pens
        self.prepareGeometryChange()
        self._shapes = shapes
        self._bounds = bounds.adjusted(-margin, -margin, margin, margin)

    def _layer_shapes(
        self, layer: str, colours: MapColours
    ) -> list[tuple[QPainterPath, QPen, QBrush]]:
        no_fill = QBrush(Qt.BrushStyle.NoBrush)
        if layer == "coastline":
            parts = [part.local for part in self.port.coastline] if self.with_land else []
            if not parts:
                return []
            land = QBrush(QColor(colours.land))
            return [(shape_path(shapely.union_all(parts)), _cosmetic_pen(colours.land_edge), land)]
        colour = colours.zones[layer]
        shapes = []
        for feature in self.port.of_kind(layer):
            if layer == "pilot_boarding":
                radius = float(feature.properties.get("radius_m", 1000.0))
                path = QPainterPath()
                path.addEllipse(QPointF(feature.local.x, feature.local.y), radius, radius)
                shapes.append((path, _cosmetic_pen(colour, 1.5, Qt.PenStyle.DashLine), no_fill))
            elif layer == "route":
                pen = _cosmetic_pen(colour, 1.0, Qt.PenStyle.DashDotLine)
                shapes.append((shape_path(feature.local), pen, no_fill))
            else:
                fill = QColor(colour)
                fill.setAlpha(0 if layer == "approach" else 40)
                dash = Qt.PenStyle.DashLine if layer == "approach" else Qt.PenStyle.SolidLine
                pen = _cosmetic_pen(colour, 1.2, dash)
                shapes.append((shape_path(feature.local), pen, QBrush(fill)))
        return shapes


@dataclass(frozen=True, slots=True)
class ZoneLabel:
    """A zone's name and where it goes on the plane."""

    name: str
    kind: str
    x_m: float
    y_m: float
    size_m: float
    """How wide the zone is (its narrower side): its name fades out when this
    is small on screen."""


def zone_labels(port: Port) -> list[ZoneLabel]:
    """A label per named zone, at the point of the zone farthest from its edges
    (a name in the middle of an L-shaped anchorage, not on its corner); a pilot
    boarding place's at its position."""
    labels = []
    for feature in port.features:
        if feature.kind not in NAMED_KINDS:
            continue
        shape = feature.local
        if feature.kind == "pilot_boarding":
            radius_m = float(feature.properties.get("radius_m", 1000.0))
            labels.append(ZoneLabel(feature.name, feature.kind, shape.x, shape.y, 2 * radius_m))
            continue
        part = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area)
        if part.is_empty or part.area <= 0:
            continue
        west, south, east, north = part.bounds
        centre = shapely.ops.polylabel(part, tolerance=max(1.0, (east - west) / 100))
        labels.append(
            ZoneLabel(
                feature.name, feature.kind, centre.x, centre.y, min(east - west, north - south)
            )
        )
    return labels

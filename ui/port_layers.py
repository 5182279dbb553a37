"""The port file drawn on the map: land, zones by kind, routes and pilot boarding
places, one toggleable layer per kind, all in the port's local plane (metres)."""

from __future__ import annotations

import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsItemGroup, QGraphicsPathItem

from portwatch.port.port_file import Port
from portwatch.ui.palette import MapColours

LAYERS = ("coastline", "approach", "anchorage", "fairway", "berth", "restricted", "route",
          "pilot_boarding")  # fmt: skip
LAYER_TITLES = {
    "coastline": "Land", "approach": "Approach zone", "anchorage": "Anchorages",
    "fairway": "Fairways", "berth": "Berths", "restricted": "Restricted areas",
    "route": "Routes", "pilot_boarding": "Pilot boarding places",
}  # fmt: skip
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


class PortLayers:
    """One ``QGraphicsItemGroup`` per layer kind, added to a view box."""

    def __init__(self, port: Port, colours: MapColours) -> None:
        self.port = port
        self.groups: dict[str, QGraphicsItemGroup] = {}
        self._children: list[QGraphicsItem] = []
        """Held here too: PySide does not give a group ownership of what it holds."""
        self._build(colours)

    def items(self) -> list[QGraphicsItem]:
        return list(self.groups.values())

    def set_visible(self, layer: str, visible: bool) -> None:
        self.groups[layer].setVisible(visible)

    def recolour(self, colours: MapColours) -> None:
        for group in self.groups.values():
            for child in group.childItems():
                if child.scene() is not None:
                    child.scene().removeItem(child)
        self._children = []
        self._build(colours, reuse=True)

    def _build(self, colours: MapColours, reuse: bool = False) -> None:
        for layer in LAYERS:
            if not reuse:
                group = QGraphicsItemGroup()
                group.setZValue(_Z[layer])
                self.groups[layer] = group
            group = self.groups[layer]
            for item in self._layer_items(layer, colours):
                # Drawn from a cached pixmap until the view pans or zooms.
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                # setParentItem keeps the item's own (metre) coordinates; addToGroup
                # would map them through the view's transform once it is on screen.
                item.setParentItem(group)
                self._children.append(item)

    def _layer_items(self, layer: str, colours: MapColours) -> list[QGraphicsPathItem]:
        if layer == "coastline":
            parts = [part.local for part in self.port.coastline]
            if not parts:
                return []
            item = QGraphicsPathItem(shape_path(shapely.union_all(parts)))
            item.setBrush(QBrush(QColor(colours.land)))
            item.setPen(_cosmetic_pen(colours.land_edge))
            return [item]
        colour = colours.zones[layer]
        items = []
        for feature in self.port.of_kind(layer):
            if layer == "pilot_boarding":
                radius = float(feature.properties.get("radius_m", 1000.0))
                path = QPainterPath()
                path.addEllipse(QPointF(feature.local.x, feature.local.y), radius, radius)
                item = QGraphicsPathItem(path)
                item.setPen(_cosmetic_pen(colour, 1.5, Qt.PenStyle.DashLine))
            elif layer == "route":
                item = QGraphicsPathItem(shape_path(feature.local))
                item.setPen(_cosmetic_pen(colour, 1.0, Qt.PenStyle.DashDotLine))
            else:
                item = QGraphicsPathItem(shape_path(feature.local))
                fill = QColor(colour)
                fill.setAlpha(0 if layer == "approach" else 40)
                item.setBrush(QBrush(fill))
                dash = Qt.PenStyle.DashLine if layer == "approach" else Qt.PenStyle.SolidLine
                item.setPen(_cosmetic_pen(colour, 1.2, dash))
            item.setData(0, feature.name)
            items.append(item)
        return items

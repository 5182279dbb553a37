"""The approach-zone map: a pyqtgraph view on the port's local plane (metres east
and north, equal aspect), the port's layers under the vessels, a scale bar, and
the position under the cursor in latitude and longitude."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
import shapely
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QFont

from portwatch.charts.cells import Cell
from portwatch.charts.chart_model import DEFAULT_SAFETY_DEPTH_M, chart_model
from portwatch.geodesy import METRES_PER_NM
from portwatch.port.port_file import Port
from portwatch.ui.chart_layer import ChartLayer
from portwatch.ui.palette import MapColours
from portwatch.ui.port_layers import PortLayers, zone_labels
from portwatch.ui.vessel_layer import VesselLayer
from portwatch.ui.watch_layer import WatchLayer

PICK_PX = 10.0
"""How near the cursor a vessel must be to be hovered or clicked."""
SCALE_BAR_PX = 120.0
"""About how long the scale bar is drawn; its length is a round distance."""
_ROUND_NM = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def scale_bar_nm(metres_per_px: float) -> float:
    """The round distance in nautical miles nearest ``SCALE_BAR_PX`` pixels long."""
    wanted_nm = SCALE_BAR_PX * metres_per_px / METRES_PER_NM
    return min(_ROUND_NM, key=lambda nm: abs(nm - wanted_nm) / nm)


class MapView(pg.PlotWidget):
    """Pan with the mouse, zoom with the wheel; says where the cursor is and which
    vessel was clicked."""

    cursor_moved = Signal(float, float)
    """Longitude, latitude under the cursor."""
    vessel_clicked = Signal(int)
    vessel_hovered = Signal(object)
    """MMSI under the cursor, or None."""
    measured = Signal(float, float)
    """Range (NM) and true bearing (degrees) of the measuring line."""

    def __init__(
        self,
        port: Port,
        colours: MapColours,
        chart: Sequence[Cell] = (),
        safety_depth_m: float = DEFAULT_SAFETY_DEPTH_M,
    ) -> None:
        super().__init__()
        self.port = port
        self.setBackground(colours.water)
        self.setAspectLocked(True)
        for axis in ("left", "bottom"):
            self.hideAxis(axis)
        self.getPlotItem().setMenuEnabled(False)
        self.getPlotItem().hideButtons()  # no stray "A": Ctrl+0 zooms to the port
        self.view_box = self.getPlotItem().getViewBox()
        self.chart_cells = tuple(chart)
        self.chart_layer: ChartLayer | None = None
        if self.chart_cells:
            model = chart_model(self.chart_cells, port.plane, safety_depth_m)
            self.chart_layer = ChartLayer(model, colours)
            self.view_box.addItem(self.chart_layer, ignoreBounds=True)
        self.port_layers = PortLayers(port, colours, with_land=self.chart_layer is None)
        for item in self.port_layers.items():
            self.view_box.addItem(item, ignoreBounds=True)
        self.watch_layer = WatchLayer(port, colours)
        self.view_box.addItem(self.watch_layer, ignoreBounds=True)
        self.vessels = VesselLayer(colours)
        self.vessels.set_zone_labels(zone_labels(port))
        self.view_box.addItem(self.vessels, ignoreBounds=True)
        self.track = pg.PlotCurveItem()
        self.track.setZValue(9)
        self.view_box.addItem(self.track, ignoreBounds=True)
        self.scale_bar = pg.ScaleBar(size=METRES_PER_NM, suffix="")
        self.scale_bar.setParentItem(self.view_box)
        self.scale_bar.anchor((1, 1), (1, 1), offset=(-20, -20))
        self.view_box.sigRangeChanged.connect(self._on_range_changed)
        self.measuring = False
        self._measure_from: tuple[float, float] | None = None
        self._measure_kept = False
        self.measure_line = pg.PlotCurveItem()
        self.measure_line.setZValue(20)
        self.view_box.addItem(self.measure_line, ignoreBounds=True)
        self._colour_overlays(colours)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.zoom_to_port()

    def show_track(self, x_m: np.ndarray, y_m: np.ndarray) -> None:
        """A track from history, drawn under the vessels until the next one."""
        self.track.setData(x=x_m, y=y_m)

    def zoom_to_port(self) -> None:
        """The approach zone; a port file without one: all its features (or the chart)."""
        approach = self.port.of_kind("approach")
        shapes = [approach[0].local] if approach else [f.local for f in self.port.features]
        if not shapes and self.chart_layer is not None and self.chart_layer.model.bounds:
            shapes = [shapely.box(*self.chart_layer.model.bounds)]
        if not shapes:
            return
        west, south, east, north = shapely.GeometryCollection(shapes).bounds
        self.view_box.setRange(xRange=(west, east), yRange=(south, north), padding=0.02)

    def centre_on(self, x_m: float, y_m: float) -> None:
        (west, east), (south, north) = self.view_box.viewRange()
        half_w, half_h = (east - west) / 2, (north - south) / 2
        self.view_box.setRange(
            xRange=(x_m - half_w, x_m + half_w), yRange=(y_m - half_h, y_m + half_h), padding=0
        )

    def _on_range_changed(self, *_args: object) -> None:
        pixel_w, _ = self.view_box.viewPixelSize()
        nm = scale_bar_nm(pixel_w)
        self.scale_bar.size = nm * METRES_PER_NM
        self.scale_bar.updateBar()
        metres = nm * METRES_PER_NM
        self.scale_bar.text.setText(f"{nm:g} NM" if nm >= 0.1 else f"{metres:.0f} m")

    def set_safety_depth(self, depth_m: float) -> None:
        """Shade the chart's water shallower than ``depth_m`` as unsafe."""
        if self.chart_layer is not None and depth_m != self.chart_layer.model.safety_depth_m:
            self.chart_layer.set_model(chart_model(self.chart_cells, self.port.plane, depth_m))

    def set_colours(self, colours: MapColours) -> None:
        self.setBackground(colours.water)
        if self.chart_layer is not None:
            self.chart_layer.recolour(colours)
        self.port_layers.recolour(colours)
        self.vessels.set_colours(colours)
        self.watch_layer.set_colours(colours)
        self._colour_overlays(colours)

    def _colour_overlays(self, colours: MapColours) -> None:
        """The scale bar, the measuring line and the track in the palette's colours,
        chosen to be read over its sea and land."""
        self.scale_bar.bar.setBrush(pg.mkBrush(colours.scale))
        self.scale_bar.bar.setPen(pg.mkPen(None))
        self.scale_bar.text.setColor(colours.scale)
        self.measure_line.setPen(pg.mkPen(colours.measure, width=2.0, style=Qt.PenStyle.DashLine))
        self.track.setPen(pg.mkPen(colours.track, width=2.0))

    def set_font(self, font: QFont) -> None:
        """The window's text size for the map's names and the scale bar too."""
        self.vessels.set_font(font)
        self.scale_bar.text.setFont(font)

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        """Show or hide one of the port's layers, the names of its zones with it."""
        self.port_layers.set_visible(layer, visible)
        if visible:
            self.vessels.hidden_zone_kinds.discard(layer)
        else:
            self.vessels.hidden_zone_kinds.add(layer)
        self.vessels.update()

    def _pick_tolerance_m(self) -> float:
        pixel_w, pixel_h = self.view_box.viewPixelSize()
        return PICK_PX * max(pixel_w, pixel_h)

    def set_measuring(self, on: bool) -> None:
        """Range and bearing: click a start, move, click again to keep the line."""
        self.measuring = on
        self._measure_from = None
        self._measure_kept = False
        if not on:
            self.measure_line.setData([], [])

    def _measure_to(self, x_m: float, y_m: float) -> None:
        start = self._measure_from
        if start is None:
            return
        self.measure_line.setData([start[0], x_m], [start[1], y_m])
        dx, dy = x_m - start[0], y_m - start[1]
        bearing_deg = math.degrees(math.atan2(dx, dy)) % 360.0
        self.measured.emit(math.hypot(dx, dy) / METRES_PER_NM, bearing_deg)

    def _on_mouse_moved(self, position: QPointF) -> None:
        point = self.view_box.mapSceneToView(position)
        if self.measuring and not self._measure_kept:
            self._measure_to(point.x(), point.y())
        lon, lat = self.port.plane.to_lonlat(point.x(), point.y())
        self.cursor_moved.emit(float(lon), float(lat))
        self.vessel_hovered.emit(
            self.vessels.vessel_at(point.x(), point.y(), self._pick_tolerance_m())
        )

    def viewportEvent(self, event: QEvent) -> bool:
        """Qt's own hover help would hide a vessel's tooltip a moment after it shows
        (the scene has no tooltip of its own to give): it says the vessel instead,
        so the tooltip stays while the pointer does. Leaving the map hides it."""
        if event.type() == QEvent.Type.ToolTip:
            point = self.view_box.mapSceneToView(self.mapToScene(event.pos()))
            self.vessel_hovered.emit(
                self.vessels.vessel_at(point.x(), point.y(), self._pick_tolerance_m())
            )
            return True
        if event.type() == QEvent.Type.Leave:
            self.vessel_hovered.emit(None)
        return super().viewportEvent(event)

    def _on_mouse_clicked(self, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.view_box.mapSceneToView(event.scenePos())
        if self.measuring:  # a first click starts the line, the next one keeps it
            if self._measure_from is None or self._measure_kept:
                self._measure_from = (point.x(), point.y())
                self._measure_kept = False
                self.measure_line.setData([point.x()], [point.y()])
            else:
                self._measure_to(point.x(), point.y())
                self._measure_kept = True
            return
        mmsi = self.vessels.vessel_at(point.x(), point.y(), self._pick_tolerance_m())
        if mmsi is not None:
            self.vessel_clicked.emit(mmsi)

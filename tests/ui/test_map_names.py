"""Names on the map: on a dense real picture (Skagen harbour in the Danish
Maritime Authority's recording, 35 vessels in a square kilometre, and all 1,480
of the recording's positions at once) no two drawn names overlap; a name moves to
another side of its symbol before it is dropped; the selected vessel, vessels
with alerts and moving vessels are named first; zones are named, and their names
fade when zoomed out and go with their layer; the names take the window's text
size."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from pytestqt.qtbot import QtBot

from portwatch.engine import Engine
from portwatch.port.port_file import Port, load_port
from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import DUSK
from portwatch.ui.vessel_layer import SELECTION_HALF_PX, VesselLayer
from portwatch.ui.vessel_picture import VesselPictureBuilder
from portwatch.vessel import Fix, StaticData, VesselView
from portwatch.vessel_kinds import CLASS_A

START_S = 1_710_201_600.0


def skagen_port(folder: Path) -> Port:
    """A port file around Skagen harbour, where the recording holds a crowd of
    fishing vessels alongside: an approach, the harbour as a berth, an entrance
    fairway, the roads as an anchorage and a pilot boarding place."""

    def box(west: float, south: float, east: float, north: float) -> dict:
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [ring]}

    def feature(kind: str, name: str, geometry: dict, **properties: object) -> dict:
        return {
            "type": "Feature",
            "properties": {"kind": kind, "name": name, **properties},
            "geometry": geometry,
        }

    document = {
        "type": "FeatureCollection",
        "name": "Skagen (test)",
        "reference": [10.59, 57.717],
        "features": [
            feature("approach", "Skagen approach", box(10.568, 57.706, 10.628, 57.728)),
            feature("berth", "Skagen fishing harbour", box(10.578, 57.713, 10.602, 57.722)),
            feature(
                "fairway", "Skagen entrance", box(10.600, 57.705, 10.615, 57.716), speed_limit_kn=5
            ),
            feature("anchorage", "Skagen roads", box(10.615, 57.700, 10.640, 57.712), capacity=10),
            feature(
                "pilot_boarding",
                "Skagen pilot",
                {"type": "Point", "coordinates": [10.625, 57.705]},
                radius_m=500,
            ),
        ],
    }
    path = folder / "skagen.geojson"
    path.write_text(json.dumps(document))
    return load_port(path)


@pytest.fixture(scope="module")
def recording(shared_data: Path) -> Path:
    # Danish Maritime Authority AisLib test data: 28 s of the Danish AIS network.
    return shared_data / "dma-aislib" / "stream_example.txt"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, recording: Path):
    engine = Engine()
    with recording.open("rb") as lines:
        engine.feed(lines, source="dma")
    engine.finish_input("dma")
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, skagen_port(tmp_path), settings=settings)
    qtbot.addWidget(window)
    window.timer.stop()  # the picture is complete: refreshed by hand
    window.resize(1400, 900)
    for panel in window.panels:  # the map's full height, as these names were laid out for
        panel.hide()
    window.show()
    window.refresh()
    yield window
    window.close()
    engine.close()


def drawn(window: MainWindow) -> list[tuple[int | str, QRectF]]:
    window.map.grab()  # a real paint of the map
    return window.map.vessels.drawn_labels


def overlapping(labels: list[tuple[int | str, QRectF]]) -> list[tuple[object, object]]:
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(labels, 2) if ra.intersects(rb)]


def cut_by_the_edge(window: MainWindow, labels: list[tuple[int | str, QRectF]]) -> list[object]:
    view = QRectF(window.map.viewport().rect())
    return [key for key, rect in labels if not view.contains(rect)]


def test_no_two_names_overlap_on_a_dense_real_picture(window: MainWindow) -> None:
    picture = window.map.vessels.picture
    assert picture is not None
    assert len(picture) > 1400
    window.map.zoom_to_port()  # Skagen harbour: 35 vessels in a square kilometre
    labels = drawn(window)
    vessels = [key for key, _ in labels if isinstance(key, int)]
    assert len(vessels) >= 15
    assert len(vessels) == len(set(vessels))
    assert overlapping(labels) == []
    assert cut_by_the_edge(window, labels) == []
    # Most of the recording at once, from the Skagerrak to the Baltic: 1,400 vessels.
    window.map.view_box.setRange(
        xRange=tuple(np.percentile(picture.x_m, (5, 95))),
        yRange=tuple(np.percentile(picture.y_m, (5, 95))),
        padding=0.02,
    )
    labels = drawn(window)
    assert len(labels) >= 100
    assert overlapping(labels) == []
    assert cut_by_the_edge(window, labels) == []


def test_the_selected_vessel_and_those_with_alerts_are_named_first(window: MainWindow) -> None:
    """In the thick of the harbour some names find no room; raising an alert on
    two of those vessels, or choosing one, names it (and another vessel less)."""
    window.map.zoom_to_port()
    picture = window.map.vessels.picture
    named = {key for key, _ in drawn(window)}
    unnamed = []  # vessels without a name on the map, 60 m apart or more
    for mmsi, x_m, y_m in zip(picture.mmsi.tolist(), picture.x_m, picture.y_m, strict=True):
        near = any(np.hypot(x_m - x, y_m - y) < 60 for _, x, y in unnamed)
        if abs(x_m) < 500 and abs(y_m) < 500 and mmsi not in named and not near:
            unnamed.append((mmsi, x_m, y_m))
    assert len(unnamed) >= 3
    alerting = {unnamed[0][0], unnamed[1][0]}
    window.map.vessels.alerting = frozenset(alerting)
    labels = drawn(window)
    assert alerting <= {key for key, _ in labels}
    assert overlapping(labels) == []
    window.map.vessels.alerting = frozenset()
    window.select_vessel(unnamed[2][0])
    labels = drawn(window)
    assert unnamed[2][0] in {key for key, _ in labels}
    assert overlapping(labels) == []


def vessel(mmsi: int, x_m: float, y_m: float, sog_kn: float, port: Port) -> VesselView:
    lon, lat = port.plane.to_lonlat(x_m, y_m)
    fix = Fix(mmsi, START_S, float(lat), float(lon), sog_kn, 90.0, 90, 0, "test")
    return VesselView(
        mmsi=mmsi,
        kind=CLASS_A,
        static=StaticData(name=f"SHIP {mmsi % 1000:03d}"),
        fix=fix,
        first_seen_s=START_S,
        last_heard_s=START_S,
        lost=False,
        trail=(),
        last_report_s=MappingProxyType({1: START_S}),
        rejected_fixes=0,
        messages=1,
    )


def paint(layer: VesselLayer) -> dict[int | str, QRectF]:
    """Paint ``layer`` into an image, a metre a pixel, the plane's origin in the middle."""
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(DUSK.water))
    painter = QPainter(image)
    painter.setTransform(QTransform(1, 0, 0, -1, 200, 150))
    layer.paint(painter)
    painter.end()
    return dict(layer.drawn_labels)


def test_a_name_moves_round_its_symbol_before_it_is_dropped(tmp_path: Path) -> None:
    """Five vessels on one spot: four names fit, one on each side (right, left,
    above, below), the fifth is dropped; moving vessels are named before still
    ones (the faster first), vessels with alerts before them, and the selected
    vessel before all."""
    port = skagen_port(tmp_path)
    mmsis = [219000001, 219000002, 219000003, 219000004, 219000005]
    speeds = {219000001: 0.0, 219000002: 12.0, 219000003: 9.0, 219000004: 6.0, 219000005: 3.0}
    views = {m: vessel(m, 0.0, 0.0, speeds[m], port) for m in mmsis}
    layer = VesselLayer(DUSK)
    layer.set_picture(VesselPictureBuilder(port.plane).build(views))
    rects = paint(layer)
    assert set(rects) == {219000002, 219000003, 219000004, 219000005}  # the still one dropped
    centre_x, centre_y = 200.0, 150.0
    sides = {
        "right": rects[219000002].left() > centre_x,
        "left": rects[219000003].right() < centre_x,
        "above": rects[219000004].bottom() < centre_y,
        "below": rects[219000005].top() > centre_y,
    }
    assert all(sides.values()), sides
    layer.alerting = frozenset({219000001})
    assert set(paint(layer)) == {219000001, 219000002, 219000003, 219000004}
    layer.alerting = frozenset({219000001, 219000005})
    assert set(paint(layer)) == {219000001, 219000005, 219000002, 219000003}
    # The selected vessel's name goes outside its selection box, and no other name
    # inside it, where it would read as the selected vessel's.
    layer.selected_mmsi = 219000004
    rects = paint(layer)
    assert set(rects) == {219000004}
    box = QRectF(
        200 - SELECTION_HALF_PX,
        150 - SELECTION_HALF_PX,
        2 * SELECTION_HALF_PX,
        2 * SELECTION_HALF_PX,
    )
    assert not rects[219000004].intersects(box)


def test_zones_are_named_fading_out_and_going_with_their_layer(window: MainWindow) -> None:
    window.map.zoom_to_port()
    zones = {key for key, _ in drawn(window) if isinstance(key, str)}
    assert {"Skagen entrance", "Skagen roads", "Skagen pilot"} <= zones
    window.layer_actions["anchorage"].setChecked(False)
    zones = {key for key, _ in drawn(window) if isinstance(key, str)}
    assert "Skagen roads" not in zones
    assert "Skagen entrance" in zones
    # Zoomed out fifty times the zones are specks: not named.
    (west, east), (south, north) = window.map.view_box.viewRange()
    middle_x, middle_y, half = (west + east) / 2, (south + north) / 2, 25 * (east - west)
    window.map.view_box.setRange(
        xRange=(middle_x - half, middle_x + half),
        yRange=(middle_y - half, middle_y + half),
        padding=0,
    )
    assert [key for key, _ in drawn(window) if isinstance(key, str)] == []


def test_larger_text_makes_the_names_on_the_map_larger_too(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.map.zoom_to_port()
    before_pt = window.font().pointSize()
    assert window.map.vessels._font.pointSize() == before_pt
    height_before = max(rect.height() for _, rect in drawn(window))
    row_before = window.table.verticalHeader().defaultSectionSize()
    name_before = window.table.columnWidth(0)
    window.activateWindow()
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.font().pointSize() == before_pt + 3
    assert window.map.vessels._font.pointSize() == before_pt + 3
    assert window.map.scale_bar.text.textItem.font().pointSize() == before_pt + 3
    assert max(rect.height() for _, rect in drawn(window)) > height_before
    assert window.table.verticalHeader().defaultSectionSize() > row_before
    assert window.table.columnWidth(0) > name_before
    assert overlapping(drawn(window)) == []
    assert np.isfinite(height_before)


def test_a_picture_drawn_in_the_background_is_the_one_the_window_would_draw(
    window: MainWindow, qtbot: QtBot
) -> None:
    """At a national feed's size the app draws each new picture in a thread of its
    own and only copies it to the screen: what the operator sees must be what the
    window's own thread draws, symbols, vectors, trails and names alike."""
    layer = window.map.vessels
    own_thread = window.map.grab().toImage()
    names = list(layer.drawn_labels)
    layer.render_in_background()
    window.map.grab()  # the view that frames are drawn for
    picture = VesselPictureBuilder(window.port.plane).build(window.engine.snapshot().vessels)
    with qtbot.waitSignal(layer.frame_rendered, timeout=10_000):
        layer.set_picture(picture)
    background = window.map.grab().toImage()
    assert layer.drawn_labels == names
    differing = _differing_pixels(own_thread, background)
    assert differing <= own_thread.width() * own_thread.height() // 1000, differing
    layer.stop_background()


def _differing_pixels(first: QImage, second: QImage) -> int:
    def pixels(image: QImage) -> np.ndarray:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)

    return int((np.abs(pixels(first).astype(int) - pixels(second).astype(int)) > 8).sum())

"""The chart layer in the real window, on a port made from the real NOAA cell
US4MD81M: land and water in the palette's chart colours where the cell puts them,
the safety depth re-shading the water, the layer switched off and on, and a
frame of traffic drawn without drawing the chart again."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from portwatch.charts.cells import number_of
from portwatch.charts.chart_model import read_chart
from portwatch.charts.port_from_enc import port_from_enc
from portwatch.engine import Engine
from portwatch.port.port_file import Port, load_port
from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import DEFAULT_PALETTE, PALETTES, THEMES

CELL = Path(__file__).resolve().parents[1] / "data" / "enc" / "US4MD81M" / "US4MD81M.000"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Port:
    path = tmp_path_factory.mktemp("enc") / "chesapeake.geojson"
    port_from_enc([CELL], "Chesapeake").write(path)
    return load_port(path)


@pytest.fixture(scope="module")
def places(port: Port) -> dict[str, tuple[float, float]]:
    """A point (lon, lat) well inside the largest land area, deep area (10.9 m and
    more), and 5.4 m area of the cell, clear of the port's zones."""
    [cell], _ = read_chart(port.chart)
    zones = shapely.union_all([f.geometry for f in port.features if f.kind != "approach"])

    def inside_largest(layer_name: str, keep) -> tuple[float, float]:
        layer = cell.layer(layer_name)
        drval1 = layer.values("DRVAL1")
        areas = [
            g
            for i, g in enumerate(layer.geometries)
            if g is not None and g.geom_type == "Polygon" and keep(drval1[i])
        ]
        largest = max(areas, key=lambda g: g.area)
        inner = largest.buffer(-0.005).difference(zones.buffer(0.005))
        point = inner.representative_point()
        return point.x, point.y

    return {
        "land": inside_largest("LNDARE", lambda _: True),
        "deep": inside_largest("DEPARE", lambda d: (number_of(d) or 0) >= 10),
        "5.4 m": inside_largest("DEPARE", lambda d: number_of(d) == 5.4),
    }


@pytest.fixture
def window(qtbot: QtBot, port: Port, tmp_path: Path):
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    cells, errors = read_chart(port.chart)
    assert errors == []
    window = MainWindow(engine, port, settings=settings, chart=cells)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.map.zoom_to_port()
    yield window
    engine.close()


def colour_at(window: MainWindow, image: QImage, lon: float, lat: float) -> str:
    x, y = window.port.plane.to_local(lon, lat)
    scene = window.map.view_box.mapViewToScene(QPointF(float(x), float(y)))
    pixel = window.map.mapFromScene(scene)
    return image.pixelColor(pixel.x(), pixel.y()).name()


def grab(window: MainWindow, qtbot: QtBot) -> QImage:
    return window.map.grab().toImage()  # renders now, as the map stands


def test_land_and_depths_are_drawn_in_each_palette(window, places, qtbot: QtBot) -> None:
    assert window.map.chart_layer is not None
    assert window.theme == DEFAULT_PALETTE
    ARTIFACTS.mkdir(exist_ok=True)
    for name in PALETTES:
        window.apply_theme(name)
        image = grab(window, qtbot)
        image.save(str(ARTIFACTS / f"chart-{name}.png"))
        drawn = {place: colour_at(window, image, *where) for place, where in places.items()}
        colours = THEMES[name]
        assert drawn == {
            "land": colours.land,
            "deep": colours.chart.deep,
            "5.4 m": colours.chart.shallow,
        }, name


def test_the_safety_depth_reshades_the_water_and_is_kept(
    window, places, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.safety_depth_actions[10.0].isChecked()
    window.safety_depth_actions[5.0].trigger()
    assert window.map.chart_layer.model.safety_depth_m == 5.0
    image = grab(window, qtbot)
    assert colour_at(window, image, *places["5.4 m"]) == THEMES[DEFAULT_PALETTE].chart.deep
    window.save_settings()
    again = MainWindow(
        window.engine, window.port, settings=window.settings, chart=window.map.chart_cells
    )
    qtbot.addWidget(again)
    assert again.map.chart_layer.model.safety_depth_m == 5.0
    assert again.safety_depth_actions[5.0].isChecked()


def test_the_chart_layer_can_be_switched_off(window, places, qtbot: QtBot) -> None:
    colours = THEMES[DEFAULT_PALETTE]
    window.layer_actions["chart"].setChecked(False)
    image = grab(window, qtbot)
    assert colour_at(window, image, *places["5.4 m"]) == QColor(colours.water).name()
    # Under a chart the port file's land is not drawn a second time.
    assert colour_at(window, image, *places["land"]) == QColor(colours.water).name()
    window.layer_actions["chart"].setChecked(True)
    image = grab(window, qtbot)
    assert colour_at(window, image, *places["land"]) == colours.land


def test_a_frame_of_traffic_does_not_draw_the_chart_again(window, qtbot: QtBot) -> None:
    """The chart is painted into a cache once; frames of moving vessels blit it."""
    layer, vessels = window.map.chart_layer, window.map.vessels
    qtbot.waitUntil(lambda: layer.painted > 0)
    painted_chart, painted_vessels = layer.painted, vessels.painted_frames
    for frame in range(1, 6):
        vessels.update()
        qtbot.waitUntil(lambda n=frame: vessels.painted_frames >= painted_vessels + n)
    assert layer.painted == painted_chart
    window.map.view_box.scaleBy((0.5, 0.5))  # a zoom draws it again, once
    qtbot.waitUntil(lambda: layer.painted > painted_chart)
    assert np.isfinite(window.map.view_box.viewRange()[0]).all()


def test_a_port_of_nothing_but_a_chart_opens_on_the_chart(qtbot: QtBot, tmp_path: Path) -> None:
    """A port file with no zones yet (the first step of setting one up) and a chart:
    the map opens on the chart, not on an empty corner of the plane."""
    path = tmp_path / "bare.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "name": "Bare",
                "reference": [-76.3062, 38.7],
                "chart": [str(CELL)],
                "features": [],
            }
        )
    )
    port = load_port(path)
    cells, _ = read_chart(port.chart)
    engine = Engine(clock_follows_receive_time=True)
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings, chart=cells)
    qtbot.addWidget(window)
    window.show()
    (west, east), (south, north) = window.map.view_box.viewRange()
    assert west < -20_000
    assert east > 20_000
    assert south < -30_000
    assert north > 30_000
    engine.close()

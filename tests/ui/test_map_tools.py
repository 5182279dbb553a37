"""The map under the operator's hand: a vessel's tooltip stays while the pointer
stays on it; Escape leaves measuring and takes the old range off the status bar;
no stray auto-range button in the map's corner; the legend explains every symbol,
colour and zone kind in the palette of the moment."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import PALETTES, THEMES
from portwatch.ui.port_layers import LAYER_TITLES

STAYS_S = 2.5
"""Longer than Qt's hover delay (0.7 s), after which the map's scene used to hide
the tooltip."""


def pixel(window: MainWindow, x_m: float, y_m: float) -> QPoint:
    scene = window.map.view_box.mapViewToScene(QPointF(x_m, y_m))
    return window.map.mapFromScene(scene)


def test_a_vessels_tooltip_stays_while_the_pointer_stays(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    window = demo_window
    picture = window.map.vessels.picture
    snapshot = window.engine.snapshot()
    spot = next(
        i for i in range(len(picture)) if snapshot.vessels[int(picture.mmsi[i])].static.name
    )
    name = snapshot.vessels[int(picture.mmsi[spot])].static.name
    over = pixel(window, float(picture.x_m[spot]), float(picture.y_m[spot]))
    assert window.map.vessels.vessel_at(picture.x_m[spot], picture.y_m[spot], 1.0) is not None
    window.activateWindow()
    qtbot.mouseMove(window.map.viewport(), over)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and name in QToolTip.text(), timeout=5_000)
    qtbot.wait(int(STAYS_S * 1000))  # nothing to await: the tooltip must simply stay
    assert QToolTip.isVisible()
    assert name in QToolTip.text()
    qtbot.mouseMove(window.map.viewport(), over + QPoint(60, 60))  # off the vessel
    far = window.map.mapToScene(over + QPoint(60, 60))
    point = window.map.view_box.mapSceneToView(far)
    if window.map.vessels.vessel_at(point.x(), point.y(), window.map._pick_tolerance_m()) is None:
        qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=5_000)


def test_escape_leaves_measuring_and_clears_the_range(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    window = demo_window
    window.map.view_box.setRange(xRange=(-2000, 4000), yRange=(-3000, 3000), padding=0)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.map.measuring
    viewport = window.map.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(window, 0.0, 0.0))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(window, 1852.0, 0.0))
    assert window.status.note.text().startswith("range 1.0")
    window.table.setFocus()  # wherever the focus is in the window
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert not window.map.measuring
    assert not window.measure_action.isChecked()
    assert window.status.note.text() == ""
    assert (
        window.map.measure_line.getData()[0] is None
        or len(window.map.measure_line.getData()[0]) == 0
    )
    # Ending it with M again clears the range too.
    qtbot.keyClick(window, Qt.Key.Key_M)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(window, 0.0, 0.0))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(window, 0.0, 1852.0))
    assert window.status.note.text().startswith("range 1.0")
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.status.note.text() == ""


def test_no_auto_range_button_in_the_maps_corner(demo_window: MainWindow, qtbot: QtBot) -> None:
    """pyqtgraph shows an "A" button while the pointer is over a plot whose view was
    panned or zoomed; the map has Ctrl+0 for that."""
    window = demo_window
    window.map.view_box.setRange(xRange=(-2000, 4000), yRange=(-3000, 3000), padding=0)
    plot = window.map.getPlotItem()
    qtbot.mouseMove(window.map.viewport(), QPoint(300, 300))
    qtbot.mouseMove(window.map.viewport(), QPoint(320, 310))
    qtbot.waitUntil(lambda: plot.mouseHovering, timeout=5_000)
    plot.updateButtons()
    assert not plot.autoBtn.isVisible()


def test_the_legend_explains_symbols_colours_and_zones(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    window = demo_window
    assert not window.legend.isVisible()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    legend = next(a for a in view_menu.actions() if a.text() == "&Legend")
    legend.trigger()
    assert window.legend.isVisible()
    entries = window.legend.entries
    for meaning in (
        "at anchor",
        "moored",
        "lost: no report for too long",
        "tanker",
        "cargo",
        "vessel name",
        "selected vessel",
        "range and bearing (M)",
    ):
        assert meaning in entries
    assert set(LAYER_TITLES.values()) <= set(entries)
    for name in PALETTES:
        window.apply_theme(name)
        icon = window.legend._icons[0][0].pixmap().toImage()
        assert icon.pixelColor(0, 0) == QColor(THEMES[name].water)  # drawn on the palette's sea
    legend.trigger()
    assert not window.legend.isVisible()

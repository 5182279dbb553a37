"""Day, dusk and night palettes and the dimmer: every overlay drawn over the map
(names, zone names, scale bar, measuring line, track, trails, selection box) has
a contrast an operator can read against the sea and the land of each palette,
measured as WCAG 2 defines it; night keeps the screen dim, with no large bright
area; Ctrl+N, the View menu and the dimmer's keys switch them, the map and the
widgets together."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import PALETTES, THEMES, MapColours, dim

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TEXT_CONTRAST = 4.5
"""WCAG 2 success criterion 1.4.3: text."""
GRAPHICS_CONTRAST = 3.0
"""WCAG 2 success criterion 1.4.11: lines and symbols needed to understand a picture."""


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2, after IEC 61966-2-1 sRGB)."""
    qcolour = QColor(colour)

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (qcolour.red(), qcolour.green(), qcolour.blue()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def grounds(colours: MapColours) -> dict[str, str]:
    """What an overlay is drawn over: the sea, deep and shallow water of a chart,
    and land (names of ships alongside)."""
    return {
        "sea": colours.water,
        "deep": colours.chart.deep,
        "shallow": colours.chart.shallow,
        "land": colours.land,
    }


@pytest.fixture
def window(demo_window: MainWindow) -> MainWindow:
    return demo_window


def drawn_overlays(window: MainWindow) -> dict[str, str]:
    """The colours the map's overlays are drawn in now, read from the items."""
    view = window.map
    layer = view.vessels.colours
    return {
        "scale bar text": view.scale_bar.text.color.name(),
        "scale bar": view.scale_bar.bar.brush().color().name(),
        "measuring line": view.measure_line.opts["pen"].color().name(),
        "track": view.track.opts["pen"].color().name(),
        "vessel names": layer.text,
        "zone names": layer.zone_text,
        "selection box": layer.selection,
        "trails": layer.trail,
    }


TEXTS = {"scale bar text", "vessel names", "zone names"}


@pytest.mark.parametrize("name", PALETTES)
def test_every_overlay_is_legible_in_every_palette(window: MainWindow, name: str) -> None:
    window.apply_theme(name)
    colours = THEMES[name]
    assert window.map.backgroundBrush().color().name() == colours.water
    drawn = drawn_overlays(window)
    poor = {
        (overlay, ground, round(contrast(colour, behind), 2))
        for overlay, colour in drawn.items()
        for ground, behind in grounds(colours).items()
        if contrast(colour, behind) < (TEXT_CONTRAST if overlay in TEXTS else GRAPHICS_CONTRAST)
    }
    assert poor == set()


def test_night_is_dim_with_no_large_bright_area(window: MainWindow, qtbot: QtBot) -> None:
    """Every map colour at night is dim (distress red aside, which must shout), and
    on the whole window at night, widgets included, hardly a pixel is bright."""
    night = THEMES["night"]
    colours = [
        night.water,
        night.land,
        night.land_edge,
        night.text,
        night.lost,
        night.selection,
        night.zone_text,
        night.scale,
        night.measure,
        night.track,
        night.trail,
        *night.zones.values(),
        *night.vessels.values(),
    ]
    assert max(luminance(c) for c in colours) < 0.35
    window.apply_theme("night")
    QApplication.processEvents()  # the widgets take the new palette from their events
    image = window.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "window-night.png"))
    samples = [
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    ]
    bright = sum(luminance(c) > 0.35 for c in samples)
    assert bright / len(samples) < 0.002
    assert sum(luminance(c) for c in samples) / len(samples) < 0.02


def test_palettes_and_the_dimmer_switch_from_keys_and_menu(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Ctrl+N goes day, dusk, night and round again; Ctrl+Shift+Down dims the map
    and the widgets, Ctrl+Shift+Up brightens them; the View menu does the same."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def shown() -> tuple[str, str, str]:
        return (
            window.theme,
            window.map.backgroundBrush().color().name(),
            app.palette().color(QPalette.ColorRole.Window).name(),
        )

    window.activateWindow()
    assert window.theme == "dusk"
    seen = []
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.theme)
        assert window.palette_actions[window.theme].isChecked()
    assert seen == ["night", "day", "dusk"]
    theme, water, widgets = shown()
    dimmer = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Down, dimmer)
    assert window.brightness == 0.8
    assert shown() == (theme, dim(water, 0.8), dim(widgets, 0.8))
    for _ in range(5):  # no further than the last step
        qtbot.keyClick(window, Qt.Key.Key_Down, dimmer)
    assert window.brightness == 0.4
    assert window.brightness_actions[0.4].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Up, dimmer)
    assert window.brightness == 0.6
    window.brightness_actions[1.0].trigger()
    assert shown() == (theme, water, widgets)
    window.palette_actions["night"].trigger()
    assert shown()[:2] == ("night", THEMES["night"].water)
    assert window.legend.colours == THEMES["night"]

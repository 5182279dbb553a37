"""Day, dusk and night palettes and the dimmer: every overlay drawn over the map
(names, zone names, scale bar, measuring line, track, trails, selection box) has
a contrast an operator can read against the sea and the land of each palette,
measured as WCAG 2 defines it; night keeps the screen dim, with no large bright
area; Ctrl+N, the View menu and the dimmer's keys switch them, the map and the
widgets together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableView, QTabWidget
from pytestqt.qtbot import QtBot

from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import PALETTES, THEMES, MapColours, dim, window_palette

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


NIGHT_SELECTION_LUMINANCE = 0.05
"""At most this bright, a selected row at night: a band across a whole table is a
large area, so it stays as dim as the night's text backgrounds (dusk's blue is
0.10, Fusion's day blue 0.23)."""


def every_table(window: MainWindow) -> Iterator[tuple[str, QTableView]]:
    """The vessel list and every table of every panel, each made the one showing
    in its panel (its dock in front, its tab chosen), with a row to select."""
    window.refresh_panels()
    yield "vessel list", window.table
    for dock in window.panels:
        dock.show()
        dock.raise_()
        for table in dock.findChildren(QTableView):
            for tabs in dock.findChildren(QTabWidget):
                if tabs.indexOf(table) >= 0:
                    tabs.setCurrentWidget(table)
            window.refresh_panels(only=dock)
            if table.model().rowCount():
                yield f"{dock.objectName()}: {type(table.model()).__name__}", table


def select_first_row(table: QTableView) -> None:
    """The first row selected, whatever modifier keys Qt believes are held (a
    selection made with Ctrl held would toggle)."""
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().select(table.model().index(0, 0), flags.ClearAndSelect | flags.Rows)


def selection_drawn(table: QTableView) -> str:
    """The colour most of the selected first row is painted in, read from a grab."""
    select_first_row(table)
    image = table.viewport().grab().toImage()
    rect = table.visualRect(table.model().index(0, 0))
    top, bottom = max(0, rect.top() + 1), min(image.height(), rect.bottom())
    pixels = Counter(
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(top, bottom)
    )
    return pixels.most_common(1)[0][0]


@pytest.mark.parametrize("brightness", [1.0, 0.4])
@pytest.mark.parametrize("name", PALETTES)
def test_a_selected_row_is_in_the_palette_and_dim_at_night(
    window: MainWindow, name: str, brightness: float
) -> None:
    """Every table's selected row, as painted right after the palette changes (no
    wait for Qt's posted events): the palette's own highlight, which at night is
    dim, and on which the selected text reads at full brightness."""
    palette = window_palette(name, brightness)
    highlight = palette.color(QPalette.ColorRole.Highlight).name()
    if name == "night":
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.Accent):
            assert luminance(palette.color(role).name()) <= NIGHT_SELECTION_LUMINANCE
    if brightness == 1.0:
        text = palette.color(QPalette.ColorRole.HighlightedText).name()
        assert contrast(text, highlight) >= TEXT_CONTRAST
    window.brightness = brightness
    seen = {}
    for title, table in every_table(window):
        window.apply_theme("day" if name != "day" else "night")  # from another palette
        select_first_row(table)
        window.apply_theme(name)
        seen[title] = selection_drawn(table)
    assert len(seen) >= 6
    assert {title: colour for title, colour in seen.items() if colour != highlight} == {}
    if name == "night":
        assert max(luminance(colour) for colour in seen.values()) <= NIGHT_SELECTION_LUMINANCE

"""Day, dusk and night colours, and the dimmer: the map, the zones, the vessel
colour groups, the overlays drawn over the sea, and the widgets around the map.

As with the colour tables of IEC 62288 and IHO S-52, the palette follows the
light in the room, not a taste: day is dark on light for a bright room, dusk
light on dark, and night keeps every colour dim on a near-black sea, with no
large bright areas, so that the operator's eyes stay adapted to the dark. The
dimmer scales a palette down further. Every overlay (names, scale bar, measuring
line, selection, track) keeps a contrast that can be read over the sea and the
land in each palette; a test measures it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TypeVar

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory

from portwatch.ui import vessel_picture as vp

PALETTES = ("day", "dusk", "night")
"""In the order Ctrl+N goes through them."""
DEFAULT_PALETTE = "dusk"
BRIGHTNESS_STEPS = (1.0, 0.8, 0.6, 0.4)
"""The dimmer's settings, as shares of the palette's own brightness."""


@dataclass(frozen=True)
class ChartColours:
    """The chart layer's colours: calm shades of water, the safety contour plain
    to see, and the aids to navigation in their own colours, toned to the palette."""

    deep: str
    shallow: str
    drying: str
    coastline: str
    constructions: str
    safety_contour: str
    mark_edge: str
    marks: dict[int, str]
    """By S-57 COLOUR: 1 white, 2 black, 3 red, 4 green, 6 yellow; 0 for none given."""
    lights: dict[int, str]
    """Light flares by the light's COLOUR (a white light is drawn yellow, as on paper)."""


NIGHT_CHART = ChartColours(
    deep="#060a0e",
    shallow="#0c1a27",
    drying="#11160f",
    coastline="#3c392f",
    constructions="#4a463a",
    safety_contour="#4a5f72",
    mark_edge="#000000",
    marks={0: "#55595e", 1: "#787b80", 2: "#26282b", 3: "#7a322d", 4: "#2c6842", 6: "#7e6e2a"},
    lights={0: "#76632a", 1: "#807030", 3: "#7a322d", 4: "#2c6842", 6: "#807030"},
)
DUSK_CHART = ChartColours(
    deep="#0b1626",
    shallow="#15304a",
    drying="#1e2b22",
    coastline="#5e5a4b",
    constructions="#77715e",
    safety_contour="#6d8aa3",
    mark_edge="#05080c",
    marks={0: "#8a8f96", 1: "#b8bcc2", 2: "#3a3d42", 3: "#b2453f", 4: "#3f9a5c", 6: "#c2a93e"},
    lights={0: "#b89a3c", 1: "#c9ad42", 3: "#b2453f", 4: "#3f9a5c", 6: "#c9ad42"},
)
DAY_CHART = ChartColours(
    deep="#e6f1fa",
    shallow="#b3d2ea",
    drying="#bcd2a6",
    coastline="#7d7358",
    constructions="#5e5645",
    safety_contour="#34495e",
    mark_edge="#1c2430",
    marks={0: "#7f7f7f", 1: "#ffffff", 2: "#202020", 3: "#d2302c", 4: "#23944a", 6: "#e3c21e"},
    lights={0: "#c78f00", 1: "#e0a800", 3: "#d2302c", 4: "#23944a", 6: "#e0a800"},
)


@dataclass(frozen=True)
class MapColours:
    water: str
    land: str
    land_edge: str
    text: str
    """Vessel names, speed vectors and hull outlines."""
    zones: dict[str, str]
    vessels: dict[int, str]
    lost: str
    selection: str
    distress: str
    zone_text: str
    """Names of anchorages, fairways, berths and restricted areas."""
    scale: str
    """The scale bar and its distance."""
    measure: str
    """The range-and-bearing line."""
    track: str
    """A vessel's track loaded from history."""
    trail: str
    """The short trails behind vessels."""
    chart: ChartColours = field(default=DUSK_CHART)
    levels: dict[str, str] = field(default_factory=dict)
    """An anchorage's tint by its level (normal, busy, congested), on the map and in
    the panels alike."""
    alert: str = "#ff3b30"
    """Rings around vessels with an open alert, and the situation an alert draws."""
    swing: str = "#8a8f96"
    """Swing circles of ships at anchor."""


OVERLAYS = ("text", "zone_text", "scale", "measure", "track", "trail", "selection", "alert",
            "swing")  # fmt: skip
"""The colours drawn over the sea and the land: each must stay legible on them."""

NIGHT = MapColours(
    water="#060a0e",
    land="#17150f",
    land_edge="#2e2a20",
    text="#8c8672",
    zones={
        "approach": "#28323e",
        "anchorage": "#6e5e1c",
        "fairway": "#1e5370",
        "berth": "#5a3c66",
        "restricted": "#7a2828",
        "route": "#3a5244",
        "pilot_boarding": "#6a6a66",
    },
    vessels={
        vp.OTHER: "#5f666e",
        vp.CARGO: "#3f7a44",
        vp.TANKER: "#a0403b",
        vp.PASSENGER: "#3f6a96",
        vp.HIGH_SPEED: "#8e7a30",
        vp.SPECIAL: "#347f7f",
        vp.FISHING: "#8e5a36",
        vp.PLEASURE: "#7c5a88",
        vp.UNKNOWN_TYPE: "#747474",
    },
    lost="#5c6066",
    selection="#b08a3a",
    distress="#d42a2a",
    zone_text="#7f8a78",
    scale="#8c8672",
    measure="#4f9aa8",
    track="#a88a3c",
    trail="#56725e",
    chart=NIGHT_CHART,
    levels={"normal": "#2f5a3a", "busy": "#86701e", "congested": "#9a2c24"},
    alert="#c43a2c",
    swing="#4e5a52",
)
DUSK = MapColours(
    water="#0b1626",
    land="#2b2a24",
    land_edge="#4a473c",
    text="#c8d0d8",
    zones={
        "approach": "#3b4a5c",
        "anchorage": "#b59a2c",
        "fairway": "#2c7fa8",
        "berth": "#8a5a9c",
        "restricted": "#b03a3a",
        "route": "#4f6f5a",
        "pilot_boarding": "#d0d0d0",
    },
    vessels={
        vp.OTHER: "#9aa5b1",
        vp.CARGO: "#6fbf73",
        vp.TANKER: "#d9534f",
        vp.PASSENGER: "#5b9bd5",
        vp.HIGH_SPEED: "#e5c04a",
        vp.SPECIAL: "#4fc1c1",
        vp.FISHING: "#c97b4a",
        vp.PLEASURE: "#c58fd8",
        vp.UNKNOWN_TYPE: "#bfbfbf",
    },
    lost="#7a8088",
    selection="#e8edf2",
    distress="#ff2d2d",
    zone_text="#a8b4c0",
    scale="#c8d0d8",
    measure="#8fd8ff",
    track="#ffd24a",
    trail="#6a9077",
    chart=DUSK_CHART,
    levels={"normal": "#3f8a55", "busy": "#d2a63a", "congested": "#e0503e"},
    alert="#ff5a48",
    swing="#8d9aa6",
)
DAY = MapColours(
    water="#cfe3f2",
    land="#efe9d8",
    land_edge="#a89f86",
    text="#1c2430",
    zones={
        "approach": "#6b7c90",
        "anchorage": "#9c7a00",
        "fairway": "#1f6f99",
        "berth": "#7a3f8f",
        "restricted": "#c0392b",
        "route": "#3f7a52",
        "pilot_boarding": "#202020",
    },
    vessels={
        vp.OTHER: "#5c6670",
        vp.CARGO: "#2e8b34",
        vp.TANKER: "#c0392b",
        vp.PASSENGER: "#2c6fb5",
        vp.HIGH_SPEED: "#b8860b",
        vp.SPECIAL: "#138a8a",
        vp.FISHING: "#a0522d",
        vp.PLEASURE: "#8e44ad",
        vp.UNKNOWN_TYPE: "#7f7f7f",
    },
    lost="#6c7076",
    selection="#000000",
    distress="#e00000",
    zone_text="#3f4a5c",
    scale="#1c2430",
    measure="#a3006b",
    track="#8a4b00",
    trail="#3f7a52",
    chart=DAY_CHART,
    levels={"normal": "#2e8b57", "busy": "#b07800", "congested": "#c0392b"},
    alert="#d0021b",
    swing="#4a5563",
)
THEMES = {"day": DAY, "dusk": DUSK, "night": NIGHT}

_WIDGETS = {
    "day": {"Highlight": "#2a70b8", "HighlightedText": "#ffffff"},
    "dusk": {
        "Window": "#1b2028", "WindowText": "#c8d0d8", "Base": "#12161c",
        "AlternateBase": "#181d24", "Text": "#c8d0d8", "Button": "#232a33",
        "ButtonText": "#c8d0d8", "Highlight": "#2f5d8a", "HighlightedText": "#ffffff",
        "ToolTipBase": "#232a33", "ToolTipText": "#e0e6ec", "PlaceholderText": "#6c7682",
        "Light": "#2e3742", "Midlight": "#27303a", "Mid": "#161b22", "Dark": "#0e1116",
        "Shadow": "#050608", "BrightText": "#ffffff", "Link": "#7fb2e5",
    },
    "night": {
        "Window": "#0b0d10", "WindowText": "#8c8f88", "Base": "#08090b",
        "AlternateBase": "#0d0f12", "Text": "#8c8f88", "Button": "#14171b",
        "ButtonText": "#8c8f88", "Highlight": "#3a3220", "HighlightedText": "#c0b48a",
        "ToolTipBase": "#14171b", "ToolTipText": "#9a9c94", "PlaceholderText": "#4c5258",
        "Light": "#1c2026", "Midlight": "#171a1f", "Mid": "#0e1013", "Dark": "#050607",
        "Shadow": "#000000", "BrightText": "#c0b48a", "Link": "#6f8aa0",
    },
}  # fmt: skip
"""The widgets' colours by palette. Day keeps Fusion's own light colours but for the
selection, a shade darker than Fusion's blue so that its white text reads (WCAG 4.5:1)."""


def palette_name(value: object) -> str:
    """A palette's name from a settings file: the old two-way switch's "night"
    and "day" are still names; anything else means the default."""
    name = str(value)
    return name if name in THEMES else DEFAULT_PALETTE


def brightness_value(value: object) -> float:
    """The dimmer's setting from a settings file, snapped to one of its steps."""
    try:
        wanted = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return min(BRIGHTNESS_STEPS, key=lambda step: abs(step - wanted))


def dim(colour: str, brightness: float) -> str:
    """``colour`` with its red, green and blue scaled by ``brightness`` (0-1]: what
    turning a monitor's backlight down does, so hues and their order stay."""
    if brightness >= 1.0:
        return colour
    qcolour = QColor(colour)
    return QColor(
        round(qcolour.red() * brightness),
        round(qcolour.green() * brightness),
        round(qcolour.blue() * brightness),
    ).name()


_Colours = TypeVar("_Colours", MapColours, ChartColours)


def dimmed(colours: _Colours, brightness: float) -> _Colours:
    """Every colour of ``colours`` (chart colours included) through ``dim``."""
    if brightness >= 1.0:
        return colours
    changes: dict[str, object] = {}
    for each in fields(colours):
        value = getattr(colours, each.name)
        if isinstance(value, str):
            changes[each.name] = dim(value, brightness)
        elif isinstance(value, dict):
            changes[each.name] = {key: dim(c, brightness) for key, c in value.items()}
        elif isinstance(value, ChartColours):
            changes[each.name] = dimmed(value, brightness)
    return replace(colours, **changes)


def map_colours(name: str, brightness: float = 1.0) -> MapColours:
    """The map's colours of palette ``name`` at the dimmer's ``brightness``."""
    return dimmed(THEMES[palette_name(name)], brightness)


def window_palette(theme: str, brightness: float = 1.0) -> QPalette:
    """The widgets' palette for ``theme`` at ``brightness``: Fusion's light colours
    by day, dark at dusk, dim at night.

    Built from Fusion's own palette every time, never from the application's
    current one (what ``QPalette()`` copies): dimming that would dim what the
    dimmer had already dimmed, and a colour this table does not set (Qt's accent,
    which styles draw selections and checked boxes in) would stay Fusion's bright
    blue at night."""
    palette = QStyleFactory.create("Fusion").standardPalette()
    widgets = _WIDGETS.get(palette_name(theme), {})
    for role_name, colour in widgets.items():
        role = getattr(QPalette.ColorRole, role_name)
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorRole.Accent, QColor(widgets["Highlight"]))
    if "Link" in widgets:
        palette.setColor(QPalette.ColorRole.LinkVisited, QColor(widgets["Link"]))
    if "PlaceholderText" in widgets:
        for role_name in ("WindowText", "Text", "ButtonText"):
            muted = QColor(widgets["PlaceholderText"])
            palette.setColor(
                QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role_name), muted
            )
    if brightness < 1.0:
        for group in (
            QPalette.ColorGroup.Active,
            QPalette.ColorGroup.Inactive,
            QPalette.ColorGroup.Disabled,
        ):
            for role in QPalette.ColorRole:
                if role in (QPalette.ColorRole.NColorRoles, QPalette.ColorRole.NoRole):
                    continue
                colour = palette.color(group, role)
                palette.setColor(group, role, QColor(dim(colour.name(), brightness)))
    return palette

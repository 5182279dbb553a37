"""Night and day colours: the map, the zones and the vessel colour groups.

Night is the default: a dark, low-glare screen for a control room at night, with
the colours that matter (distress, lost targets) still telling apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QPalette

from portwatch.ui import vessel_picture as vp


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
    deep="#0b1626", shallow="#15304a", drying="#1e2b22", coastline="#5e5a4b",
    constructions="#77715e", safety_contour="#6d8aa3", mark_edge="#05080c",
    marks={0: "#8a8f96", 1: "#b8bcc2", 2: "#3a3d42", 3: "#b2453f", 4: "#3f9a5c", 6: "#c2a93e"},
    lights={0: "#b89a3c", 1: "#c9ad42", 3: "#b2453f", 4: "#3f9a5c", 6: "#c9ad42"},
)  # fmt: skip
DAY_CHART = ChartColours(
    deep="#e6f1fa", shallow="#b3d2ea", drying="#bcd2a6", coastline="#7d7358",
    constructions="#5e5645", safety_contour="#34495e", mark_edge="#1c2430",
    marks={0: "#7f7f7f", 1: "#ffffff", 2: "#202020", 3: "#d2302c", 4: "#23944a", 6: "#e3c21e"},
    lights={0: "#c78f00", 1: "#e0a800", 3: "#d2302c", 4: "#23944a", 6: "#e0a800"},
)  # fmt: skip


@dataclass(frozen=True)
class MapColours:
    water: str
    land: str
    land_edge: str
    text: str
    zones: dict[str, str]
    vessels: dict[int, str]
    lost: str
    selection: str
    distress: str
    chart: ChartColours = field(default=NIGHT_CHART)


NIGHT = MapColours(
    water="#0b1626", land="#2b2a24", land_edge="#4a473c", text="#c8d0d8",
    zones={"approach": "#3b4a5c", "anchorage": "#b59a2c", "fairway": "#2c7fa8",
           "berth": "#8a5a9c", "restricted": "#b03a3a", "route": "#4f6f5a",
           "pilot_boarding": "#d0d0d0"},
    vessels={vp.OTHER: "#9aa5b1", vp.CARGO: "#6fbf73", vp.TANKER: "#d9534f",
             vp.PASSENGER: "#5b9bd5", vp.HIGH_SPEED: "#e5c04a", vp.SPECIAL: "#4fc1c1",
             vp.FISHING: "#c97b4a", vp.PLEASURE: "#c58fd8", vp.UNKNOWN_TYPE: "#bfbfbf"},
    lost="#5a5f66", selection="#ffffff", distress="#ff2d2d",
)  # fmt: skip
DAY = MapColours(
    water="#cfe3f2", land="#efe9d8", land_edge="#a89f86", text="#1c2430",
    zones={"approach": "#6b7c90", "anchorage": "#9c7a00", "fairway": "#1f6f99",
           "berth": "#7a3f8f", "restricted": "#c0392b", "route": "#3f7a52",
           "pilot_boarding": "#202020"},
    vessels={vp.OTHER: "#5c6670", vp.CARGO: "#2e8b34", vp.TANKER: "#c0392b",
             vp.PASSENGER: "#2c6fb5", vp.HIGH_SPEED: "#b8860b", vp.SPECIAL: "#138a8a",
             vp.FISHING: "#a0522d", vp.PLEASURE: "#8e44ad", vp.UNKNOWN_TYPE: "#7f7f7f"},
    lost="#a0a4a8", selection="#000000", distress="#e00000", chart=DAY_CHART,
)  # fmt: skip
THEMES = {"night": NIGHT, "day": DAY}


def window_palette(theme: str) -> QPalette:
    """The widgets' palette for ``theme``: Fusion colours, dark at night."""
    palette = QPalette()
    if theme != "night":
        return palette
    roles = {
        QPalette.ColorRole.Window: "#1b2028", QPalette.ColorRole.WindowText: "#c8d0d8",
        QPalette.ColorRole.Base: "#12161c", QPalette.ColorRole.AlternateBase: "#181d24",
        QPalette.ColorRole.Text: "#c8d0d8", QPalette.ColorRole.Button: "#232a33",
        QPalette.ColorRole.ButtonText: "#c8d0d8", QPalette.ColorRole.Highlight: "#2f5d8a",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#232a33",
        QPalette.ColorRole.ToolTipText: "#e0e6ec", QPalette.ColorRole.PlaceholderText: "#6c7682",
    }  # fmt: skip
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette

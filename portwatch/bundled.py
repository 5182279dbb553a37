"""Paths of the data files that ship with PortWatch (the ``resources/`` folder)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_LOG = "samples/demo-approach.nmea.gz"
DEMO_PORT = "ports/san-pedro-bay.geojson"
LICENCES = "licences/README.md"
"""What ships under which licence; Help > About shows it."""
ICON_SIZES_PX = (16, 32, 48, 64, 128, 256)
"""The sizes of the icon's PNGs (``packaging/render_icons.py`` renders them)."""


def icon_name(size_px: int) -> str:
    """The icon's PNG at ``size_px`` square, relative to ``resources/``."""
    return f"icons/portwatch-{size_px}.png"


def bundled_file(relative: str) -> Path:
    """The installed path of ``resources/<relative>``; FileNotFoundError when absent."""
    path = Path(str(files("portwatch.resources").joinpath(relative)))
    if not path.is_file():
        raise FileNotFoundError(f"bundled resource missing: {relative}")
    return path

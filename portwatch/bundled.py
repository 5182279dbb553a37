"""Paths of the data files that ship with PortWatch (the ``resources/`` folder)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_LOG = "samples/demo-approach.nmea.gz"
DEMO_PORT = "ports/san-pedro-bay.geojson"


def bundled_file(relative: str) -> Path:
    """The installed path of ``resources/<relative>``; FileNotFoundError when absent."""
    path = Path(str(files("portwatch.resources").joinpath(relative)))
    if not path.is_file():
        raise FileNotFoundError(f"bundled resource missing: {relative}")
    return path

"""The map's vessel arrays follow the snapshots: changed vessels rewritten, new
ones added, departed ones gone, and every array agrees with the views."""

from __future__ import annotations

import math

import numpy as np

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.ui.vessel_picture import SHIP, VesselPictureBuilder

START_S = 1_710_201_600.0


def test_pictures_follow_the_snapshots() -> None:
    port = load_port(bundled_file(DEMO_PORT))
    lines = list(TrafficSimulator(port, seed=2).timed_lines(1800))
    engine = Engine()
    builder = VesselPictureBuilder(port.plane)
    half = [line for time_s, line in lines if time_s < START_S + 900]
    engine.feed(half, source="sim")
    first = builder.build(engine.snapshot().vessels)
    engine.feed([line for time_s, line in lines if time_s >= START_S + 900], source="sim")
    vessels = engine.snapshot().vessels
    second = builder.build(vessels)
    placed = {m: v for m, v in vessels.items() if v.fix is not None}
    assert sorted(second.mmsi.tolist()) == sorted(placed)
    assert len(second) >= len(first)
    for index, mmsi in enumerate(second.mmsi.tolist()):
        fix = placed[mmsi].fix
        x, y = port.plane.to_local(fix.lon, fix.lat)
        assert math.isclose(second.x_m[index], float(x), abs_tol=1e-6)
        assert math.isclose(second.y_m[index], float(y), abs_tol=1e-6)
        direction = fix.heading_deg if fix.heading_deg is not None else fix.cog_deg
        assert math.isclose(second.heading_rad[index], math.radians(direction or 0.0))
    assert (second.symbol == SHIP).any()
    # A vessel leaving the picture leaves the arrays.
    gone = second.mmsi[0]
    fewer = {m: v for m, v in placed.items() if m != gone}
    third = builder.build(fewer)
    assert gone not in third.mmsi
    assert len(third) == len(second) - 1
    assert np.isfinite(third.x_m).all()


def test_every_symbol_and_colour_is_stamped_from_inside_the_atlas(qtbot) -> None:
    """Shape and colour travel as int8: the atlas must widen them before multiplying
    (24 × 6 overflows int8 and used to read outside the atlas)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from portwatch.ui.palette import NIGHT
    from portwatch.ui.symbol_atlas import COLOURS, SHAPES, SymbolAtlas

    atlas = SymbolAtlas(NIGHT)
    for colour in range(COLOURS):
        for shape in range(SHAPES):
            image = QImage(40, 40, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor("black"))
            painter = QPainter(image)
            one = np.array([20.0])
            atlas.stamp(painter, one, one, np.array([0.0]),
                        np.array([shape], dtype=np.int8),
                        np.array([colour], dtype=np.int8))  # fmt: skip
            painter.end()
            lit = sum(image.pixelColor(x, y).lightness() > 30 for x in range(40) for y in range(40))
            assert lit > 10, (shape, colour)

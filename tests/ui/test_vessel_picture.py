"""The map's vessel arrays follow the snapshots: changed vessels rewritten, new
ones added, departed ones gone, and every array agrees with the views."""

from __future__ import annotations

import math
from dataclasses import replace

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


def _arrays(picture) -> dict:
    return {
        "mmsi": picture.mmsi.tolist(), "x": picture.x_m.round(6).tolist(),
        "y": picture.y_m.round(6).tolist(), "symbol": picture.symbol.tolist(),
        "lost": picture.lost.tolist(), "names": picture.names,
        "trails": [t.round(6).tolist() for t in picture.trails],
    }  # fmt: skip


def test_a_picture_kept_up_to_date_equals_one_built_afresh() -> None:
    """Through vessels reporting, leaving, coming back in another order and having
    no position yet, the kept table draws exactly what a new builder would."""
    port = load_port(bundled_file(DEMO_PORT))
    lines = list(TrafficSimulator(port, seed=3).timed_lines(1200))
    engine = Engine()
    kept = VesselPictureBuilder(port.plane)
    chunks = np.array_split(np.array([line for _, line in lines], dtype=object), 6)
    for number, chunk in enumerate(chunks):
        engine.feed(list(chunk), source="sim")
        vessels = dict(engine.snapshot().vessels)
        mmsis = list(vessels)
        if number == 2:  # some vessels leave
            vessels = {m: v for m, v in vessels.items() if m % 3}
        if number == 4:  # one is known only by its static data
            vessels[mmsis[5]] = replace(vessels[mmsis[5]], fix=None)
        picture = kept.build(vessels)
        fresh = VesselPictureBuilder(port.plane).build(vessels)
        assert _arrays(picture) == _arrays(fresh), number
        assert len(picture) == sum(v.fix is not None for v in vessels.values())
    assert len(picture) > 20


def test_no_symbol_is_cut_at_the_edge_of_its_cell(qtbot) -> None:
    """Cells are as small as each drawing allows: every turned drawing must still
    leave the cell's outer ring of pixels empty, or the map would show it clipped."""
    from portwatch.ui.palette import NIGHT
    from portwatch.ui.symbol_atlas import (
        CELL_OF_SHAPE,
        COLOURS,
        HEADING_STEPS,
        SHAPES,
        TURNING,
        SymbolAtlas,
    )

    atlas = SymbolAtlas(NIGHT)
    image = atlas.pixmap.toImage()
    top = 0
    for shape in range(SHAPES):
        cell = CELL_OF_SHAPE[shape]
        for step in range(HEADING_STEPS if shape in TURNING else 1):
            for colour in range(COLOURS):
                left, upper = colour * cell, top + step * cell
                ring = [(left + i, upper) for i in range(cell)]
                ring += [(left + i, upper + cell - 1) for i in range(cell)]
                ring += [(left, upper + i) for i in range(cell)]
                ring += [(left + cell - 1, upper + i) for i in range(cell)]
                touching = [p for p in ring if image.pixelColor(*p).alpha() > 0]
                assert not touching, (shape, step, colour, touching[:3])
        top += cell * (HEADING_STEPS if shape in TURNING else 1)

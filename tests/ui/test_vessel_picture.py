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
        assert math.isclose(second.bow_rad[index], math.radians(direction or 0.0))
        course = fix.cog_deg if fix.cog_deg is not None else fix.heading_deg
        assert math.isclose(second.cog_rad[index], math.radians(course or 0.0))
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
            atlas.stamp(
                painter,
                one,
                one,
                np.array([0.0]),
                np.array([shape], dtype=np.int8),
                np.array([colour], dtype=np.int8),
            )
            painter.end()
            lit = sum(image.pixelColor(x, y).lightness() > 30 for x in range(40) for y in range(40))
            assert lit > 10, (shape, colour)


def _arrays(picture) -> dict:
    return {
        "mmsi": picture.mmsi.tolist(),
        "x": picture.x_m.round(6).tolist(),
        "y": picture.y_m.round(6).tolist(),
        "symbol": picture.symbol.tolist(),
        "lost": picture.lost.tolist(),
        "names": picture.names,
        "trails": [t.round(6).tolist() for t in picture.trails],
    }


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
        # Trails, worked out here one by one, in the picture's order.
        expected = []
        for mmsi in picture.mmsi.tolist():
            vessel = vessels[mmsi]
            if len(vessel.trail) >= 2 and not vessel.lost:
                lats = [point[1] for point in vessel.trail]
                lons = [point[2] for point in vessel.trail]
                x, y = port.plane.to_local(np.array(lons), np.array(lats))
                expected.append(np.column_stack([x, y]).round(6).tolist())
        assert _arrays(picture)["trails"] == expected
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


def test_speed_vectors_follow_the_course_and_symbols_the_heading(qtbot) -> None:
    """A ship heading north but set east by the current (COG 090) shows its vector
    to the east: the vector says where it will be, not where its bow points."""
    from types import MappingProxyType

    from PySide6.QtGui import QColor, QImage, QPainter, QTransform

    from portwatch.ui.palette import NIGHT
    from portwatch.ui.vessel_layer import VesselLayer
    from portwatch.vessel import Fix, StaticData, VesselView
    from portwatch.vessel_kinds import CLASS_A

    port = load_port(bundled_file(DEMO_PORT))
    lon, lat = port.plane.to_lonlat(0.0, 0.0)
    fix = Fix(366000001, START_S, float(lat), float(lon), 10.0, 90.0, 0, 0, "test")
    view = VesselView(
        mmsi=366000001,
        kind=CLASS_A,
        static=StaticData(name=None),
        fix=fix,
        first_seen_s=START_S,
        last_heard_s=START_S,
        lost=False,
        trail=(),
        last_report_s=MappingProxyType({1: START_S}),
        rejected_fixes=0,
        messages=1,
    )
    layer = VesselLayer(NIGHT)
    layer.show_labels = False
    layer.set_picture(VesselPictureBuilder(port.plane).build({fix.mmsi: view}))
    image = QImage(400, 400, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("black"))
    painter = QPainter(image)
    painter.setTransform(QTransform(0.05, 0, 0, -0.05, 200, 200))  # 20 m a pixel, north up
    layer.paint(painter)
    painter.end()

    def lit(x: int, y: int) -> bool:
        return image.pixelColor(x, y).lightness() > 60

    # 6 minutes at 10 kn is 1 NM: 93 px. East of the ship, the vector; north, nothing.
    assert all(lit(200 + dx, 200) for dx in (30, 60, 90))
    assert not any(lit(200, 200 - dy) for dy in (30, 60, 90))

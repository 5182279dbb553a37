"""The chart model of the real NOAA cell US4MD81M: what it draws, the depth areas
against the safety depth, a safety contour that agrees with the chart's own depth
contours, and overlapping cells drawn once."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely

from portwatch.charts.chart_model import BEACON, BUOY, LIGHT, chart_model, read_chart
from portwatch.charts.s57_meanings import COLOUR
from portwatch.port.plane import LocalPlane

CELL = Path(__file__).resolve().parents[1] / "data" / "enc" / "US4MD81M" / "US4MD81M.000"
PLANE = LocalPlane(-76.3062, 38.7)


@pytest.fixture(scope="module")
def cells():
    cells, errors = read_chart([CELL])
    assert errors == []
    return cells


def test_the_model_holds_the_cells_land_depths_and_marks(cells) -> None:
    model = chart_model(cells, PLANE)
    assert model.safety_depth_m == 10.0
    # Buoys (BOYLAT 71, BOYSAW 2, BOYSPP 19), beacons (BCNLAT 194, BCNSPP 30), lights 151.
    kinds = dict(zip(*np.unique(model.marks.kind, return_counts=True), strict=True))
    assert kinds == {BUOY: 92, BEACON: 224, LIGHT: 151}
    red = next(code for code, name in COLOUR.items() if name == "red")
    red_buoys = (model.marks.kind == BUOY) & (model.marks.colour == red)
    assert red_buoys.sum() == 34 + 2  # port-hand lateral (IALA B), safe water (red and white)
    for lines in (model.land, model.coastline, model.constructions, *model.depth_areas.values()):
        assert len(lines) > 1000
        assert not lines.connect[-1]
    # Each ring of a polygon ends where it started: connect breaks between parts only.
    land = model.land
    ends = np.flatnonzero(~land.connect)
    starts = np.concatenate([[0], ends[:-1] + 1])
    assert np.allclose(land.x[starts], land.x[ends])
    assert np.allclose(land.y[starts], land.y[ends])
    west, south, east, north = model.bounds
    assert (east - west, north - south) == pytest.approx((48_000, 74_100), rel=0.01)


def test_depth_areas_are_shaded_against_the_safety_depth(cells) -> None:
    """DEPARE's shallowest depths (DRVAL1) in this cell: -0.4 (267 areas), 0, 1.8,
    3.6, 5.4, 9.1, 10.9 (3), 18.2 (2), 36.5 (1); DRGARE 0.9 to 2.5."""
    deep = chart_model(cells, PLANE, 10.0).depth_areas
    deeper = chart_model(cells, PLANE, 3.0).depth_areas
    rings = {name: int((~lines.connect).sum()) for name, lines in deep.items()}
    assert rings["drying"] >= 267
    assert rings["deep"] >= 6
    # A lower safety depth moves areas from shallow to deep, never the drying ones.
    assert len(deeper["deep"]) > len(deep["deep"])
    assert len(deeper["shallow"]) < len(deep["shallow"])
    assert len(deeper["drying"]) == len(deep["drying"])


@pytest.mark.parametrize(("safety_depth_m", "contour_m"), [(10.0, 10.9), (5.0, 5.4)])
def test_the_safety_contour_follows_the_next_deeper_chart_contour(
    cells, safety_depth_m: float, contour_m: float
) -> None:
    """As S-52 draws it: where no contour lies at the safety depth, the next deeper
    one. Almost all of the drawn contour lies on the cell's own DEPCNT lines of that
    depth (the rest runs where depth areas meet without a contour line)."""
    contour = chart_model(cells, PLANE, safety_depth_m).safety_contour
    assert len(contour) > 1000
    layer = cells[0].layer("DEPCNT")
    depths = np.array([float(v) for v in layer.values("VALDCO")])
    chart_lines = shapely.union_all(PLANE.geometry_to_local(layer.geometries[depths == contour_m]))
    distance_m = shapely.distance(shapely.points(contour.x, contour.y), chart_lines)
    assert (distance_m < 1.0).mean() > 0.95


def test_overlapping_cells_are_drawn_once(cells, tmp_path: Path) -> None:
    """A second cell over the same water (here the same cell again) is cut away
    beneath the first: nothing is drawn twice."""
    shutil.copytree(CELL.parent, tmp_path / "copy")
    both, errors = read_chart([CELL, tmp_path / "copy" / CELL.name])
    assert errors == []
    once, twice = chart_model(cells, PLANE), chart_model(both, PLANE)
    assert len(twice.marks) == len(once.marks)
    assert len(twice.land) == len(once.land)
    assert twice.features == 2 * once.features


def test_unreadable_cells_are_named_and_the_others_drawn(tmp_path: Path) -> None:
    text = tmp_path / "notes.000"
    text.write_text("not a chart", encoding="utf-8")
    cells, errors = read_chart([tmp_path / "gone.000", CELL, text])
    assert [cell.name for cell in cells] == ["US4MD81M"]
    assert errors == [
        f"{tmp_path / 'gone.000'}: cannot read: No such file or directory",
        f"{text}: not an S-57 cell (GDAL does not recognise the format)",
    ]

"""The chart under the traffic, ready to draw: ENC cells turned into a few runs of
coordinates on the port's local plane (metres), one run per style, and the aids
to navigation as points with a kind and a colour.

Not an S-52 presentation library: land, shoreline constructions, depth areas in
three shades against the safety depth with the safety contour drawn, buoys,
beacons and lights. Grouping by style is what lets the map draw a cell of ten
thousand features as a handful of paths, built once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from portwatch.charts.cells import Cell, ChartError, codes_of, number_of, read_cell
from portwatch.port.plane import LocalPlane

DEFAULT_SAFETY_DEPTH_M = 10.0
"""Water shallower than this is shaded as unsafe (a setting; S-52's default
safety contour is 30 m, a harbour's deep-draught ships need about 10 to 15)."""

BUOYS = ("BOYLAT", "BOYCAR", "BOYSAW", "BOYSPP", "BOYISD")
BEACONS = ("BCNLAT", "BCNCAR", "BCNSAW", "BCNSPP", "BCNISD")
LAYERS = (
    "LNDARE",
    "SLCONS",
    "COALNE",
    "LAKARE",
    "RIVERS",
    "DEPARE",
    "DRGARE",
    "DEPCNT",
    "LIGHTS",
    "M_COVR",
    *BUOYS,
    *BEACONS,
)
"""The object classes the chart draws."""

BUOY, BEACON, LIGHT = 0, 1, 2
"""``Marks.kind``."""
DEPTH_CLASSES = ("drying", "shallow", "deep")
"""Depth areas by their shallowest depth (DRVAL1): below chart datum (dries), less
than the safety depth, at least the safety depth."""


@dataclass(frozen=True, slots=True)
class Lines:
    """Polylines and polygon rings as one run of points (metres east, north);
    ``connect[i]`` says whether point i joins point i + 1, so a run is drawn as
    one path (pyqtgraph's ``arrayToQPath`` takes exactly this). Polygons have
    their exterior rings counter-clockwise and holes clockwise, so a non-zero
    fill draws holes as holes and overlaps once."""

    x: np.ndarray
    y: np.ndarray
    connect: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


@dataclass(frozen=True, slots=True)
class Marks:
    """Aids to navigation: position (metres), kind (``BUOY``, ``BEACON``,
    ``LIGHT``), their first S-57 COLOUR (1 white, 2 black, 3 red, 4 green,
    6 yellow…; 0 when the chart gives none) and shape (BOYSHP for a buoy: 1 conical,
    2 can, 3 spherical, 4 pillar, 5 spar…; BCNSHP for a beacon: 1 stake, 3 tower,
    4 lattice, 5 pile…; 0 when not given)."""

    x: np.ndarray
    y: np.ndarray
    kind: np.ndarray
    colour: np.ndarray
    shape: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


@dataclass(frozen=True)
class ChartModel:
    land: Lines
    """Land areas (LNDARE, SLCONS areas), filled."""
    inland_water: Lines
    """Lakes and rivers on the land (LAKARE, RIVERS areas), filled as water."""
    coastline: Lines
    """The shore (COALNE) and shoreline constructions (SLCONS lines): breakwaters,
    piers, quays."""
    constructions: Lines
    depth_areas: dict[str, Lines]
    """Areas by ``DEPTH_CLASSES``, DEPARE and DRGARE alike (a dredged area is
    shaded by its dredged depth)."""
    safety_contour: Lines
    """Where water shallower than the safety depth meets deeper water."""
    marks: Marks
    safety_depth_m: float
    features: int
    """How many chart objects went into it."""
    bounds: tuple[float, float, float, float] | None
    """West, south, east, north (metres) of what is drawn; None for nothing."""


def read_chart(paths: Sequence[str | Path]) -> tuple[list[Cell], list[str]]:
    """The cells that can be read, and one line per cell that cannot (naming it)."""
    cells, errors = [], []
    for path in paths:
        try:
            cells.append(read_cell(path, LAYERS))
        except ChartError as error:
            errors.append(str(error))
    return cells, errors


def chart_model(
    cells: Sequence[Cell], plane: LocalPlane, safety_depth_m: float = DEFAULT_SAFETY_DEPTH_M
) -> ChartModel:
    """The cells drawn on ``plane``. Where cells overlap, the larger-scale one (higher
    usage band: harbour over approach) is drawn and the other cut away beneath it."""
    names = ("land", "inland_water", "coastline", "constructions", *DEPTH_CLASSES, "contour")
    groups: dict[str, list[np.ndarray]] = {name: [] for name in names}
    marks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    covered = None
    features = 0
    for cell in sorted(cells, key=lambda c: -(c.usage_band or 0)):
        pieces = _CellPieces(cell, plane, safety_depth_m, covered)
        for name, geometries in pieces.groups.items():
            groups[name].append(geometries)
        marks.append(pieces.marks)
        features += pieces.features
        if pieces.coverage is not None:
            covered = pieces.coverage if covered is None else covered.union(pieces.coverage)
    joined = {name: _concat(parts) for name, parts in groups.items()}
    mark_x, mark_y = (
        np.concatenate([m[0][:, i] for m in marks]) if marks else np.empty(0) for i in (0, 1)
    )
    drawn = [g for name, g in joined.items() if name != "contour" and len(g)]
    everything = np.concatenate(drawn) if drawn else np.empty(0, dtype=object)
    bounds = None
    if len(everything) or len(mark_x):
        boxes = shapely.bounds(everything) if len(everything) else np.empty((0, 4))
        boxes = np.vstack([boxes, np.column_stack([mark_x, mark_y, mark_x, mark_y])])
        bounds = (
            float(np.nanmin(boxes[:, 0])),
            float(np.nanmin(boxes[:, 1])),
            float(np.nanmax(boxes[:, 2])),
            float(np.nanmax(boxes[:, 3])),
        )
    return ChartModel(
        land=_lines(joined["land"]),
        inland_water=_lines(joined["inland_water"]),
        coastline=_lines(joined["coastline"]),
        constructions=_lines(joined["constructions"]),
        depth_areas={name: _lines(joined[name]) for name in DEPTH_CLASSES},
        safety_contour=_lines(joined["contour"]),
        marks=Marks(
            x=mark_x,
            y=mark_y,
            kind=np.concatenate([m[1] for m in marks]) if marks else np.empty(0, np.uint8),
            colour=np.concatenate([m[2] for m in marks]) if marks else np.empty(0, np.uint8),
            shape=np.concatenate([m[3] for m in marks]) if marks else np.empty(0, np.uint8),
        ),
        safety_depth_m=safety_depth_m,
        features=features,
        bounds=bounds,
    )


class _CellPieces:
    """One cell's objects on the plane, by style, less what ``covered`` hides."""

    def __init__(
        self, cell: Cell, plane: LocalPlane, safety_depth_m: float, covered: shapely.Geometry
    ) -> None:
        self.cell, self.plane, self.covered = cell, plane, covered
        self.features = sum(len(layer) for layer in cell.layers.values())
        coverage = [
            g
            for g, c in zip(
                cell.layer("M_COVR").geometries, cell.layer("M_COVR").values("CATCOV"), strict=True
            )
            if g is not None and codes_of(c) == (1,)
        ]
        self.coverage = (
            shapely.union_all(plane.geometry_to_local(np.array(coverage))) if coverage else None
        )
        land = self._areas("LNDARE") + self._areas("SLCONS")
        depth, depth_min = [], []
        for name in ("DEPARE", "DRGARE"):
            areas, indices = self._areas(name, with_index=True)
            depth += areas
            drval1 = cell.layer(name).values("DRVAL1")
            depth_min += [number_of(drval1[i]) for i in indices]
        shallowest = np.array([np.nan if d is None else d for d in depth_min], dtype=float)
        depth_array = np.array(depth, dtype=object)
        drying = shallowest < 0
        unsafe = np.isnan(shallowest) | (shallowest < safety_depth_m)
        self.groups = {
            "land": np.array(land, dtype=object),
            "inland_water": np.array(self._areas("LAKARE") + self._areas("RIVERS"), dtype=object),
            "coastline": np.array(self._lines("COALNE"), dtype=object),
            "constructions": np.array(self._lines("SLCONS") + self._lines("LNDARE"), dtype=object),
            "drying": depth_array[drying],
            "shallow": depth_array[unsafe & ~drying],
            "deep": depth_array[~unsafe],
            "contour": _safety_contour(depth_array[unsafe], depth_array[~unsafe]),
        }
        self.marks = self._marks()

    def _local(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The layer's geometries on the plane, cut by ``covered``, and their rows."""
        layer = self.cell.layer(name)
        present = np.array([g is not None for g in layer.geometries], dtype=bool)
        rows = np.flatnonzero(present)
        if not len(rows):
            return np.empty(0, dtype=object), rows
        local = self.plane.geometry_to_local(layer.geometries[rows])
        if self.covered is not None:
            local = shapely.difference(local, self.covered)
            keep = ~shapely.is_empty(local)
            local, rows = local[keep], rows[keep]
        return local, rows

    def _areas(self, name: str, with_index: bool = False):
        local, rows = self._local(name)
        polygons = [
            (g, r)
            for g, r in zip(local, rows, strict=True)
            if g.geom_type in ("Polygon", "MultiPolygon")
        ]
        areas = [g for g, _ in polygons]
        return (areas, [r for _, r in polygons]) if with_index else areas

    def _lines(self, name: str) -> list[shapely.Geometry]:
        local, _ = self._local(name)
        return [g for g in local if g.geom_type in ("LineString", "MultiLineString")]

    def _marks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        points, kinds, colours, shapes = [], [], [], []
        for kind, names, shape_attribute in (
            (BUOY, BUOYS, "BOYSHP"),
            (BEACON, BEACONS, "BCNSHP"),
            (LIGHT, ("LIGHTS",), ""),
        ):
            for name in names:
                local, rows = self._local(name)
                layer = self.cell.layer(name)
                colour_values, shape_values = layer.values("COLOUR"), layer.values(shape_attribute)
                for geometry, row in zip(local, rows, strict=True):
                    if geometry.geom_type != "Point":
                        continue
                    points.append((geometry.x, geometry.y))
                    kinds.append(kind)
                    colours.append(min(255, (codes_of(colour_values[row]) or (0,))[0]))
                    shapes.append(min(255, (codes_of(shape_values[row]) or (0,))[0]))
        return (
            np.array(points, dtype=float).reshape(-1, 2),
            np.array(kinds, dtype=np.uint8),
            np.array(colours, dtype=np.uint8),
            np.array(shapes, dtype=np.uint8),
        )


def _safety_contour(unsafe: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """The edges shared by unsafe and safe depth areas. S-57 areas sharing an edge
    share its coordinates, so the overlay finds them exactly; S-52 draws the same
    line (the next contour deeper than the safety depth when none lies at it)."""
    if not len(unsafe) or not len(safe):
        return np.empty(0, dtype=object)
    shared = shapely.intersection(
        shapely.union_all(unsafe).boundary, shapely.union_all(safe).boundary
    )
    lines = [
        g
        for g in shapely.get_parts(shapely.line_merge(_only_lines(shared)))
        if g.geom_type == "LineString"
    ]
    return np.array(lines, dtype=object)


def _only_lines(geometry: shapely.Geometry) -> shapely.Geometry:
    kinds = ("LineString", "MultiLineString")
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in kinds]
    return shapely.MultiLineString(
        [line for part in parts for line in getattr(part, "geoms", [part])]
    )


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    parts = [p for p in parts if len(p)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=object)


def _lines(geometries: np.ndarray) -> Lines:
    """Every ring and line of ``geometries`` as one run of points."""
    if not len(geometries):
        return Lines(np.empty(0), np.empty(0), np.empty(0, dtype=bool))
    orient = getattr(shapely, "orient_polygons", None)  # shapely 2.1
    if orient is not None:
        geometries = orient(geometries)
    else:
        from shapely.geometry.polygon import orient as orient_one

        geometries = np.array(
            [
                orient_one(g) if g.geom_type == "Polygon" else g
                for g in shapely.get_parts(geometries)
            ],
            dtype=object,
        )
    parts = shapely.get_parts(geometries)
    is_polygon = shapely.get_type_id(parts) == 3
    pieces = np.concatenate([shapely.get_rings(parts[is_polygon]), parts[~is_polygon]])
    coords, index = shapely.get_coordinates(pieces, return_index=True)
    connect = np.ones(len(coords), dtype=bool)
    connect[:-1] = index[:-1] == index[1:]
    connect[-1] = False
    return Lines(coords[:, 0].copy(), coords[:, 1].copy(), connect)

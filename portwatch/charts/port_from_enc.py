"""A port file made from ENC cells: what ``portwatch port from-enc`` does.

The chart says where the land, the anchorages, the fairways, the restricted areas,
the pilot boarding places and the berths are; it does not say how many ships an
anchorage takes, whether a fairway has a speed limit, or which way ships come in.
Those get a stated default, and every default is listed "to check", so that the
user knows exactly what to edit before trusting the analytics.
"""

from __future__ import annotations

import glob
import json
import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from portwatch.charts.cells import Cell, ChartError, codes_of, number_of, read_cell, text_of
from portwatch.charts.s57_meanings import (
    ENTRY_RESTRICTIONS,
    RESTRICTED_AREA_CATEGORY,
    RESTRICTION,
    WATER_LEVEL_NOT_LAND,
)
from portwatch.command_files import refuse_writing_over_inputs
from portwatch.port.plane import LocalPlane
from portwatch.port.port_file import DEFAULT_ARRIVAL_RADIUS_M

APPROACHES = ("coverage", "zones", "none")
"""What the approach zone is drawn around: the cells' coverage (M_COVR), the zones
taken from them, or nothing (no approach zone)."""
SHIP_SPACING_M = 600.0
"""An anchorage's estimated capacity: one ship per square this wide, twice the
swing radius of a 200 m ship on five shackles in 15 m of water (about 300 m)."""
ANCHOR_BERTH_RADIUS_M = 200.0
"""An anchor berth given as a point without RADIUS."""
BERTH_DEPTH_M = 40.0
"""A berth given as a line along a quay (or a point) becomes a box this deep on
its water side: the beam of a large ship and its fenders."""
SLCONS_WIDTH_M = 8.0
"""A breakwater, pier or quay drawn as a line: its width on land, unless HORWID says."""
ZONES_MARGIN_M = 1852.0
"""``--approach zones``: a nautical mile around the zones' hull."""
_DEGREES_DECIMALS = 7  # about a centimetre: below any chart's accuracy

LAYERS = ("LNDARE", "SLCONS", "ACHARE", "ACHBRT", "FAIRWY", "DRGARE", "RESARE", "PILBOP",
          "BERTHS", "M_COVR")  # fmt: skip
"""The object classes a port is made from."""
_SOURCES = {
    "anchorage": ("ACHARE", "ACHBRT"), "fairway": ("FAIRWY", "DRGARE"),
    "restricted": ("RESARE",), "pilot_boarding": ("PILBOP",), "berth": ("BERTHS",),
}  # fmt: skip
_UNNAMED = {"ACHARE": "Anchorage", "ACHBRT": "Anchor berth", "FAIRWY": "Fairway",
            "DRGARE": "Dredged area", "RESARE": "Restricted area",
            "PILBOP": "Pilot boarding place", "BERTHS": "Berth"}  # fmt: skip


@dataclass(frozen=True)
class PortFromEnc:
    """A port made from cells, ready to write, with what the user must check."""

    name: str
    cells: tuple[Cell, ...]
    reference: tuple[float, float]
    features: tuple[dict[str, Any], ...]
    """GeoJSON features of the port file, in the order written."""
    land: tuple[shapely.Polygon, ...]
    """The coastline file's polygons, lon/lat."""
    missing: tuple[str, ...]
    """One line per kind the cells do not give."""
    to_check: tuple[str, ...]
    """One line per default the user should confirm or change."""

    def counts(self) -> Counter[str]:
        return Counter(feature["properties"]["kind"] for feature in self.features)

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """Write the port file at ``path`` and its coastline beside it
        (``NAME-coastline.geojson``); returns both paths. The ``chart`` member
        names the cells relative to the port file, so the app draws them."""
        path = Path(path)
        coastline = coastline_path(path)
        folder = path.parent.resolve()
        document = {
            "type": "FeatureCollection",
            "name": self.name,
            "reference": list(self.reference),
            "coastline": coastline.name,
            "chart": [_relative(cell.path, folder) for cell in self.cells],
            "disclaimer": "Made by portwatch port from-enc from the ENC cells "
            + ", ".join(cell.describe() for cell in self.cells)
            + ": not an official chart, not for navigation.",
            "features": list(self.features),
        }
        land = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": _geojson(polygon)}
                for polygon in self.land
            ],
        }
        _write_json(coastline, land)
        _write_json(path, document)
        return path, coastline

    def summary(self) -> list[str]:
        """What was made, what is missing and what to check, as lines to print."""
        counts = self.counts()
        made = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
        lines = [
            f"cells: {', '.join(cell.describe() for cell in self.cells)}",
            f"features: {made or 'none'}; land: {len(self.land)} polygons",
        ]
        lines += [f"missing: {line}" for line in self.missing]
        lines += [f"to check: {line}" for line in self.to_check]
        return lines


def write_port_from_enc(
    cells: Sequence[str],
    name: str,
    output: str | Path,
    approach: str = "coverage",
    all_restricted: bool = False,
) -> tuple[PortFromEnc, Path, Path]:
    """Make the port from ``cells`` and write it (and its coastline) at ``output``;
    returns the port and the two files written. Raises ``WriteRefusedError`` when
    either would be written over a cell or one of its update files, ``ChartError``
    for cells that cannot be used, ``OSError`` when the files cannot be written."""
    refuse_writing_over_inputs([output, coastline_path(output)], [*cells, *update_files(cells)])
    port = port_from_enc(cells, name, approach=approach, all_restricted=all_restricted)
    written, coastline = port.write(output)
    return port, written, coastline


def update_files(cells: Sequence[str | Path]) -> list[Path]:
    """The update files (``NAME.001``, ``NAME.002``…) beside each base cell."""
    return [
        update
        for cell in cells
        for update in Path(cell).parent.glob(f"{glob.escape(Path(cell).stem)}.[0-9][0-9][0-9]")
    ]


def port_from_enc(
    paths: Sequence[str | Path],
    name: str,
    approach: str = "coverage",
    all_restricted: bool = False,
) -> PortFromEnc:
    """A port named ``name`` from the cells at ``paths`` (base files, ``.000``;
    their updates are applied). Raises ``ChartError`` naming every cell that
    cannot be read, one per line: a port made from some of the cells only would
    lack zones without saying so.

    Entering a ``restricted`` zone raises an alert, so only the restricted areas
    (RESARE) that restrict entry (or say nothing of what they restrict) become
    one; those that only restrict what ships do there (anchoring, fishing,
    discharging…) are left out and listed, unless ``all_restricted``."""
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}, not {approach!r}")
    cells, errors = [], []
    for path in paths:
        try:
            cells.append(read_cell(path, LAYERS))
        except ChartError as error:
            errors.append(str(error))
    if errors:
        raise ChartError("\n".join(errors))
    if not cells:
        raise ChartError("no cells given")
    builder = _Builder(cells, all_restricted)
    return builder.build(name, approach)


class _Builder:
    """Turns the cells' objects into port features, one kind at a time."""

    def __init__(self, cells: list[Cell], all_restricted: bool) -> None:
        self.cells = cells
        self.all_restricted = all_restricted
        self.left_out: Counter[str] = Counter()
        """Restricted areas not made zones, by their reason."""
        coverage = [g for cell in cells for g in _coverage(cell)]
        everything = coverage or [
            g for cell in cells for layer in cell.layers.values() for g in layer.geometries if g
        ]
        if not everything:
            raise ChartError(f"{cells[0].path}: no geometry in the cell")
        west, south, east, north = shapely.GeometryCollection(everything).bounds
        self.reference = (round((west + east) / 2, 4), round((south + north) / 2, 4))
        self.plane = LocalPlane(*self.reference)
        self.coverage = shapely.union_all(coverage) if coverage else None
        self.features: list[dict[str, Any]] = []
        self.names: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.to_check: list[str] = []
        self.land_local: shapely.Geometry | None = None

    def build(self, name: str, approach: str) -> PortFromEnc:
        land = self._land()
        self._anchorages()
        self._polygons("fairway", "FAIRWY", self._fairway_properties)
        self._polygons("fairway", "DRGARE", self._fairway_properties)
        self._polygons("restricted", "RESARE", self._restricted_properties)
        self._pilot_boarding()
        self._berths()
        self._approach(approach)
        self._defaults_to_check()
        missing = []
        kinds = Counter(f["properties"]["kind"] for f in self.features)
        for kind, layers in _SOURCES.items():
            if not kinds[kind]:
                missing.append(f"{kind}: the cells have no {' or '.join(layers)}")
        if not land:
            missing.append("coastline: the cells have no LNDARE or SLCONS")
        return PortFromEnc(
            name=name,
            cells=tuple(self.cells),
            reference=self.reference,
            features=tuple(self.features),
            land=tuple(land),
            missing=tuple(missing),
            to_check=tuple(self.to_check),
        )

    def _objects(self, layer_name: str):
        """(cell, index, geometry) of every object of the class in every cell, each
        object once (a feature repeated in two cells has one LNAM)."""
        for cell in self.cells:
            layer = cell.layer(layer_name)
            lnams = layer.values("LNAM")
            for index, geometry in enumerate(layer.geometries):
                if geometry is None or geometry.is_empty:
                    continue
                lnam = text_of(lnams[index])
                if lnam is not None:
                    if lnam in self.seen:
                        continue
                    self.seen.add(lnam)
                yield cell, index, geometry

    def _land(self) -> list[shapely.Polygon]:
        """LNDARE areas and shoreline constructions above water, as one union."""
        parts = []
        for _cell, _index, geometry in self._objects("LNDARE"):
            local = self.plane.geometry_to_local(geometry)
            if local.geom_type in ("LineString", "MultiLineString"):
                local = local.buffer(SLCONS_WIDTH_M / 2, cap_style="flat")
            if local.area > 0:
                parts.append(local)
        for cell, index, geometry in self._objects("SLCONS"):
            layer = cell.layer("SLCONS")
            water_level = codes_of(layer.values("WATLEV")[index])
            if water_level and water_level[0] in WATER_LEVEL_NOT_LAND:
                continue
            local = self.plane.geometry_to_local(geometry)
            if local.geom_type in ("LineString", "MultiLineString"):
                width_m = number_of(layer.values("HORWID")[index]) or SLCONS_WIDTH_M
                local = local.buffer(width_m / 2, cap_style="flat")
            if local.area > 0:
                parts.append(shapely.make_valid(local))
        if not parts:
            return []
        self.land_local = shapely.union_all(parts)
        land = _polygons_of(self._to_lonlat(self.land_local))
        return [p for p in land if not p.is_empty]

    def _anchorages(self) -> None:
        for cell, index, geometry in self._objects("ACHARE"):
            for polygon in self._as_polygons(geometry, 500.0):
                area_m2 = self.plane.geometry_to_local(polygon).area
                capacity = max(1, math.floor(area_m2 / SHIP_SPACING_M**2))
                self._add(
                    "anchorage",
                    cell,
                    "ACHARE",
                    index,
                    polygon,
                    {"capacity": capacity, "capacity_estimated": True},
                )
        for cell, index, geometry in self._objects("ACHBRT"):
            radius_m = number_of(cell.layer("ACHBRT").values("RADIUS")[index])
            for polygon in self._as_polygons(geometry, radius_m or ANCHOR_BERTH_RADIUS_M):
                self._add("anchorage", cell, "ACHBRT", index, polygon, {"capacity": 1})

    def _polygons(self, kind: str, layer_name: str, properties) -> None:
        for cell, index, geometry in self._objects(layer_name):
            if layer_name == "RESARE" and not self._alerting(cell, index):
                continue
            for polygon in self._as_polygons(geometry, BERTH_DEPTH_M):
                self._add(
                    kind, cell, layer_name, index, polygon, properties(cell, layer_name, index)
                )

    def _fairway_properties(self, cell: Cell, layer_name: str, index: int) -> dict[str, Any]:
        depth_m = number_of(cell.layer(layer_name).values("DRVAL1")[index])
        return {} if depth_m is None else {"depth_m": depth_m}

    def _alerting(self, cell: Cell, index: int) -> bool:
        """Whether the restricted area is one a ship's entry should raise an alert for."""
        restrictions = codes_of(cell.layer("RESARE").values("RESTRN")[index])
        if self.all_restricted or not restrictions or ENTRY_RESTRICTIONS.intersection(restrictions):
            return True
        self.left_out["; ".join(RESTRICTION.get(c, f"restriction {c}") for c in restrictions)] += 1
        return False

    def _restricted_properties(self, cell: Cell, layer_name: str, index: int) -> dict[str, Any]:
        layer = cell.layer(layer_name)
        restrictions = codes_of(layer.values("RESTRN")[index])
        words = [RESTRICTION.get(code, f"restriction {code}") for code in restrictions]
        words += [
            RESTRICTED_AREA_CATEGORY.get(code, f"category {code}")
            for code in codes_of(layer.values("CATREA")[index])
        ]
        return {"reason": "; ".join(words) or "restricted area"}

    def _pilot_boarding(self) -> None:
        for cell, index, geometry in self._objects("PILBOP"):
            properties: dict[str, Any] = {"radius_m": DEFAULT_ARRIVAL_RADIUS_M}
            point = geometry
            if geometry.geom_type != "Point":
                local = self.plane.geometry_to_local(geometry)
                point = self._to_lonlat(local.centroid)
                if local.area > 0:
                    properties["radius_m"] = round(math.sqrt(local.area / math.pi))
            self._add("pilot_boarding", cell, "PILBOP", index, point, properties)

    def _berths(self) -> None:
        for cell, index, geometry in self._objects("BERTHS"):
            for polygon in self._as_polygons(geometry, BERTH_DEPTH_M, one_sided=True):
                self._add("berth", cell, "BERTHS", index, polygon, {})

    def _approach(self, approach: str) -> None:
        if approach == "none":
            return
        if approach == "coverage" and self.coverage is not None:
            hull = self.coverage.convex_hull
        else:
            zones = [
                self.plane.geometry_to_local(shapely.geometry.shape(f["geometry"]))
                for f in self.features
            ]
            if not zones:
                return
            local = shapely.GeometryCollection(zones).convex_hull.buffer(ZONES_MARGIN_M)
            hull = self._to_lonlat(local)
        approach_polygon = shapely.set_precision(hull, 10.0**-_DEGREES_DECIMALS)
        if approach_polygon.geom_type != "Polygon":
            return
        self.features.insert(
            0,
            _feature(
                "approach",
                self._unique("Approach zone"),
                {
                    "source": "ENC coverage (M_COVR)"
                    if approach == "coverage"
                    else "around the zones"
                },
                approach_polygon,
            ),
        )

    def _defaults_to_check(self) -> None:
        kinds = Counter(f["properties"]["kind"] for f in self.features)
        estimated = [
            f["properties"] for f in self.features if f["properties"].get("capacity_estimated")
        ]
        for properties in estimated:
            del properties["capacity_estimated"]
            self.to_check.append(
                f"anchorage {properties['name']!r}: capacity {properties['capacity']} estimated "
                f"from its area (one ship per {SHIP_SPACING_M:.0f} m square); set the number of "
                "ships it takes"
            )
        if kinds["fairway"]:
            self.to_check.append(
                f"fairways ({kinds['fairway']}): no speed limit (an ENC carries none); add "
                "speed_limit_kn where the port has one"
            )
        if kinds["restricted"]:
            self.to_check.append(
                f"restricted areas ({kinds['restricted']}): entering one raises an alert; "
                "remove those you want no alert for"
            )
        if self.left_out:
            reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.left_out.items()))
            self.to_check.append(
                f"restricted areas left out ({self.left_out.total()}), as they restrict only "
                f"what ships do there ({reasons}); --all-restricted makes zones of them too"
            )
        if kinds["pilot_boarding"]:
            self.to_check.append(
                f"pilot boarding places ({kinds['pilot_boarding']}): arrival radius radius_m "
                f"{DEFAULT_ARRIVAL_RADIUS_M:.0f} m (or the area's own size); set the port's"
            )
        self.to_check.append(
            "routes: an ENC has none in the port-file sense (a line from sea through the pilot "
            "boarding place to the berths); draw them (kind route, to: the place they lead to) "
            "for arrival estimates; the port works without them"
        )
        if kinds["approach"]:
            self.to_check.append(
                "approach zone: drawn around the cells' coverage; redraw it around the area "
                "you watch"
            )

    def _add(
        self,
        kind: str,
        cell: Cell,
        layer_name: str,
        index: int,
        geometry: shapely.Geometry,
        properties: dict[str, Any],
    ) -> None:
        layer = cell.layer(layer_name)
        given = text_of(layer.values("OBJNAM")[index])
        name = self._unique(
            given or f"{_UNNAMED[layer_name]} {self.names[layer_name] + 1}",
            counter=None if given else layer_name,
        )
        lnam = text_of(layer.values("LNAM")[index]) or ""
        source = f"ENC {cell.name} {layer_name} {lnam}".strip()
        information = text_of(layer.values("INFORM")[index])
        if information:
            properties = {**properties, "information": information}
        geometry = shapely.set_precision(geometry, 10.0**-_DEGREES_DECIMALS)
        if geometry.is_empty:
            return
        self.features.append(_feature(kind, name, {**properties, "source": source}, geometry))

    def _unique(self, name: str, counter: str | None = None) -> str:
        """``name``, or with `` (2)``, `` (3)``… when the file has it already."""
        if counter is not None:
            self.names[counter] += 1
        taken = {f["properties"]["name"] for f in self.features}
        unique, number = name, 1
        while unique in taken:
            number += 1
            unique = f"{name} ({number})"
        return unique

    def _as_polygons(
        self, geometry: shapely.Geometry, size_m: float, one_sided: bool = False
    ) -> list[shapely.Polygon]:
        """An area object as port polygons: a multipolygon in its parts, a point as
        a circle of radius ``size_m``, a line as a band ``size_m`` wide (on the side
        with less land, for a berth along a quay)."""
        if geometry.geom_type in ("Polygon", "MultiPolygon"):
            return [p for p in _polygons_of(shapely.make_valid(geometry)) if p.area > 0]
        local = self.plane.geometry_to_local(geometry)
        if geometry.geom_type in ("Point", "MultiPoint"):
            band = local.buffer(size_m)
        elif one_sided:
            sides = [
                local.buffer(size_m, single_sided=True),
                local.buffer(-size_m, single_sided=True),
            ]
            land = self.land_local
            band = min(sides, key=lambda s: s.intersection(land).area if land else 0.0)
        else:
            band = local.buffer(size_m / 2, cap_style="flat")
        return _polygons_of(self._to_lonlat(band))

    def _to_lonlat(self, local: shapely.Geometry) -> shapely.Geometry:
        def to_lonlat(coords: np.ndarray) -> np.ndarray:
            return np.column_stack(self.plane.to_lonlat(coords[:, 0], coords[:, 1]))

        return shapely.transform(local, to_lonlat)


def _coverage(cell: Cell) -> list[shapely.Geometry]:
    """Where the cell has data: its M_COVR areas of category 1 (coverage available)."""
    layer = cell.layer("M_COVR")
    categories = layer.values("CATCOV")
    return [
        g
        for g, c in zip(layer.geometries, categories, strict=True)
        if g is not None and codes_of(c) == (1,)
    ]


def _polygons_of(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    if geometry.geom_type == "Polygon":
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]


def _feature(kind: str, name: str, properties: dict[str, Any], geometry: shapely.Geometry):
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, **properties},
        "geometry": _geojson(geometry),
    }


def _geojson(geometry: shapely.Geometry) -> dict[str, Any]:
    return json.loads(shapely.to_geojson(shapely.set_precision(geometry, 10.0**-_DEGREES_DECIMALS)))


def _relative(path: Path, folder: Path) -> str:
    """``path`` as the port file names it: relative to its folder where it can be."""
    try:
        return Path(os.path.relpath(path.resolve(), folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(path.resolve())


def _write_json(path: Path, document: dict[str, Any]) -> None:
    """One feature a line, so that a person can find a feature and edit it; written
    whole or not at all: a crash leaves the old file, not half a new one."""
    head = {key: value for key, value in document.items() if key != "features"}
    lines = [json.dumps(f, ensure_ascii=False) for f in document["features"]]
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    text += ',\n "features": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def coastline_path(path: str | Path) -> Path:
    """Where the port file ``path`` gets its coastline: ``NAME-coastline.geojson``."""
    path = Path(path)
    stem = path.name.removesuffix(".geojson").removesuffix(".json")
    return path.with_name(f"{stem}-coastline.geojson")

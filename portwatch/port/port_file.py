"""Reading a port file, and refusing one that breaks the rules with a message
that names the file, the feature (index and name) and the field.

The format is DESIGN.md's "Port file": a GeoJSON FeatureCollection with the
foreign members ``name`` and ``reference`` ([lon, lat], the origin of the local
plane), optionally ``coastline`` (a GeoJSON file beside it) and ``chart`` (ENC
cells drawn under the traffic), and features whose ``properties.kind`` says what
they are.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.validation import explain_validity

from portwatch.decoders.errors import PortwatchError
from portwatch.port.plane import LocalPlane

POLYGON_KINDS = frozenset({"approach", "anchorage", "fairway", "berth", "restricted"})
KINDS = POLYGON_KINDS | {"pilot_boarding", "route", "coastline"}
DEFAULT_ARRIVAL_RADIUS_M = 1000.0
_GEOMETRY_TYPES = {
    **dict.fromkeys(POLYGON_KINDS, ("Polygon",)),
    "pilot_boarding": ("Point",),
    "route": ("LineString",),
    "coastline": ("Polygon", "MultiPolygon"),
}
_CPA_LIMIT = {"cpa_limit_nm": (False, False)}
"""Every zone may set its own close-quarters limit."""
_NUMBERS = {
    # kind: {property: (required, must be a whole number)}
    "approach": _CPA_LIMIT,
    "anchorage": {
        "capacity": (True, True),
        "depth_m": (False, False),
        "max_wait_h": (False, False),
        **_CPA_LIMIT,
    },
    "fairway": {"speed_limit_kn": (False, False), "width_m": (False, False), **_CPA_LIMIT},
    "berth": _CPA_LIMIT,
    "restricted": _CPA_LIMIT,
    "pilot_boarding": {"radius_m": (False, False)},
}


class PortFileError(PortwatchError):
    """A port file that cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class PortFeature:
    """One feature of the port: its kind, name, further properties and geometry,
    in lon/lat and on the port's local plane (metres)."""

    kind: str
    name: str
    properties: dict[str, Any]
    geometry: shapely.Geometry
    local: shapely.Geometry


@dataclass(frozen=True, slots=True)
class Port:
    name: str
    plane: LocalPlane
    features: tuple[PortFeature, ...]
    coastline: tuple[PortFeature, ...] = field(default=())
    """Land polygons, from the file itself or the file its ``coastline`` member names."""
    source: Path | None = None
    chart: tuple[Path, ...] = field(default=())
    """ENC cells (base files, ``.000``) to draw under the traffic, from the file's
    ``chart`` member; whether they can be read is the chart layer's to say."""

    def of_kind(self, kind: str) -> tuple[PortFeature, ...]:
        return tuple(feature for feature in self.features if feature.kind == kind)

    def feature(self, name: str) -> PortFeature:
        for feature in self.features:
            if feature.name == name:
                return feature
        raise KeyError(name)


def load_port(path: str | Path) -> Port:
    """Read and check the port file at ``path``; raises ``PortFileError``."""
    path = Path(path)
    document = _read_json(path)
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PortFileError(f'{path}: the port needs a "name" (text) beside "features"')
    plane = LocalPlane(*_reference(path, document.get("reference")))
    features = _features(path, document, plane)
    coastline = tuple(f for f in features if f.kind == "coastline")
    coastline_file = document.get("coastline")
    if coastline_file is not None:
        if not isinstance(coastline_file, str):
            raise PortFileError(f'{path}: "coastline" must name a GeoJSON file')
        coastline += _coastline_file(path.parent / coastline_file, plane)
    _check_routes(path, features)
    return Port(
        name=name.strip(),
        plane=plane,
        features=tuple(f for f in features if f.kind != "coastline"),
        coastline=coastline,
        source=path,
        chart=_chart(path, document.get("chart")),
    )


def _chart(path: Path, value: Any) -> tuple[Path, ...]:
    """The ``chart`` member's cells, relative to the port file's folder."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PortFileError(
            f'{path}: "chart" must be a list of ENC cell files (.000), relative to the port file'
        )
    return tuple(path.parent / cell for cell in value)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PortFileError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise PortFileError(f"{path}: not text (UTF-8): byte {error.start}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PortFileError(
            f"{path}: line {error.lineno}, column {error.colno}: not JSON: {error.msg}"
        ) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PortFileError(f'{path}: not a GeoJSON FeatureCollection ("type")')
    if not isinstance(document.get("features"), list):
        raise PortFileError(f'{path}: "features" must be a list')
    return document


def _reference(path: Path, value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(_is_number(v) for v in value)
        or not (-180 <= value[0] <= 180 and -90 <= value[1] <= 90)
    ):
        raise PortFileError(
            f'{path}: "reference" must be [lon, lat] in degrees (the local plane\'s origin)'
        )
    return float(value[0]), float(value[1])


def _features(path: Path, document: dict[str, Any], plane: LocalPlane) -> list[PortFeature]:
    features = []
    names: dict[str, int] = {}
    for index, raw in enumerate(document["features"]):
        where = f"{path}: feature {index}"
        if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
            raise PortFileError(f"{where}: not a Feature with properties")
        properties = dict(raw["properties"])
        name = properties.pop("name", None)
        if not isinstance(name, str) or not name.strip():
            raise PortFileError(f'{where}: "name" missing (every feature needs one)')
        where = f"{where} ({name!r})"
        if name in names:
            raise PortFileError(f'{where}: "name" already used by feature {names[name]}')
        names[name] = index
        kind = properties.pop("kind", None)
        if kind not in KINDS:
            raise PortFileError(
                f'{where}: "kind" is {kind!r}; one of {", ".join(sorted(KINDS))} expected'
            )
        _check_numbers(where, kind, properties)
        if kind == "pilot_boarding":
            properties.setdefault("radius_m", DEFAULT_ARRIVAL_RADIUS_M)
        geometry = _geometry(where, kind, raw.get("geometry"))
        features.append(
            PortFeature(kind, name, properties, geometry, plane.geometry_to_local(geometry))
        )
    return features


def _check_numbers(where: str, kind: str, properties: dict[str, Any]) -> None:
    for key, (required, whole) in _NUMBERS.get(kind, {}).items():
        value = properties.get(key)
        if value is None:
            if required:
                raise PortFileError(
                    f'{where}: "{key}" missing (required for {_article(kind)} {kind})'
                )
            continue
        if not _is_number(value) or value <= 0 or (whole and value != int(value)):
            what = "a whole number" if whole else "a number"
            raise PortFileError(f'{where}: "{key}" is {value!r}; {what} above 0 expected')


def _geometry(where: str, kind: str, raw: Any) -> shapely.Geometry:
    expected = _GEOMETRY_TYPES[kind]
    kind_of = raw.get("type") if isinstance(raw, dict) else None
    if kind_of not in expected:
        raise PortFileError(
            f'{where}: "geometry" is {kind_of or "missing"}; {_article(kind)} {kind} is a '
            f"{' or '.join(expected)}"
        )
    try:
        geometry = shapely.geometry.shape(raw)
    except Exception as error:  # shapely's own errors vary by version: one message for all
        raise PortFileError(f'{where}: "geometry" coordinates are malformed ({error})') from error
    lon_min, lat_min, lon_max, lat_max = geometry.bounds
    if geometry.is_empty or not (
        -180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90
    ):
        raise PortFileError(f'{where}: "geometry" is not [lon, lat] in degrees (WGS 84)')
    if not geometry.is_valid:
        raise PortFileError(
            f'{where}: "geometry" is not a valid {kind_of}: {explain_validity(geometry)}'
        )
    return geometry


def _check_routes(path: Path, features: list[PortFeature]) -> None:
    targets = {f.name for f in features if f.kind in ("pilot_boarding", "berth")}
    for index, feature in enumerate(features):
        if feature.kind != "route":
            continue
        target = feature.properties.get("to")
        if target not in targets:
            raise PortFileError(
                f'{path}: feature {index} ({feature.name!r}): "to" is {target!r}; it must name '
                "a pilot_boarding or berth feature of the file"
            )


def _coastline_file(path: Path, plane: LocalPlane) -> tuple[PortFeature, ...]:
    """Land from a separate GeoJSON file: every Polygon or MultiPolygon feature in it."""
    document = _read_json(path)
    land = []
    for index, raw in enumerate(document["features"]):
        where = f"{path}: feature {index}"
        geometry = _geometry(
            where, "coastline", raw.get("geometry") if isinstance(raw, dict) else None
        )
        land.append(
            PortFeature(
                "coastline", f"land {index}", {}, geometry, plane.geometry_to_local(geometry)
            )
        )
    return tuple(land)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

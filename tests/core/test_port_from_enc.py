"""``portwatch port from-enc`` on a real NOAA cell, US4MD81M (Chesapeake Bay, Cove
Point to Hackett Point; tests/data/enc/US4MD81M/README.md gives its provenance):
the port it makes loads, says what the cell lacks and what to check, applies the
cell's updates, and bad cells get one line each and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from portwatch.charts.cells import ChartError, read_cell
from portwatch.charts.port_from_enc import port_from_enc
from portwatch.port.port_file import load_port

CELL_FOLDER = Path(__file__).resolve().parents[1] / "data" / "enc" / "US4MD81M"
CELL = CELL_FOLDER / "US4MD81M.000"


def portwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("port")
    output = folder / "chesapeake.geojson"
    result = portwatch("port", "from-enc", str(CELL), "--name", "Chesapeake", "-o", str(output))
    return output, result


def test_the_port_made_from_the_cell_loads_with_its_land_and_zones(made) -> None:
    output, result = made
    assert result.returncode == 0, result.stderr
    port = load_port(output)
    assert port.name == "Chesapeake"
    kinds = {f.kind for f in port.features}
    assert kinds == {"approach", "fairway", "restricted"}
    assert port.feature("Knapps Narrows Channel").kind == "fairway"
    # The cell's 20 fairways and 7 dredged areas, each once; names unique with a suffix.
    assert len(port.of_kind("fairway")) == 27
    assert port.feature("Knapps Narrows Channel (2)").kind == "fairway"
    naval = port.feature("Naval Research Laboratory")
    assert naval.kind == "restricted"
    assert naval.properties["reason"] == "fishing restricted; entry restricted"
    assert "33 CFR 334.170" in naval.properties["information"]
    assert naval.properties["source"].startswith("ENC US4MD81M RESARE ")
    # Land from LNDARE and the shoreline constructions: Kent Island and Annapolis
    # are land, the middle of the bay is not.
    land = shapely.union_all([f.geometry for f in port.coastline])
    assert land.contains(shapely.Point(-76.32, 38.98))
    assert land.contains(shapely.Point(-76.4843, 38.9826))
    assert not land.contains(shapely.Point(-76.40, 38.70))
    # The approach zone holds every zone, and the chart member names the cell.
    approach = port.of_kind("approach")[0].geometry
    assert all(approach.covers(f.geometry) for f in port.features if f.kind != "approach")
    assert [p.resolve() for p in port.chart] == [CELL.resolve()]
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["coastline"] == "chesapeake-coastline.geojson"
    assert "not for navigation" in document["disclaimer"]


def test_the_output_says_what_the_cell_lacks_and_what_to_check(made) -> None:
    _, result = made
    lines = result.stdout.splitlines()
    assert "cells: US4MD81M (edition 31, update 3 of 20250923)" in lines
    missing = [line for line in lines if line.startswith("missing: ")]
    assert missing == [
        "missing: anchorage: the cells have no ACHARE or ACHBRT",
        "missing: pilot_boarding: the cells have no PILBOP",
        "missing: berth: the cells have no BERTHS",
    ]
    to_check = " ".join(line for line in lines if line.startswith("to check: "))
    assert "fairways (27): no speed limit" in to_check
    assert "restricted areas (3): entering one raises an alert" in to_check
    assert (
        "restricted areas left out (9), as they restrict only what ships do there "
        "(discharging prohibited: 9); --all-restricted" in to_check
    )
    assert "routes: an ENC has none" in to_check
    assert "approach zone" in to_check


def test_the_updates_beside_the_cell_are_applied(tmp_path: Path) -> None:
    """Update 1 re-surveyed the Fishing Creek dredged channel from 0.9 m to 1.6 m
    (DRVAL1; SORIND DD-33502 to DD-37597): with the updates beside the base file
    the port says 1.6 m; the base file alone, as issued, 0.9 m."""
    shutil.copy(CELL, tmp_path / CELL.name)
    alone = read_cell(tmp_path / CELL.name, ["DRGARE"])
    updated = read_cell(CELL, ["DRGARE"])
    assert (alone.update, updated.update) == (0, 3)

    def dredged_depth(cell: Path) -> float:
        port = port_from_enc([cell], "test")
        [channel] = [f for f in port.features if "022601F229280032" in f["properties"]["source"]]
        assert channel["properties"]["name"].startswith("Fishing Creek Channel")
        return channel["properties"]["depth_m"]

    assert dredged_depth(CELL) == 1.6
    assert dredged_depth(tmp_path / CELL.name) == 0.9
    ignored = read_cell(CELL, ["WRECKS"], apply_updates=False)
    assert len(ignored.layer("WRECKS")) == 110
    assert len(read_cell(CELL, ["WRECKS"]).layer("WRECKS")) == 111  # a wreck added by update


def test_restricted_areas_are_zones_where_entry_is_restricted() -> None:
    """Entering a restricted zone raises an alert: the nine no-discharge zones
    (40 CFR 140) of the cell are not made zones unless asked for."""

    def reasons(port) -> list[str]:
        return sorted(
            f["properties"]["reason"]
            for f in port.features
            if f["properties"]["kind"] == "restricted"
        )

    assert reasons(port_from_enc([CELL], "t")) == [
        "entry prohibited; offshore safety zone",
        "fishing restricted; entry restricted",
        "offshore safety zone",
    ]
    everything = reasons(port_from_enc([CELL], "t", all_restricted=True))
    assert len(everything) == 12
    assert everything.count("discharging prohibited") == 9


@pytest.mark.parametrize("approach", ["zones", "none"])
def test_approach_options(approach: str, tmp_path: Path) -> None:
    port = port_from_enc([CELL], "test", approach=approach)
    approaches = [f for f in port.features if f["properties"]["kind"] == "approach"]
    if approach == "none":
        assert approaches == []
        return
    [zone] = approaches
    hull = shapely.geometry.shape(zone["geometry"])
    zones = [shapely.geometry.shape(f["geometry"]) for f in port.features if f is not zone]
    assert all(hull.covers(z) for z in zones)
    coverage = shapely.geometry.shape(port_from_enc([CELL], "t").features[0]["geometry"])
    assert hull.area < coverage.area  # a mile around the zones, not the whole cell


def _truncated(folder: Path) -> Path:
    path = folder / "US4MD81M.000"
    path.write_bytes(CELL.read_bytes()[:1_000_000])
    return path


def _flipped(folder: Path) -> Path:
    """Every 1,700th byte after the header changed: a cell damaged in transfer."""
    data = bytearray(CELL.read_bytes())
    for index in range(200, len(data), 1700):
        data[index] ^= 0x5A
    path = folder / "US4MD81M.000"
    path.write_bytes(bytes(data))
    return path


def _text(folder: Path) -> Path:
    path = folder / "notes.000"
    path.write_text("CHESAPEAKE BAY - COVE POINT TO HACKETT POINT\n", encoding="utf-8")
    return path


def _geojson(folder: Path) -> Path:
    path = folder / "port.000"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    return path


BAD_CELLS = {
    "truncated": (_truncated, "corrupt S-57 cell: Data record is short"),
    "damaged": (_flipped, "corrupt S-57 cell"),
    "text": (_text, "not an S-57 cell (GDAL does not recognise the format)"),
    "other format": (_geojson, "not an S-57 cell (GDAL reads it as GeoJSON)"),
    "empty": (lambda folder: (folder / "empty.000").open("w").name, "empty file"),
    "missing": (lambda folder: folder / "gone.000", "cannot read: No such file"),
    "folder": (lambda folder: folder, "a folder, not a cell file"),
    "update file": (lambda folder: CELL_FOLDER / "US4MD81M.002", "an update file"),
}


@pytest.mark.parametrize("case", sorted(BAD_CELLS))
def test_a_bad_cell_gets_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    make, reason = BAD_CELLS[case]
    bad = Path(make(tmp_path))
    output = tmp_path / "out" / "port.geojson"
    output.parent.mkdir()
    result = portwatch("port", "from-enc", str(CELL), str(bad), "--name", "x", "-o", str(output))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"portwatch port from-enc: {bad}: {reason}")
    assert list(output.parent.iterdir()) == []  # nothing written from the good cell alone
    with pytest.raises(ChartError, match=f"^{bad}: "):
        read_cell(bad, ["LNDARE"])


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    result = portwatch(
        "port",
        "from-enc",
        str(tmp_path / "a.000"),
        str(_text(tmp_path)),
        "--name",
        "x",
        "-o",
        str(tmp_path / "port.geojson"),
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"portwatch port from-enc: {tmp_path / 'a.000'}: cannot read: No such file or directory",
        f"portwatch port from-enc: {tmp_path / 'notes.000'}: not an S-57 cell (GDAL does not "
        "recognise the format)",
    ]

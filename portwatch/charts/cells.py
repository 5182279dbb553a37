"""Reading IHO S-57 ENC cells through pyogrio (GDAL's S-57 driver, in its wheels).

A cell is one base file (``NAME.000``); GDAL applies the update files beside it
(``NAME.001``, ``.002``…) as it reads, so what comes back is the chart as
corrected to date. Anything that keeps a file from being read as a cell becomes
one ``ChartError`` naming the file and the reason, never a GDAL traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from portwatch.decoders.errors import PortwatchError

_UPDATE_SUFFIX = re.compile(r"\.(?!000)\d{3}$")
_USAGE_BANDS = {"1": "overview", "2": "general", "3": "coastal", "4": "approach",
                "5": "harbour", "6": "berthing"}  # fmt: skip


class ChartError(PortwatchError):
    """A cell that cannot be read; the message names the file and says why."""


@dataclass(frozen=True, slots=True)
class Layer:
    """One S-57 object class of a cell: shapely geometries in lon/lat (None where a
    feature has none) and its attributes, one array per attribute, row for row."""

    name: str
    geometries: np.ndarray
    attributes: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.geometries)

    def values(self, attribute: str) -> np.ndarray:
        """The attribute's value for every feature (None throughout when the layer
        has no such attribute)."""
        column = self.attributes.get(attribute)
        return column if column is not None else np.full(len(self), None, dtype=object)


@dataclass(frozen=True, slots=True)
class Cell:
    path: Path
    layers: dict[str, Layer]
    """The object classes asked for that the cell has; an absent class is absent here."""
    edition: str | None = None
    update: int = 0
    """The number of the last update applied (DSID UPDN): 0 for the base file alone."""
    issued: str | None = None
    """The issue date of that update (or of the base), YYYYMMDD."""
    usage_band: int | None = None
    """1 (overview) to 6 (berthing): DSID INTU, else the name's third character."""

    @property
    def name(self) -> str:
        return self.path.stem

    def describe(self) -> str:
        """E.g. "US4MD81M (edition 31, update 3 of 20250923)": what the user can
        compare with the chart catalogue."""
        edition = f"edition {self.edition}, " if self.edition else ""
        return f"{self.name} ({edition}update {self.update} of {self.issued or 'unknown date'})"

    def layer(self, name: str) -> Layer:
        """The object class ``name``, empty when the cell has none."""
        return self.layers.get(name) or Layer(name, np.empty(0, dtype=object))


def read_cell(path: str | Path, layers: Iterable[str], apply_updates: bool = True) -> Cell:
    """The object classes ``layers`` of the cell at ``path``; raises ``ChartError``.

    ``apply_updates=False`` reads the base file as issued (GDAL's UPDATES=IGNORE),
    which only a comparison needs.
    """
    import pyogrio  # GDAL is loaded only by those who read charts
    from pyogrio.errors import DataLayerError, DataSourceError

    path = Path(path)
    _check_file(path)
    options = {"UPDATES": "APPLY" if apply_updates else "IGNORE", "RECODE_BY_DSSI": "ON"}
    try:
        driver = pyogrio.read_info(path, layer=0).get("driver")
        if driver != "S57":
            raise ChartError(f"{path}: not an S-57 cell (GDAL reads it as {driver})")
        present = {name for name, _ in pyogrio.list_layers(path)}
        wanted = [name for name in dict.fromkeys(layers) if name in present]
        read = {name: _read_layer(path, name, options) for name in wanted}
        dsid = _read_layer(path, "DSID", options) if "DSID" in present else None
    except DataSourceError as error:
        raise ChartError(f"{path}: {_reason(error)}") from error
    except DataLayerError as error:
        raise ChartError(f"{path}: corrupt S-57 cell: {_first_sentence(error)}") from error
    if not present - {"DSID"}:
        raise ChartError(f"{path}: an S-57 file without a single chart feature")
    band = path.stem[2:3]
    cell = Cell(path=path, layers=read, usage_band=int(band) if band in _USAGE_BANDS else None)
    if dsid is None or not len(dsid):
        return cell
    intended = number_of(dsid.values("DSID_INTU")[0])
    return Cell(
        path=path,
        layers=read,
        edition=text_of(dsid.values("DSID_EDTN")[0]),
        update=int(number_of(dsid.values("DSID_UPDN")[0]) or 0),
        issued=text_of(dsid.values("DSID_ISDT")[0]),
        usage_band=int(intended) if intended in range(1, 7) else cell.usage_band,
    )


def _check_file(path: Path) -> None:
    if _UPDATE_SUFFIX.search(path.name):
        raise ChartError(
            f"{path}: an update file; give the base cell (.000): the updates beside it are applied"
        )
    try:
        with path.open("rb") as file:
            leader = file.read(24)
    except IsADirectoryError:
        raise ChartError(f"{path}: a folder, not a cell file (.000)") from None
    except OSError as error:
        raise ChartError(f"{path}: cannot read: {error.strerror or error}") from error
    if not leader:
        raise ChartError(f"{path}: empty file, not an S-57 cell")


def _read_layer(path: Path, name: str, options: dict[str, str]) -> Layer:
    from pyogrio.raw import read

    meta, _, wkb, columns = read(path, layer=name, force_2d=True, **options)
    geometries = (
        shapely.from_wkb(wkb) if wkb is not None else np.full(len(columns[0]), None, dtype=object)
    )
    attributes = {
        str(column): values for column, values in zip(meta["fields"], columns, strict=True)
    }
    return Layer(name, np.asarray(geometries, dtype=object), attributes)


def _reason(error: Exception) -> str:
    text = str(error)
    if "No such file" in text:
        return "no such file"
    if "not recognized as being in a supported file format" in text:
        return "not an S-57 cell (GDAL does not recognise the format)"
    return f"corrupt S-57 cell: {_first_sentence(error)}"


def _first_sentence(error: Exception) -> str:
    """GDAL's message without its advice on WinZip and line ends."""
    return str(error).split("  --", 1)[0].split(";", 1)[0].strip()


def text_of(value: Any) -> str | None:
    """An S-57 text attribute as text: None for absent or blank."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def codes_of(value: Any) -> tuple[int, ...]:
    """An S-57 list attribute (COLOUR, RESTRN…) as whole numbers; () when absent.

    GDAL gives lists as arrays of strings and enumerations as numbers (NaN or
    None when absent)."""
    if value is None:
        return ()
    if isinstance(value, np.ndarray | list | tuple):
        return tuple(int(v) for v in value if str(v).strip().isdigit())
    if isinstance(value, float):
        return () if np.isnan(value) else (int(value),)
    text = str(value).strip()
    return tuple(int(part) for part in text.split(",") if part.strip().isdigit())


def number_of(value: Any) -> float | None:
    """An S-57 float attribute (DRVAL1, VALDCO…): None when absent (NaN)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number

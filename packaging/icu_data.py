"""Qt's ICU data library (libicudata, 31 MB of the build) cut to what Qt asks ICU for.

Of ICU, Qt Core calls only collation (``ucol_*``: QCollator, the file dialog's
sort), case mapping (``u_strToUpper``/``Lower``: QLocale), time-zone names
(``ucal_getTimeZoneDisplayName``: QTimeZone) and converters (``ucnv_*``:
QStringDecoder by name); nothing else in the build links ICU. So the data for
those stays whole, in every locale: the locales (calendar and number data), the
collation and time-zone-name trees, the converter aliases and normalisation
tables. Left out: break iteration, units, currencies, language and region
names, transliteration, spelled-out numbers, character names, IDNA, spoof
checks, stringprep, which nothing calls; and the table-based converters
(Shift-JIS, GB18030, windows-125x, ...: 5 MB), which only a QStringDecoder made
by name would use, and PortWatch decodes all its text in Python. ICU's
algorithmic converters (UTF-8/16/32, UTF-7, US-ASCII, Latin-1) are code and stay.

The data is an ICU common-data package (a table of contents, then items, each
16-byte aligned) in the library's one exported symbol, ``icudtNN_dat``; the
smaller package is assembled into a library of the same name with binutils.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import elf

LEFT_OUT_TREES = ("brkitr/", "unit/", "curr/", "lang/", "region/", "translit/", "rbnf/")
LEFT_OUT_KINDS = (".cnv", ".spp", ".cfu")  # table converters, stringprep, spoof checks
LEFT_OUT_ITEMS = ("unames.icu", "uts46.nrm")  # character names, IDNA
_ALIGN = 16
_MAGIC = b"\xda\x27"


def used_by_qt(name: str) -> bool:
    """``name``, an item of the package without its ``icudtNNl/`` prefix: kept?"""
    return not (
        name.startswith(LEFT_OUT_TREES) or name.endswith(LEFT_OUT_KINDS) or name in LEFT_OUT_ITEMS
    )


def read_package(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its items as ``(name, bytes)``, in its (sorted) order."""
    (header_size,) = struct.unpack_from("<H", package, 0)
    if package[2:4] != _MAGIC or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common-data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    entries = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(package) - header_size]
    items = []
    for (name_at, start), end in zip(entries, ends, strict=True):
        name_start = header_size + name_at
        name = package[name_start : package.index(b"\0", name_start)].decode("ascii")
        items.append((name, package[header_size + start : header_size + end]))
    return package[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of ``items`` (already in sorted order: ICU searches it by halves)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    contents_size = _aligned(4 + 8 * len(items) + len(names))
    entries, name_at, data_at = [], 4 + 8 * len(items), contents_size
    for name, data in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        data_at += _aligned(len(data))
    contents = struct.pack("<I", len(items)) + b"".join(entries) + names
    parts = [header, contents.ljust(contents_size, b"\0")]
    parts += [data.ljust(_aligned(len(data)), b"\0") for _, data in items]
    return b"".join(parts)


def filtered_package(package: bytes, keep: Callable[[str], bool] = used_by_qt) -> bytes:
    header, items = read_package(package)
    return write_package(header, [(n, d) for n, d in items if keep(n.split("/", 1)[1])])


def can_build() -> bool:
    return all(shutil.which(tool) for tool in ("as", "ld"))


def filter_library(source: Path, destination: Path) -> None:
    """Write at ``destination`` the library ``source`` (libicudata.so.NN) with
    only the data Qt uses: the same soname, the same exported symbol."""
    version = re.fullmatch(r"libicudata\.so\.(\d+)", source.name)
    if version is None:
        raise ValueError(f"{source}: not an ICU data library (libicudata.so.NN)")
    symbol = f"icudt{version[1]}_dat"
    package = filtered_package(elf.exported_object(source.read_bytes(), symbol))
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        data, assembly, obj = (Path(work) / name for name in ("icu.dat", "icu.s", "icu.o"))
        data.write_bytes(package)
        # A note saying the stack is not executable: without it ld marks the
        # library as needing one, and recent glibc refuses to load such a library.
        # (%object, %progbits: on some targets "@" starts a comment.)
        assembly.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, %object\n"
            f"\t.balign {_ALIGN}\n"
            f"{symbol}:\n"
            f'\t.incbin "{data}"\n'
            f"\t.size {symbol}, {len(package)}\n"
            '\t.section .note.GNU-stack,"",%progbits\n',
            encoding="ascii",
        )
        subprocess.run(["as", "-o", str(obj), str(assembly)], check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", source.name, "-o", str(destination), str(obj)], check=True
        )


def _aligned(size: int) -> int:
    return size + (-size % _ALIGN)

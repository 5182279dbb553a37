"""What the packaged build does with Linux shared libraries (64-bit ELF): strip
their symbol tables where the loader still accepts the result, and find an
exported symbol's bytes. Read with the struct module, so that the build needs
no ELF tools beyond binutils' strip, as and ld."""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

_MAGIC = b"\x7fELF"
_CLASS_64, _LITTLE_ENDIAN = 2, 1
_PT_LOAD = 1
_SHT_SYMTAB, _SHT_DYNSYM = 2, 11
_PAGE = 4096  # the smallest page a Linux loader maps (x86-64, and arm64's 4 KB kernels)


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    kind: int
    address: int
    offset: int
    size: int
    link: int


def is_elf(path: Path) -> bool:
    """A 64-bit little-endian ELF file: the only kind the build rewrites."""
    with path.open("rb") as file:
        ident = file.read(6)
    return ident[:4] == _MAGIC and ident[4] == _CLASS_64 and ident[5] == _LITTLE_ENDIAN


def sections(data: bytes) -> list[Section]:
    (table,) = struct.unpack_from("<Q", data, 0x28)
    size, count, names_index = struct.unpack_from("<HHH", data, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", data, table + i * size) for i in range(count)]
    names_offset = raw[names_index][4] if raw else 0
    return [
        Section(_string(data, names_offset + name_at), kind, address, offset, size, link)
        for name_at, kind, _, address, offset, size, link, *_ in raw
    ]


def has_symbol_table(path: Path) -> bool:
    """Whether strip would take something off: a ``.symtab`` (function names for
    debuggers and profilers, never read by the loader)."""
    return any(section.kind == _SHT_SYMTAB for section in sections(path.read_bytes()))


def loadable(path: Path) -> bool:
    """Whether every loaded segment's file offset and address agree modulo the page
    size and the segment's alignment, as glibc's loader demands ("ELF load command
    address/offset not page-aligned"). GNU strip breaks that in libraries whose
    segments patchelf added (auditwheel's repairs, e.g. numpy's OpenBLAS)."""
    data = path.read_bytes()
    (table,) = struct.unpack_from("<Q", data, 0x20)
    size, count = struct.unpack_from("<HH", data, 0x36)
    for i in range(count):
        kind, _, offset, address, _, _, _, align = struct.unpack_from(
            "<IIQQQQQQ", data, table + i * size
        )
        if kind == _PT_LOAD and (address - offset) % max(align, _PAGE):
            return False
    return True


def stripped_copy(source: Path, destination: Path) -> bool:
    """Write at ``destination`` ``source`` without its symbol table and say so; or,
    when there is nothing to strip or the stripped copy would not load, say no and
    write nothing (the original is what ships)."""
    if not is_elf(source) or not has_symbol_table(source):
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, destination)
    subprocess.run(["strip", "--strip-unneeded", str(destination)], check=True)
    if loadable(destination):
        return True
    destination.unlink()
    return False


def exported_object(data: bytes, name: str) -> bytes:
    """The bytes of the exported data symbol ``name`` (from the dynamic symbol table)."""
    all_sections = sections(data)
    for table in (s for s in all_sections if s.kind == _SHT_DYNSYM):
        strings = all_sections[table.link]
        for start in range(table.offset, table.offset + table.size, 24):
            name_at, _, _, index, value, size = struct.unpack_from("<IBBHQQ", data, start)
            if _string(data, strings.offset + name_at) == name and 0 < index < len(all_sections):
                home = all_sections[index]
                begin = home.offset + value - home.address
                return data[begin : begin + size]
    raise LookupError(f"no exported symbol {name}")


def _string(data: bytes, offset: int) -> str:
    return data[offset : data.index(b"\0", offset)].decode("ascii")

"""Which decoders run: the compiled ones (mypyc) when they are built and current,
else the pure-Python modules, which stay the reference and the fallback.

``packaging/build_accelerator.py`` compiles ``COMPILED_MODULES`` from the same
sources into ``_compiled/`` beside them, with a manifest of the sources' digest.
The package imports the modules of that folder (a finder first on
``sys.meta_path``) only when the digest still matches (an edited ``.py`` is never
shadowed by an old build) and every compiled module imports; anything else
leaves the pure modules in use, and says why. ``PORTWATCH_PURE=1`` asks for the
pure modules. Nothing here is compiled.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

COMPILED_MODULES = (
    "armour",
    "assembler",
    "batch_position",
    "eta",
    "fast_position",
    "fast_static",
    "fast_stations",
    "fields",
    "framing",
    "stream",
)
"""The hot modules compiled by mypyc (the records, errors, stats and pyais adapter
stay Python: records are pickled to the history writer and built by every path)."""
PACKAGE = "portwatch.decoders"
PURE_VARIABLE = "PORTWATCH_PURE"
"""Set to anything but ``""``/``0``: use the pure-Python decoders."""
DIRECTORY_VARIABLE = "PORTWATCH_COMPILED_DIR"
"""Where the compiled decoders are looked for instead of ``_compiled/`` (tests)."""
MANIFEST = "SOURCES.sha256"
SOURCES = Path(__file__).resolve().parent


def compiled_directory() -> Path:
    """The folder of the compiled modules (``_compiled`` beside the sources)."""
    override = os.environ.get(DIRECTORY_VARIABLE)
    return Path(override) if override else SOURCES / "_compiled"


def source_digest(sources: Path = SOURCES) -> str | None:
    """Digest of the compiled modules' sources and of this interpreter's ABI; None
    where the sources are not on disk (a frozen app, which ships the build it was
    made with)."""
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for name in COMPILED_MODULES:
        try:
            text = (sources / f"{name}.py").read_bytes()
        except OSError:
            return None
        digest.update(f"\0{name}\0{len(text)}\0".encode())
        digest.update(text)
    return digest.hexdigest()


def usable(directory: Path, sources: Path = SOURCES) -> str | None:
    """Why the compiled modules in ``directory`` may not be used, or None if they may."""
    try:
        built = (directory / MANIFEST).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return f"not built (packaging/build_accelerator.py makes {directory})"
    current = source_digest(sources)
    if current is not None and built != current:
        return "the compiled modules are older than the sources: rebuild them"
    return None


def activate() -> str:
    """Make the compiled modules the ones imported when they may be used and all
    import; returns what is in use, as ``--version`` says it."""
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return f"pure Python ({PURE_VARIABLE} is set)"
    directory = compiled_directory()
    reason = usable(directory)
    if reason is not None:
        return f"pure Python ({reason})"
    finder = _CompiledFinder(directory)
    sys.meta_path.insert(0, finder)
    try:
        for name in COMPILED_MODULES:
            module = importlib.import_module(f"{PACKAGE}.{name}")
            if not str(getattr(module, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES)):
                raise ImportError(f"{name} is not compiled")
    except Exception as error:  # a broken or foreign build: the pure modules still work
        sys.meta_path.remove(finder)
        _forget_compiled()
        return f"pure Python (the compiled modules failed to import: {error})"
    return "compiled (mypyc)"


class _CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds the package's compiled modules in their folder, before any other finder
    looks: first on ``sys.meta_path``, as a frozen app's own importer would
    otherwise give its frozen copy of the pure module, whatever the package's path.
    Answers for those names only."""

    def __init__(self, directory: Path) -> None:
        self.files = {
            f"{PACKAGE}.{path.name.partition('.')[0]}": path
            for path in directory.iterdir()
            if path.name.endswith(tuple(EXTENSION_SUFFIXES))
        }

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        file = self.files.get(fullname)
        return None if file is None else importlib.util.spec_from_file_location(fullname, file)


def _forget_compiled() -> None:
    """Drop whatever the failed attempt imported, so that the pure modules load."""
    package = sys.modules.get(PACKAGE)
    for name in COMPILED_MODULES:
        sys.modules.pop(f"{PACKAGE}.{name}", None)
        if package is not None and hasattr(package, name):
            delattr(package, name)

"""Compile the hot decoder modules with mypyc into decoders/_compiled/.

The pure-Python modules stay where they are and stay the reference; this only
adds their compiled form beside them, with a manifest of the sources' digest
(``portwatch.decoders.accelerator`` uses the build only while it matches). Needs
mypy (for mypyc), setuptools, a C compiler and Python's headers; when any is
missing it fails, and PortWatch runs the pure modules. Nothing is rebuilt when the
manifest already matches the sources.

Usage: ``python packaging/build_accelerator.py [--install] [--force]``
(``--install``: pip-install mypy and setuptools first); ``bootstrap.sh`` and
``build.sh`` run it and carry on without it when it fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "decoders"
TARGET = SOURCES / "_compiled"
REQUIREMENTS = ("mypy>=1.11,<3", "setuptools>=77")
"""What the build needs besides a C compiler and Python's headers."""
GROUP = "portwatch.decoders._accelerated"
"""mypyc's shared library of the group, inside the package (found on its path)."""

# Run in a child Python inside the staging folder (setuptools wants its own process).
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify

modules = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--build-lib", "out", "--build-temp", "temp"]
setup(
    name="portwatch-decoders-compiled",
    ext_modules=mypycify(
        ["--follow-imports=silent", "--ignore-missing-imports",
         *[f"portwatch/decoders/{name}.py" for name in modules]],
        opt_level="3",
        group_name=GROUP,
    ),
)
"""


def accelerator():
    """The package's own ``accelerator`` module, loaded from the checkout by path
    (importing ``portwatch.decoders`` would import the build being replaced)."""
    spec = importlib.util.spec_from_file_location("_accelerator", SOURCES / "accelerator.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(force: bool) -> int:
    """Compile into a staging folder, then replace ``TARGET`` with the result."""
    accel = accelerator()
    digest = accel.source_digest(SOURCES)
    if not force and accel.usable(TARGET, SOURCES) is None:
        print(f"compiled decoders up to date in {TARGET}")
        return 0
    with tempfile.TemporaryDirectory(prefix="portwatch-mypyc-") as tmp:
        stage = Path(tmp)
        package = stage / "portwatch" / "decoders"
        package.mkdir(parents=True)
        (stage / "portwatch" / "__init__.py").write_text("")
        for source in SOURCES.glob("*.py"):  # the others too, for their types
            shutil.copy2(source, package / source.name)
        (stage / "setup.py").write_text(_SETUP.replace("GROUP", repr(GROUP)))
        result = subprocess.run(
            [sys.executable, "setup.py", *accel.COMPILED_MODULES],
            cwd=stage,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if result.returncode != 0:
            print(result.stdout[-4000:] + result.stderr[-4000:], file=sys.stderr)
            print("mypyc build failed: PortWatch will use the pure-Python decoders")
            return 1
        built = [
            path
            for path in (stage / "out" / "portwatch" / "decoders").iterdir()
            if path.name.endswith(tuple(EXTENSION_SUFFIXES))
        ]
        made = TARGET.with_name("_compiled.new")
        shutil.rmtree(made, ignore_errors=True)
        made.mkdir()
        for path in built:
            shutil.copy2(path, made / path.name)
        (made / accel.MANIFEST).write_text(digest + "\n", encoding="ascii")
        shutil.rmtree(TARGET, ignore_errors=True)
        made.rename(TARGET)
    print(f"compiled {len(accel.COMPILED_MODULES)} decoder modules with mypyc into {TARGET}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument("--install", action="store_true", help="pip-install mypy first")
    args = parser.parse_args(argv)
    if args.install:
        installed = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", *REQUIREMENTS], check=False
        )
        if installed.returncode != 0:
            print("could not install mypy: PortWatch will use the pure-Python decoders")
            return 1
    return build(args.force)


if __name__ == "__main__":
    sys.exit(main())

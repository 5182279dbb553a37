"""A wheel holds every package: setuptools installs only the packages pyproject.toml
lists, and an editable install hides a missing one (it maps the folders)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = config["tool"]["setuptools"]["package-dir"]
    on_disk = set()
    for package, folder in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            on_disk.add(".".join([package, *relative.parts]))
    missing = {p for p in on_disk if not p.startswith("portwatch.resources")} - listed
    assert not missing, f"packages left out of the wheel: {sorted(missing)}"
    assert "portwatch.simulator" in on_disk  # the walk found the subpackages

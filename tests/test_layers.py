"""The layering of DESIGN.md, enforced: nothing below ui/ imports Qt or the UI,
and decoders/ imports nothing from the core above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "portwatch.ui")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: use absolute imports (portwatch.…)")
            names.add(node.module or "")
    return names


def _is_under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("layer", ["portwatch", "decoders"])
def test_no_qt_below_ui(layer: str) -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / layer).rglob("*.py")
        for module in imported_modules(path)
        if _is_under(module, QT_MODULES)
    }
    assert not offenders, f"Qt or the UI imported below ui/: {sorted(offenders)}"


def test_decoders_import_nothing_from_the_core() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "decoders").rglob("*.py")
        for module in imported_modules(path)
        if _is_under(module, ("portwatch",)) and not _is_under(module, ("portwatch.decoders",))
    }
    assert not offenders, f"decoders/ reaches up into the core: {sorted(offenders)}"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard the guard: a file importing Qt is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6 import QtCore\nimport portwatch.ui.main\n", encoding="utf-8")
    assert {m for m in imported_modules(bad) if _is_under(m, QT_MODULES)} == {
        "PySide6",
        "portwatch.ui.main",
    }

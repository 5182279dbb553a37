"""The layering of the top-level folders, enforced by the import-linter contracts in
pyproject.toml: the UI above the core, the core above the decoders, no Qt below
the UI. (tests/core/test_without_qt.py runs the command line with Qt blocked.)

The decoders and the UI install inside ``portwatch`` (``portwatch.decoders``,
``portwatch.ui``) but live in folders of their own here, where import-linter,
walking ``portwatch/``, would not find them: the contracts run on the package as
it installs, a tree of links to the sources.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def installed_layout(tmp_path: Path) -> Path:
    """A folder holding ``portwatch/`` as it installs: the core's files, with
    ``decoders`` and ``ui`` inside; links to the sources, so the contracts read them."""
    package = tmp_path / "site" / "portwatch"
    package.mkdir(parents=True)
    for child in (ROOT / "portwatch").iterdir():
        if child.name != "__pycache__":
            (package / child.name).symlink_to(child)
    (package / "decoders").symlink_to(ROOT / "decoders")
    (package / "ui").symlink_to(ROOT / "ui")
    return package.parent


def lint_imports(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layers_hold(tmp_path: Path) -> None:
    result = lint_imports(installed_layout(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_contracts_see_a_violation(tmp_path: Path) -> None:
    """Guard the guard: a core module importing Qt and the UI, and a decoder importing
    the core, break the contracts."""
    site = installed_layout(tmp_path)
    decoders = site / "portwatch" / "decoders"
    decoders.unlink()
    decoders.mkdir()
    for child in (ROOT / "decoders").glob("*.py"):
        (decoders / child.name).symlink_to(child)
    for installed, source, added in (
        ("engine.py", "portwatch/engine.py", "import PySide6\nimport portwatch.ui.app\n"),
        ("decoders/stats.py", "decoders/stats.py", "import portwatch.fleet\n"),
    ):
        linked = site / "portwatch" / installed
        linked.unlink()
        linked.write_text((ROOT / source).read_text(encoding="utf-8") + added, encoding="utf-8")
    result = lint_imports(site)
    assert result.returncode != 0
    assert "The UI above the core, the core above the decoders BROKEN" in result.stdout
    assert "No Qt below the UI BROKEN" in result.stdout
    assert "portwatch.engine -> portwatch.ui.app" in result.stdout
    assert "portwatch.decoders.stats -> portwatch.fleet" in result.stdout

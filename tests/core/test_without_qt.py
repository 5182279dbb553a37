"""The core and the decoders run with no Qt at all (STYLE.md, habit 1).

PySide6 and pyqtgraph are installed here for the UI, so this runs the CLI in a
fresh interpreter where importing either fails, as on a machine without them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.decoders.nmea import EXAMPLE_POSITION, vdm

WITHOUT_QT = """
import sys
for name in ("PySide6", "shiboken6", "pyqtgraph"):
    sys.modules[name] = None  # any import of them now raises ImportError
from portwatch.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_decode_demo_and_port_from_enc_run_without_qt(tmp_path: Path) -> None:
    log = tmp_path / "log.nmea"
    log.write_text(vdm(EXAMPLE_POSITION)[0] + "\n", encoding="ascii")
    cell = Path(__file__).resolve().parents[1] / "data" / "enc" / "US4MD81M" / "US4MD81M.000"
    port = ["port", "from-enc", str(cell), "--name", "x", "-o", str(tmp_path / "port.geojson")]
    for args in (["decode", str(log)], ["demo", "--minutes", "0.05"], port):
        result = subprocess.run(
            [sys.executable, "-c", WITHOUT_QT, *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout


def test_the_guard_works() -> None:
    importing_qt = WITHOUT_QT.replace("from portwatch.cli", "import pyqtgraph\nfrom portwatch.cli")
    result = subprocess.run(
        [sys.executable, "-c", importing_qt, "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImportError" in result.stderr or "ModuleNotFoundError" in result.stderr

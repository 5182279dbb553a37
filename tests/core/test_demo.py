"""``portwatch demo --log``: a recorded log summarised; the live demo itself is in
test_simulated_source."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, tag_block, vdm


def portwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_demo_on_a_log_of_ones_own(tmp_path: Path) -> None:
    log = tmp_path / "own.nmea"
    lines = [tag_block("c:1452468552") + vdm(EXAMPLE_POSITION)[0], *vdm(EXAMPLE_STATIC, seq_id=1)]
    log.write_text("\n".join(lines) + "\n", encoding="ascii")
    result = portwatch("demo", "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert "1 vessels: 1 moving" in result.stdout
    assert "EXAMPLE STAR" in result.stdout


def test_demo_on_a_missing_log_is_one_line(tmp_path: Path) -> None:
    result = portwatch("demo", "--log", str(tmp_path / "missing.nmea"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(tmp_path / "missing.nmea") in result.stderr


def test_demo_on_a_corrupt_gzip_is_one_line(tmp_path: Path) -> None:
    log = tmp_path / "corrupt.nmea.gz"
    packed = bytearray(gzip.compress(("\n".join(vdm(EXAMPLE_POSITION)) + "\n").encode() * 500))
    packed[len(packed) // 2] ^= 0xFF
    log.write_bytes(bytes(packed))
    result = portwatch("demo", "--log", str(log))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(log) in result.stderr


def test_demo_into_a_closed_pipe_is_quiet() -> None:
    from tests.core.test_simulated_source import without_display

    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=without_display(),
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # like "| head -1"
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0
    assert b"Traceback" not in stderr

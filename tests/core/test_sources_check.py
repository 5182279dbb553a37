"""``portwatch sources check``: an operator's first look at a new receiver."""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, nmea, vdm


def test_check_reports_rate_share_and_talkers() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    lines = [
        *vdm(EXAMPLE_POSITION, talker="AB"),
        *vdm(EXAMPLE_STATIC, talker="AI", seq_id=1),
        nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,"),
    ]

    def serve() -> None:
        connection, _ = server.accept()
        connection.sendall(("\r\n".join(lines) + "\r\n").encode())
        connection.recv(1)  # hold the connection until the client goes
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "portwatch",
            "sources",
            "check",
            f"tcp://127.0.0.1:{port}",
            "--seconds",
            "1.5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    server.close()
    assert result.returncode == 0, result.stderr
    assert "state: connected" in result.stdout
    assert "lines: 4 in 1.5 s" in result.stdout
    assert "AIS sentences: 3 (75 % of lines), messages 2" in result.stdout
    assert "talkers: AI 2, AB 1" in result.stdout


def test_nothing_arriving_exits_1() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "portwatch",
            "sources",
            "check",
            f"tcp://127.0.0.1:{port}",
            "--seconds",
            "0.5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "state: retrying in" in result.stdout


def test_malformed_url_is_one_line_with_the_accepted_forms() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "sources", "check", "tcp://nowhere"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no port" in result.stderr
    assert "serial:///dev/ttyUSB0?baud=38400" in result.stderr


def test_check_a_recorded_log(tmp_path: Path) -> None:
    log = tmp_path / "feed.nmea"
    log.write_text("\n".join(vdm(EXAMPLE_POSITION) * 5) + "\n", encoding="ascii")
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "sources", "check", f"file://{log}", "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "lines: 5 in 1 s" in result.stdout
    assert "talkers: AI 5" in result.stdout


def test_check_counts_every_kind_of_decode_failure(tmp_path: Path) -> None:
    """What the receiver sends that PortWatch cannot use, by kind: a bad checksum, a
    message type that does not exist, half of a type 5 that never completes."""
    position = vdm(EXAMPLE_POSITION)[0]
    log = tmp_path / "feed.nmea"
    lines = [
        position,
        position[:-2] + "00",
        nmea("AIVDM,1,1,,A,L000000000000000000000000000,0", start="!"),
        vdm(EXAMPLE_STATIC, seq_id=1)[0],
    ]
    log.write_text("\n".join(lines) + "\n", encoding="ascii")
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "sources", "check", f"file://{log}", "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "messages 1" in result.stdout, result.stderr
    assert (
        "decode failures: 3 (bad checksum 1, orphan fragments 1, unsupported type 1)"
        in result.stdout
    )


def test_a_source_without_ais_or_that_failed_exits_1(tmp_path: Path) -> None:
    """Lines arrived, but none was AIS (a GPS on the wrong port), or the source
    failed part way (a log cut short): not a source to use as it is."""
    gps = tmp_path / "gps.nmea"
    gps.write_text(
        "\n".join([nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,")] * 3)
    )
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "sources", "check", f"file://{gps}", "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout
    assert "AIS sentences: 0 (0 % of lines)" in result.stdout
    assert result.stderr.strip().splitlines() == [
        f"portwatch sources check: file://{gps}: holds no AIS: not one of its 3 lines is an "
        "AIS sentence"
    ]
    packed = gzip.compress(("\n".join(vdm(EXAMPLE_POSITION) * 5000) + "\n").encode())
    cut = tmp_path / "cut.nmea.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "sources", "check", f"file://{cut}", "--seconds", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "state: failed: " in result.stdout, result.stdout
    assert "AIS sentences: 0 " not in result.stdout
    assert result.returncode == 1

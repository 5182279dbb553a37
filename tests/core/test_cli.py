"""The ``portwatch`` command as a user runs it: a real process, real files, real pipes."""

from __future__ import annotations

import calendar
import gzip
import json
import os
import signal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from portwatch import __version__
from portwatch.decoders import DECODERS
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, nmea, tag_block, vdm

T0 = calendar.timegm((2016, 1, 10, 23, 31, 2))
LOG_LINES = [
    tag_block(f"s:north,c:{T0}") + vdm(EXAMPLE_POSITION)[0],
    "# a comment",
    nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,"),
    *(tag_block(f"c:{T0 + 1}") + s for s in vdm(EXAMPLE_STATIC, seq_id=2)),
    vdm(EXAMPLE_POSITION)[0][:-2] + "00",  # bad checksum
    vdm(dict(EXAMPLE_POSITION, mmsi=211000111), own_ship=True)[0],
]


def portwatch(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.nmea"
    path.write_text("\r\n".join(LOG_LINES) + "\r\n", encoding="ascii")
    return path


def messages(output: bytes) -> list[dict]:
    return [json.loads(line) for line in output.decode().splitlines()]


def test_decode_writes_json_lines_and_a_summary(log_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = portwatch("decode", str(log_file), "-o", str(out))
    assert result.returncode == 0, result.stderr
    position, static, own = messages(out.read_bytes())
    assert position == {
        "type": 1,
        "mmsi": 366999001,
        "time": "2016-01-10T23:31:02Z",
        "lat": 33.71,
        "lon": -118.18,
        "sog_kn": 12.3,
        "cog_deg": 90.1,
        "heading_deg": 91,
        "accuracy": True,
        "nav_status": 0,
        "rot": 0.0,
        "station": "north",
    }
    assert static == {
        "type": 5,
        "mmsi": 366999001,
        "time": "2016-01-10T23:31:03Z",
        "name": "EXAMPLE STAR",
        "callsign": "WDE1234",
        "imo": 9123456,
        "draught_m": 11.2,
        "destination": "LOS ANGELES",
        "eta_reported": "2016-01-11T06:30:00Z",
        "ship_type": 70,
        "to_bow_m": 150,
        "to_stern_m": 50,
        "to_port_m": 15,
        "to_starboard_m": 17,
    }
    assert own["own_ship"] is True
    assert own["time"] is None
    summary = result.stderr.decode()
    assert "3 messages" in summary
    assert "bad checksum 1" in summary
    assert "1 non-AIS" in summary


def test_decode_reads_standard_input(log_file: Path) -> None:
    result = portwatch("decode", "-", stdin=log_file.read_bytes())
    assert result.returncode == 0, result.stderr
    assert [m["type"] for m in messages(result.stdout)] == [1, 5, 1]


def test_decode_reads_gzip_like_plain(log_file: Path, tmp_path: Path) -> None:
    packed = tmp_path / "harbour.nmea.gz"
    packed.write_bytes(gzip.compress(log_file.read_bytes()))
    plain = portwatch("decode", str(log_file))
    packed_result = portwatch("decode", str(packed))
    assert (plain.returncode, packed_result.returncode) == (0, 0)
    assert len(messages(plain.stdout)) == 3
    assert packed_result.stdout == plain.stdout


def test_raw_sentences_on_request(log_file: Path) -> None:
    result = portwatch("decode", "--raw", str(log_file))
    static = messages(result.stdout)[1]
    assert static["raw"] == LOG_LINES[3:5]


def test_missing_file_is_one_line_and_others_still_decode(log_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.nmea"
    result = portwatch("decode", str(missing), str(log_file))
    assert result.returncode == 1
    errors = [
        line
        for line in result.stderr.decode().splitlines()
        if "error" in line.lower() or "cannot" in line
    ]
    assert errors == [f"portwatch decode: {missing}: cannot read: No such file or directory"]
    assert b"Traceback" not in result.stderr
    assert len(messages(result.stdout)) == 3


def test_truncated_gzip_keeps_what_was_decoded(log_file: Path, tmp_path: Path) -> None:
    many = "\r\n".join(LOG_LINES * 2000).encode()
    packed = gzip.compress(many)
    broken = tmp_path / "broken.nmea.gz"
    broken.write_bytes(packed[: len(packed) // 2])
    result = portwatch("decode", str(broken))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert f"portwatch decode: {broken}: stopped after line " in stderr
    assert b"Traceback" not in result.stderr
    decoded = messages(result.stdout)
    # Every group of lines gzip itself can still give back is decoded (3 messages a
    # group), none lost with the batch the break fell in.
    readable = zlib.decompressobj(wbits=31).decompress(packed[: len(packed) // 2])
    whole_groups = readable.count(b"\r\n") // len(LOG_LINES)
    assert 3 * whole_groups <= len(decoded) < 3 * 2000


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """Nothing that can be read: one line, exit 2, no output made."""
    out = tmp_path / "out.jsonl"
    result = portwatch("decode", str(tmp_path), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"portwatch decode: {tmp_path}: cannot read: Is a directory"
    ]
    assert not out.exists()


def test_a_file_without_ais_is_said_plainly(log_file: Path, tmp_path: Path) -> None:
    """A text file given by mistake is not a log of malformed lines: exit 1, and
    the log beside it is decoded."""
    text = tmp_path / "notes.txt"
    text.write_text("shopping list\nbread\n\nmilk\n")
    empty = tmp_path / "empty.nmea"
    empty.write_bytes(b"")
    result = portwatch("decode", str(text), str(empty), str(log_file))
    assert result.returncode == 1
    errors = [line for line in result.stderr.decode().splitlines() if line.startswith("portwatch")]
    assert errors == [
        f"portwatch decode: {text}: holds no AIS: not one of its 4 lines is an AIS sentence",
        f"portwatch decode: {empty}: holds no AIS: it is empty",
    ]
    assert len(messages(result.stdout)) == 3


def test_output_into_a_closed_pipe_is_quiet(log_file: Path) -> None:
    many = log_file.parent / "many.nmea"
    many.write_text("\n".join(LOG_LINES * 5000), encoding="ascii")
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch", "decode", str(many)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # like "| head -1"
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0
    assert b"Traceback" not in stderr


def test_version_and_help() -> None:
    version, decoders = portwatch("--version").stdout.decode().splitlines()
    assert version == f"portwatch {__version__}"
    assert decoders == f"decoders: {DECODERS}"
    help_text = portwatch("--help").stdout.decode()
    assert "decode" in help_text
    assert "demo" in help_text
    assert portwatch("decode").returncode == 2  # usage error: no file


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("portwatch")
    result = subprocess.run([str(script), "--version"], capture_output=True, check=False)
    assert result.returncode == 0
    assert result.stdout.decode().startswith("portwatch ")


def live_decode() -> tuple[subprocess.Popen[bytes], bytes]:
    """``portwatch decode -`` fed one line; returns it with the first output line,
    read as soon as it is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch", "decode", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write((LOG_LINES[0] + "\n").encode())
    process.stdin.flush()
    return process, process.stdout.readline()


def test_standard_input_is_decoded_as_it_arrives() -> None:
    """``nc host 10110 | portwatch decode -``: each message appears at once, not
    after a batch of a thousand lines."""
    process, first = live_decode()
    assert json.loads(first)["mmsi"] == 366999001
    process.communicate(timeout=60)  # closes standard input: end of feed
    assert process.returncode == 0


def test_gzip_and_plain_logs_through_pipes(log_file: Path) -> None:
    """``portwatch decode - < log.gz`` and ``/dev/stdin``: nothing is lost to sniffing."""
    packed = gzip.compress(log_file.read_bytes())
    for path, data in (("-", packed), ("/dev/stdin", log_file.read_bytes())):
        result = portwatch("decode", path, stdin=data)
        assert result.returncode == 0, result.stderr
        assert [m["type"] for m in messages(result.stdout)] == [1, 5, 1]


def test_full_disk_is_one_line(log_file: Path) -> None:
    result = portwatch("decode", str(log_file), "-o", "/dev/full")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "portwatch decode: cannot write /dev/full: No space left on device"
    ]


def test_ctrl_c_ends_quietly() -> None:
    process, _ = live_decode()  # running and decoding
    process.send_signal(signal.SIGINT)
    # Wait with standard input still open: closing it first could end the feed (exit
    # 0) before the signal is handled.
    process.wait(timeout=60)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in stderr


def test_chart_cells_are_given_to_the_app() -> None:
    """``--chart CELL.000…`` before or after a command reaches the app."""
    from portwatch.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["--port", "p.geojson", "--chart", "a.000", "b.000"])
    assert args.app_chart == ["a.000", "b.000"]
    assert parser.parse_args(["demo", "--chart", "a.000"]).chart == ["a.000"]
    assert parser.parse_args(["open", "log.nmea", "--chart", "a.000"]).chart == ["a.000"]

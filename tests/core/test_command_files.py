"""No command writes over one of its own inputs, makes a folder nobody asked for,
or leaves a file behind when it refuses to start: ``portwatch`` as a user runs it,
on real files in a temporary folder, each refusal one line and exit status 2."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.command_files import same_file
from tests.core.test_cli import LOG_LINES
from tests.core.test_history_cli import LOG_LINES as HISTORY_LOG_LINES
from tests.core.test_history_cli import STAR, write_gzip_log


def portwatch(
    *args: str, stdout: int | None = subprocess.PIPE, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        input=stdin.decode() if stdin else None,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` with its bytes (None for a folder or a link)."""
    return {
        str(path.relative_to(folder)): (
            None if path.is_dir() or path.is_symlink() else path.read_bytes()
        )
        for path in sorted(folder.rglob("*"))
    }


def refused(result: subprocess.CompletedProcess[str], command: str) -> str:
    """The one line a refusal prints, after checking it is the only one and exit 2."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"portwatch {command}: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.nmea"
    path.write_text("\r\n".join(LOG_LINES) + "\r\n", encoding="ascii")
    return path


# Writing over an input


def test_decode_never_writes_over_the_log_it_reads(log: Path, tmp_path: Path) -> None:
    """``-o LOG`` would empty the log before reading it: not by its name, a symbolic
    link, a hard link, nor standard output redirected onto it (``>> LOG``)."""
    symbolic, hard = tmp_path / "link.nmea", tmp_path / "hard.nmea"
    symbolic.symlink_to(log)
    os.link(log, hard)
    before = snapshot(tmp_path)
    for output in (log, symbolic, hard):
        line = refused(portwatch("decode", str(log), "-o", str(output)), "decode")
        assert line == f"portwatch decode: will not write {output}: it is the input {log}"
    with open(log, "a", encoding="ascii") as appended:
        line = refused(portwatch("decode", str(log), stdout=appended.fileno()), "decode")
    assert line == f"portwatch decode: will not write /dev/stdout: it is the input {log}"
    assert snapshot(tmp_path) == before


def test_decode_from_standard_input_redirected_from_the_output_is_refused(
    log: Path, tmp_path: Path
) -> None:
    """``portwatch decode - -o LOG < LOG``: the same file, reached through /dev/stdin."""
    before = log.read_bytes()
    with open(log, "rb") as redirected:
        result = subprocess.run(
            [sys.executable, "-m", "portwatch", "decode", "-", "-o", str(log)],
            stdin=redirected,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    line = refused(result, "decode")
    assert line == f"portwatch decode: will not write {log}: it is the input standard input"
    assert log.read_bytes() == before


def test_a_pipe_or_terminal_is_not_taken_for_an_input(log: Path) -> None:
    """Standard input and output both pipes (``cat LOG | portwatch decode - | …``)."""
    result = portwatch("decode", "-", stdin=log.read_bytes())
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_simulate_never_writes_over_its_port_file_or_coastline(tmp_path: Path) -> None:
    demo = Path(bundled_file(DEMO_PORT))
    port = tmp_path / demo.name
    shutil.copy(demo, port)
    coastline_name = json.loads(port.read_text())["coastline"]
    shutil.copy(demo.parent / coastline_name, tmp_path / coastline_name)
    before = snapshot(tmp_path)
    for output in (port, tmp_path / coastline_name):
        line = refused(
            portwatch("simulate", "--port", str(port), "--duration", "10m", "-o", str(output)),
            "simulate",
        )
        assert line.startswith(f"portwatch simulate: will not write {output}: it is the input ")
    assert snapshot(tmp_path) == before


def test_import_run_and_record_never_write_over_a_log_they_read(tmp_path: Path) -> None:
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", HISTORY_LOG_LINES)
    before = snapshot(tmp_path)
    line = refused(portwatch("import", str(log), "--db", str(log)), "import")
    assert line == f"portwatch import: will not write {log}: it is the input {log}"
    line = refused(portwatch("run", f"file://{log}", "--db", str(log)), "run")
    assert line == f"portwatch run: will not write {log}: it is the input {log}"
    events = tmp_path / "events.jsonl"
    line = refused(
        portwatch("run", f"file://{log}", "--db", str(events), "--events", str(events)), "run"
    )
    assert line == f"portwatch run: will not write {events}: it is also the output {events}"
    line = refused(portwatch("record", f"file://{log}", "-o", str(log)), "record")
    assert line == f"portwatch record: will not write {log}: it is the input {log}"
    assert snapshot(tmp_path) == before
    # With --gzip the recording is another file (plain.nmea.gz): nothing to refuse.
    plain = tmp_path / "plain.nmea"
    plain.write_text("\n".join(HISTORY_LOG_LINES) + "\n")
    result = portwatch("record", f"file://{plain}", "-o", str(plain), "--gzip")
    assert result.returncode == 0, result.stderr
    assert len(gzip.decompress((tmp_path / "plain.nmea.gz").read_bytes()).splitlines()) == len(
        HISTORY_LOG_LINES
    )


def test_run_never_replays_a_database_into_itself(tmp_path: Path) -> None:
    """``run history:///X --db X`` would store every static change and port call
    of X again: refused, and X is left exactly as it was."""
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", HISTORY_LOG_LINES)
    db = tmp_path / "harbour.sqlite"
    assert portwatch("import", str(log), "--db", str(db)).returncode == 0
    link = tmp_path / "same.sqlite"
    link.symlink_to(db)
    before = snapshot(tmp_path)
    for target in (db, link):
        line = refused(portwatch("run", f"history://{db}", "--db", str(target)), "run")
        assert line == f"portwatch run: will not write {target}: it is the input {db}"
    assert snapshot(tmp_path) == before


def test_track_and_vessels_never_append_to_their_database(tmp_path: Path) -> None:
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", HISTORY_LOG_LINES)
    db = tmp_path / "harbour.sqlite"
    assert portwatch("import", str(log), "--db", str(db)).returncode == 0
    before = snapshot(tmp_path)
    with open(db, "a", encoding="ascii") as appended:
        for args in (["track", str(STAR)], ["vessels"]):
            result = portwatch(*args, "--db", str(db), stdout=appended.fileno())
            line = refused(result, args[0])
            assert line == f"portwatch {args[0]}: will not write /dev/stdout: it is the input {db}"
    assert snapshot(tmp_path) == before


def test_same_file_is_the_same_inode_or_path() -> None:
    """Devices and pipes are read and written at once by design: never the same file."""
    assert same_file("/dev/null", "/dev/null") is False
    assert same_file(__file__, Path(__file__).parent / ".." / "core" / Path(__file__).name)
    assert same_file("/nowhere/new.sqlite", "/nowhere/../nowhere/new.sqlite")
    assert not same_file(__file__, "/nowhere/new.sqlite")


# Record: appending, and folders


def test_record_appends_to_an_existing_log_and_refuses_a_missing_folder(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.nmea"
    feed.write_text("\n".join(LOG_LINES) + "\n", encoding="ascii")
    existing = tmp_path / "recorded.nmea"
    existing.write_bytes(b"\\s:earlier,c:1452468552000*00\\!AIVDM,earlier line\n")
    result = portwatch("record", f"file://{feed}", "-o", str(existing))
    assert result.returncode == 0, result.stderr
    lines = existing.read_bytes().splitlines()
    assert lines[0] == b"\\s:earlier,c:1452468552000*00\\!AIVDM,earlier line"
    assert len(lines) == 1 + len(LOG_LINES)

    nowhere = tmp_path / "no" / "such" / "folder"
    before = snapshot(tmp_path)
    line = refused(portwatch("record", f"file://{feed}", "-o", str(nowhere / "x.nmea")), "record")
    assert line == (
        f"portwatch record: cannot write {nowhere / 'x.nmea'}: there is no folder {nowhere}"
    )
    assert snapshot(tmp_path) == before
    help_text = portwatch("record", "--help").stdout
    assert "an existing one is appended to" in " ".join(help_text.split())


# Refused before anything is made


def test_run_with_a_bad_source_says_one_line_and_makes_no_database(tmp_path: Path) -> None:
    """A history database or port file that is not there, a log that is not there:
    refused when the source is opened, before the database is made."""
    db = tmp_path / "new.sqlite"
    events = tmp_path / "events.jsonl"
    for url, reason in (
        (f"history://{tmp_path}/missing.sqlite", "cannot read"),
        (f"sim://{tmp_path}/missing.geojson", "missing.geojson"),
        (f"file://{tmp_path}/missing.nmea", "cannot read: No such file or directory"),
        ("history://", "no history database path"),
    ):
        result = portwatch("run", url, "--db", str(db), "--events", str(events))
        line = refused(result, "run")
        assert reason in line, line
        assert list(tmp_path.iterdir()) == [], url


def test_run_with_an_events_file_in_a_missing_folder_makes_no_database(tmp_path: Path) -> None:
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", HISTORY_LOG_LINES)
    before = snapshot(tmp_path)
    events = tmp_path / "nowhere" / "events.jsonl"
    result = portwatch(
        "run", f"file://{log}", "--db", str(tmp_path / "h.sqlite"), "--events", str(events)
    )
    assert refused(result, "run") == (
        f"portwatch run: cannot write {events}: there is no folder {events.parent}"
    )
    assert snapshot(tmp_path) == before


def test_import_and_decode_of_nothing_readable_make_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.nmea"
    result = portwatch("import", str(missing), "--db", str(tmp_path / "new.sqlite"))
    assert refused(result, "import") == (
        f"portwatch import: {missing}: cannot read: No such file or directory"
    )
    result = portwatch("decode", str(missing), "-o", str(tmp_path / "out.jsonl"))
    assert refused(result, "decode") == (
        f"portwatch decode: {missing}: cannot read: No such file or directory"
    )
    result = portwatch("record", f"file://{missing}", "-o", str(tmp_path / "rec.nmea"))
    assert "cannot read: No such file or directory" in refused(result, "record")
    assert list(tmp_path.iterdir()) == []


def test_sources_check_of_a_log_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    result = portwatch("sources", "check", f"file://{tmp_path}/nope.nmea", "--seconds", "1")
    assert "cannot read: No such file or directory" in refused(result, "sources check")


def test_a_gzip_log_is_checked_like_a_plain_one(tmp_path: Path) -> None:
    packed = tmp_path / "harbour.nmea.gz"
    packed.write_bytes(gzip.compress(("\n".join(LOG_LINES) + "\n").encode()))
    before = snapshot(tmp_path)
    line = refused(portwatch("decode", str(packed), "-o", str(packed)), "decode")
    assert line == f"portwatch decode: will not write {packed}: it is the input {packed}"
    assert snapshot(tmp_path) == before


def test_port_from_enc_never_writes_over_a_cell_or_its_updates(tmp_path: Path) -> None:
    from tests.core.test_port_from_enc import CELL_FOLDER

    folder = tmp_path / "cells"
    shutil.copytree(CELL_FOLDER, folder)
    cell = folder / "US4MD81M.000"
    before = snapshot(tmp_path)
    for output in (cell, folder / "US4MD81M.002"):  # the cell, an update applied to it
        result = portwatch("port", "from-enc", str(cell), "--name", "Bay", "-o", str(output))
        line = refused(result, "port from-enc")
        assert line == f"portwatch port from-enc: will not write {output}: it is the input {output}"
    assert snapshot(tmp_path) == before

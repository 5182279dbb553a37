"""Recording: every raw line kept, stamped with receive time and source; a
recorded log decodes with the same sentences and the same times to the ms."""

from __future__ import annotations

import gzip
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from portwatch.decoders import StreamDecoder, open_log
from portwatch.recorder import LogWriter, tagged_line
from portwatch.sources.queue import ReceivedLine
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, tag_block, vdm

SENTENCES = [*vdm(EXAMPLE_POSITION), *vdm(EXAMPLE_STATIC, seq_id=4)]


def test_tag_block_added_or_completed() -> None:
    bare = tagged_line(ReceivedLine(1452468552.9384, SENTENCES[0].encode(), "tcp://north:10110"))
    assert bare == (tag_block("s:tcp://north:10110,c:1452468552938") + SENTENCES[0]).encode()
    own = tag_block("s:rORBCOMM008,g:1-2-1604") + SENTENCES[1]
    completed = tagged_line(ReceivedLine(1452468553.5, own.encode(), "udp://x:1"))
    assert (
        completed == (tag_block("s:rORBCOMM008,g:1-2-1604,c:1452468553500") + SENTENCES[1]).encode()
    )


def test_recorded_log_decodes_with_the_same_sentences_and_times(tmp_path: Path) -> None:
    received = [
        ReceivedLine(1452468552.123 + n * 0.25, sentence.encode(), "tcp://127.0.0.1:10110")
        for n, sentence in enumerate(SENTENCES)
    ]
    for compress in (False, True):
        writer = LogWriter(tmp_path / f"log-{compress}.nmea", compress=compress)
        for item in received:
            writer.write(item)
        writer.close()
        decoder = StreamDecoder(keep_raw=True)
        with open_log(writer.current_path(0)) as log:
            records = list(decoder.decode_lines(log))
        position, static = records
        assert position.time_s == 1452468552.123  # to the millisecond
        assert static.time_s == 1452468552.123 + 2 * 0.25  # the last fragment's
        assert [raw[raw.index("!") :] for r in records for raw in r.raw] == SENTENCES
        assert position.station == "tcp://127.0.0.1:10110"


def test_rotation_by_receive_time(tmp_path: Path) -> None:
    writer = LogWriter(tmp_path / "feed.nmea", rotate="hourly")
    for hour in (10, 10, 11):
        at_s = time.mktime((2016, 1, 10, hour, 30, 0, 0, 0, 0)) - time.timezone
        writer.write(ReceivedLine(at_s, SENTENCES[0].encode(), "-"))
    writer.close()
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["feed-20160110-10.nmea", "feed-20160110-11.nmea"]


def flushed_lines(log: Path) -> int:
    """Lines in the whole gzip members of a log still being written (0 mid-member)."""
    try:
        return gzip.decompress(log.read_bytes()).count(b"\n")
    except (OSError, EOFError):  # not there yet, or a member being written
        return 0


def test_record_command_until_sigterm_leaves_a_clean_gzip(tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    done = threading.Event()

    def serve() -> None:
        connection, _ = server.accept()
        connection.sendall(("\r\n".join(SENTENCES) + "\r\n").encode())
        done.wait(30)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    log = tmp_path / "feed.nmea"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portwatch",
            "record",
            f"tcp://127.0.0.1:{port}",
            "-o",
            str(log),
            "--gzip",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        packed = tmp_path / "feed.nmea.gz"
        # The three lines recorded and flushed whole (a gzip member per flush).
        assert wait_until(lambda: flushed_lines(packed) == len(SENTENCES), timeout_s=30)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        done.set()
        server.close()
    assert process.returncode == 0, stderr
    assert b"recorded 3 lines" in stderr
    lines = gzip.decompress(packed.read_bytes()).decode().splitlines()
    assert [line[line.index("!") :] for line in lines] == SENTENCES
    assert all(line.startswith(f"\\s:tcp://127.0.0.1:{port},c:") for line in lines)


def test_record_with_a_malformed_url_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "record", "tcp://nowhere", "-o", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_plain_log_cut_mid_line_gets_no_line_glued_to_it(tmp_path: Path) -> None:
    log = tmp_path / "feed.nmea"
    log.write_bytes(b"\\s:-,c:1452468552000*00\\!AIVDM,1,1,,A,cut sho")  # a killed recorder
    writer = LogWriter(log)
    writer.write(ReceivedLine(1452468553.0, SENTENCES[0].encode(), "-"))
    writer.close()
    lines = log.read_bytes().splitlines()
    assert lines[0].endswith(b"cut sho")
    assert lines[1].endswith(SENTENCES[0].encode())

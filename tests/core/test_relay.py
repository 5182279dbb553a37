"""The centre's relay on real loopback sockets: every client gets every line once,
a stalled client is dropped without holding up the others, a client joining
mid-stream starts on a whole line, only listed networks are served, and an
engine relays what it accepted (receivers' copies dropped) with tag blocks."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import pytest

from portwatch.centre.relay import RelayError, RelayServer, parse_relay_url, relayed_line
from portwatch.decoders.framing import has_valid_checksum, parse_tag_block
from portwatch.engine import Engine
from tests.core.fleet_input import START_S, position_line
from tests.core.test_tcp_source import listener, wait_until


def bare(mmsi: int, time_s: float) -> bytes:
    """A position report as a receiver sends it: no tag block, no time."""
    line = position_line(mmsi, time_s, 33.7, -118.3, 5.0, 90.0)
    return line[line.index("!") :].encode()


def sentences(count: int, first_mmsi: int = 366200000) -> list[bytes]:
    """``count`` distinct relayed lines: bare position reports given a tag block."""
    return [
        relayed_line(bare(first_mmsi + n, START_S + n), "tcp://receiver-1:4001", START_S + n + 0.25)
        for n in range(count)
    ]


class Client:
    """A workstation's end: connects, and reads everything in a thread of its own."""

    def __init__(self, address: tuple[str, int], read: bool = True, buffer: int = 0) -> None:
        self.sock = socket.socket()
        if buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        self.sock.connect(address)
        self.data = bytearray()
        self.closed = False
        if read:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return
            self.data += chunk

    def lines(self) -> list[bytes]:
        text = bytes(self.data)
        return [line + b"\r\n" for line in text.split(b"\r\n")[:-1]]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def relay():
    server = RelayServer("127.0.0.1", 0, max_backlog_bytes=256 * 1024)
    yield server
    server.close()


def test_three_clients_get_every_line_once(relay: RelayServer) -> None:
    clients = [Client(relay.address) for _ in range(3)]
    assert wait_until(lambda: relay.counters().clients == 3)
    lines = sentences(5_000)
    for line in lines:
        relay.publish(line)
    assert wait_until(lambda: all(len(c.lines()) >= len(lines) for c in clients))
    for client in clients:
        assert client.lines() == lines
        client.close()
    assert relay.counters().lines == len(lines)
    assert relay.counters().dropped == 0


def test_a_stalled_client_is_dropped_and_the_others_get_everything(relay: RelayServer) -> None:
    stalled = Client(relay.address, read=False, buffer=4096)
    readers = [Client(relay.address) for _ in range(2)]
    assert wait_until(lambda: relay.counters().clients == 3)
    lines = sentences(50_000)  # about 5 MB: far past the stalled client's buffers
    for first in range(0, len(lines), 500):  # at a busy feed's pace, 20,000 lines a second
        for line in lines[first : first + 500]:
            relay.publish(line)
        time.sleep(0.025)
    assert wait_until(lambda: relay.counters().dropped == 1)
    assert wait_until(lambda: all(len(c.lines()) >= len(lines) for c in readers))
    assert all(reader.lines() == lines for reader in readers)
    assert relay.counters().clients == 2
    vanished = Client(relay.address)  # comes and goes at once: the relay carries on
    vanished.close()
    relay.publish(lines[0])
    assert wait_until(lambda: all(len(c.lines()) == len(lines) + 1 for c in readers))
    stalled.close()


def test_a_client_joining_mid_stream_starts_on_a_whole_line(relay: RelayServer) -> None:
    lines = sentences(40_000)
    early = Client(relay.address)
    assert wait_until(lambda: relay.counters().clients == 1)
    stop = threading.Event()

    def feed() -> None:
        for line in lines:
            if stop.is_set():
                return
            relay.publish(line)
            time.sleep(0.00002)

    feeder = threading.Thread(target=feed)
    feeder.start()
    assert wait_until(lambda: len(early.lines()) > 2_000)
    late = Client(relay.address)
    feeder.join()
    assert wait_until(lambda: len(early.lines()) == len(lines))
    assert wait_until(lambda: late.lines() and late.lines()[-1] == lines[-1])
    got = late.lines()
    assert 0 < len(got) < len(lines)
    first = lines.index(got[0])  # a whole line, one of those published
    assert got == lines[first:], "from its first line on, every line in order"
    _, tags, sentence = got[0].split(b"\\")
    assert has_valid_checksum(tags)
    assert has_valid_checksum(sentence.strip()[1:])


def test_only_the_listed_networks_are_served() -> None:
    server = RelayServer("127.0.0.1", 0, allow=[ipaddress.ip_network("10.0.0.0/8")])
    try:
        refused = Client(server.address)
        assert wait_until(lambda: server.counters().refused == 1)
        assert wait_until(lambda: refused.closed)
        assert server.counters().clients == 0
    finally:
        server.close()


def test_relay_addresses() -> None:
    assert parse_relay_url("tcp://:10111") == ("127.0.0.1", 10111)
    assert parse_relay_url("tcp://0.0.0.0:10110") == ("0.0.0.0", 10110)
    with pytest.raises(RelayError, match="over TCP"):
        parse_relay_url("udp://0.0.0.0:10110")


def test_lines_keep_their_own_time_and_bare_ones_get_a_tag_block() -> None:
    sentence = bare(366200001, START_S)
    tagged = relayed_line(sentence, "tcp://rx,1:4001", START_S + 0.123)
    time_s, station, _ = parse_tag_block(tagged.split(b"\\")[1])
    assert time_s == pytest.approx(START_S + 0.123)
    assert station == "tcprx14001"
    assert tagged.endswith(sentence + b"\r\n")
    timed = position_line(366200001, START_S, 33.7, -118.3).encode()
    assert relayed_line(timed + b"\r\n", "x", START_S + 5) == timed + b"\r\n"


def test_an_engine_relays_each_accepted_line_once(relay: RelayServer) -> None:
    """Two receivers deliver the same sentence: the relay sends it once, with the
    tag block of the receiver heard first."""
    client = Client(relay.address)
    assert wait_until(lambda: relay.counters().clients == 1)
    receivers = [listener(), listener()]
    engine = Engine()
    engine.relay = lambda item: relay.publish(
        relayed_line(item.line, item.source, item.received_at_s)
    )
    try:
        for receiver in receivers:
            engine.add_source(f"tcp://127.0.0.1:{receiver.getsockname()[1]}")
        engine.start()
        connections = [receiver.accept()[0] for receiver in receivers]
        line = bare(366200002, START_S) + b"\r\n"
        connections[0].sendall(line)
        assert wait_until(lambda: len(client.lines()) == 1)
        connections[1].sendall(line)
        assert wait_until(lambda: sum(engine.duplicates.duplicates.values()) == 1)
        other = bare(366200003, START_S) + b"\r\n"
        connections[1].sendall(other)
        assert wait_until(lambda: len(client.lines()) == 2)
        first, second = client.lines()
        assert first.endswith(line)
        assert second.endswith(other)
        assert parse_tag_block(first.split(b"\\")[1])[0] is not None
        for connection in connections:
            connection.close()
    finally:
        engine.stop()
        for receiver in receivers:
            receiver.close()
        client.close()


def test_run_serves_the_relay_and_stops_cleanly(tmp_path) -> None:
    """``portwatch run SOURCE --db … --relay tcp://127.0.0.1:PORT``: a workstation
    connected to the relay gets each line the receiver sent, with a tag block."""
    import signal
    import subprocess
    import sys

    receiver = listener()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        relay_port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portwatch",
            "run",
            f"tcp://127.0.0.1:{receiver.getsockname()[1]}",
            "--db",
            str(tmp_path / "centre.sqlite"),
            "--relay",
            f"tcp://127.0.0.1:{relay_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        connection = receiver.accept()[0]
        client = None
        deadline = time.monotonic() + 20
        while client is None and time.monotonic() < deadline:
            try:
                client = Client(("127.0.0.1", relay_port))
            except ConnectionRefusedError:
                time.sleep(0.05)
        assert client is not None
        sent = []

        def send_another() -> bool:
            sent.append(bare(366200100 + len(sent), START_S) + b"\r\n")  # no copy of the last
            connection.sendall(sent[-1])
            return bool(client.lines())

        # Sent until the relay has the client (it looks for new ones a few times a second).
        assert wait_until(send_another)
        first = client.lines()[0]
        assert first.startswith(b"\\s:")
        assert any(first.endswith(sentence) for sentence in sent)
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        assert b"relay: serving tcp://127.0.0.1:" in process.stderr.read()
        connection.close()
    finally:
        if process.poll() is None:
            process.kill()
        receiver.close()


def test_a_workstation_on_the_relay_raises_the_centre_s_alerts_with_the_same_ids(tmp_path) -> None:
    """Bare lines (no time of their own) take the centre's receive time; relayed, they
    carry it in ``c:``, and the workstation's engine raises the same alert with the
    same id: what lets an acknowledgement made on one apply on the other."""
    from portwatch.port.plane import LocalPlane
    from tests.core.watch_scenario import REFERENCE, write_port

    port = write_port(tmp_path)
    lon, lat = LocalPlane(*REFERENCE).to_lonlat(2500.0, -2500.0)  # in the restricted zone
    relay = RelayServer("127.0.0.1", 0)
    receiver = listener()
    centre = Engine(port=port, clock_follows_receive_time=True)
    centre.relay = relay.tap
    workstation = Engine(port=port, clock_follows_receive_time=True)
    try:
        centre.add_source(f"tcp://127.0.0.1:{receiver.getsockname()[1]}")
        centre.start()
        connection = receiver.accept()[0]
        workstation.add_source(f"tcp://127.0.0.1:{relay.address[1]}")
        workstation.start()
        assert wait_until(lambda: relay.counters().clients == 1)

        def alert_ids(engine: Engine) -> list[int]:
            watch = engine.snapshot().watch
            return [a.id for a in watch.alerts if a.kind == "restricted_entry"] if watch else []

        for n in range(3):  # three ships, so that no line is a copy of another
            line = position_line(366200200 + n, START_S, float(lat), float(lon), 3.0, 45.0)
            connection.sendall(line[line.index("!") :].encode() + b"\r\n")
            time.sleep(0.0137)  # receive times with odd milliseconds
        assert wait_until(lambda: len(alert_ids(centre)) >= 1)
        assert wait_until(lambda: sorted(alert_ids(workstation)) == sorted(alert_ids(centre)))
        connection.close()
    finally:
        workstation.stop()
        centre.stop()
        relay.close()
        receiver.close()

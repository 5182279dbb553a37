"""UDP on loopback and serial on a real pseudo-terminal: lines arrive, an
unplugged receiver that comes back is picked up again by itself."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portwatch.sources.base import Backoff
from portwatch.sources.queue import LineQueue
from portwatch.sources.serial_port import SerialSource
from portwatch.sources.udp import RECEIVE_BUFFER_BYTES, UdpSource
from portwatch.sources.urls import parse_source_url
from tests.core.test_tcp_source import collect, wait_until

FAST = Backoff(first_s=0.05, max_s=0.2)
SENTENCES = [f"!AIVDM,1,1,,B,sentence {n},0*00".encode() for n in range(1, 5)]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_udp_datagrams_with_one_and_with_several_lines() -> None:
    port = free_udp_port()
    queue = LineQueue()
    source = UdpSource(parse_source_url(f"udp://127.0.0.1:{port}"), queue, backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state == "connected")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(SENTENCES[0] + b"\r\n", ("127.0.0.1", port))
            sender.sendto(b"\r\n".join(SENTENCES[1:]), ("127.0.0.1", port))  # no final newline
            assert collect(queue, len(SENTENCES)) == SENTENCES
    finally:
        source.stop()
    assert source.status().lines == len(SENTENCES)


_BURST = """
import socket, sys, time
sys.stdin.readline()  # go
time.sleep(0.2)  # the test holds the interpreter by now
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
    for n in range(4000):
        sender.sendto(b"!AIVDM,1,1,,A,burst %04d,0*00\\r\\n" % n, ("127.0.0.1", int(sys.argv[1])))
print("sent", flush=True)
"""


def test_a_udp_burst_waits_for_a_reader_held_up_for_a_second() -> None:
    """Two seconds of a busy feed arrive while the listener's thread cannot run (this
    thread keeps the interpreter): none is lost, the kernel keeps them for it."""
    limit = Path("/proc/sys/net/core/rmem_max")
    if limit.exists() and int(limit.read_text()) < RECEIVE_BUFFER_BYTES:
        pytest.skip(f"the kernel caps a socket's receive buffer at {limit.read_text().strip()} B")
    port = free_udp_port()
    queue = LineQueue(10_000)
    source = UdpSource(parse_source_url(f"udp://127.0.0.1:{port}"), queue, backoff=FAST)
    source.start()
    sender = subprocess.Popen(
        [sys.executable, "-c", _BURST, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    switch_s = sys.getswitchinterval()
    try:
        assert wait_until(lambda: source.status().state == "connected")
        sys.setswitchinterval(30.0)  # no other thread of this process runs until released
        try:
            assert sender.stdin is not None
            sender.stdin.write("go\n")
            sender.stdin.flush()
            held = time.monotonic() + 1.5
            while time.monotonic() < held:  # the source's thread waits for the interpreter
                pass
        finally:
            sys.setswitchinterval(switch_s)
        assert sender.stdout is not None
        assert sender.stdout.readline() == "sent\n"  # all of it went while held up
        assert len(collect(queue, 4000)) == 4000
    finally:
        sender.kill()
        sender.wait()
        source.stop()


def test_udp_port_in_use_is_retried_until_free() -> None:
    blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blocker.bind(("127.0.0.1", 0))
    port = blocker.getsockname()[1]
    source = UdpSource(parse_source_url(f"udp://127.0.0.1:{port}"), LineQueue(), backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state.startswith("retrying in"))
        assert "in use" in source.status().state
        blocker.close()
        assert wait_until(lambda: source.status().state == "connected")
    finally:
        source.stop()
        blocker.close()


class Receiver:
    """A pseudo-terminal standing in for a USB receiver, reachable by a fixed name."""

    def __init__(self, device: Path) -> None:
        self.device = device
        self.plug_in()

    def plug_in(self) -> None:
        self.master, self.slave = os.openpty()
        self.device.unlink(missing_ok=True)
        self.device.symlink_to(os.ttyname(self.slave))

    def send(self, *lines: bytes) -> None:
        os.write(self.master, b"".join(line + b"\r\n" for line in lines))

    def unplug(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):  # already unplugged
                os.close(fd)


def test_serial_receiver_unplugged_and_plugged_back(tmp_path: Path) -> None:
    receiver = Receiver(tmp_path / "ttyAIS")
    queue = LineQueue()
    url = parse_source_url(f"serial://{receiver.device}?baud=38400")
    source = SerialSource(url, queue, backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state == "connected")
        receiver.send(*SENTENCES[:2])
        assert collect(queue, 2) == SENTENCES[:2]
        receiver.unplug()
        assert wait_until(lambda: source.status().state.startswith("retrying in"))
        receiver.plug_in()
        assert wait_until(lambda: source.status().state == "connected")
        receiver.send(*SENTENCES[2:])
        assert collect(queue, 2) == SENTENCES[2:]
        assert source.status().reconnects >= 1
    finally:
        source.stop()
        receiver.unplug()


def test_udp_multicast_group_on_loopback() -> None:
    port = free_udp_port()
    queue = LineQueue()
    url = parse_source_url(f"udp://127.0.0.1:{port}?group=239.192.0.1")
    source = UdpSource(url, queue, backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state == "connected")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.setsockopt(
                socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1")
            )
            sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
            sender.sendto(SENTENCES[0] + b"\n", ("239.192.0.1", port))
            assert collect(queue, 1) == [SENTENCES[0]]
    finally:
        source.stop()

"""Serving simulated traffic live: each line sent when its data time comes (sped up
by ``speed``), over TCP to every client connected, or as UDP datagrams.

This is the one part of the simulator that reads the wall clock: pacing a live
feed is what it is for.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable

ACCEPT_POLL_S = 0.25


class TcpLineServer:
    """Listens on (host, port) and sends every line to every client connected; a
    client that cannot keep up or goes away is dropped, the others go on."""

    def __init__(self, host: str, port: int) -> None:
        self._listener = socket.create_server((host, port), reuse_port=False)
        self._listener.settimeout(ACCEPT_POLL_S)
        self.address = self._listener.getsockname()[:2]
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self.clients_served = 0
        self._thread = threading.Thread(target=self._accept, name="simulate server", daemon=True)
        self._thread.start()

    def send(self, data: bytes) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.sendall(data)
            except OSError:
                self._drop(client)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(2 * ACCEPT_POLL_S + 1)
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.close()
        self._listener.close()

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(5.0)  # a client stuck this long is dropped
            with self._lock:
                self._clients.append(client)
                self.clients_served += 1

    def _drop(self, client: socket.socket) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        with contextlib.suppress(OSError):
            client.close()


def udp_sender(host: str, port: int) -> tuple[Callable[[bytes], None], Callable[[], None]]:
    """A function sending one datagram per line to (host, port), and one closing it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(data: bytes) -> None:
        with contextlib.suppress(OSError):  # nobody listening is no error for UDP
            sock.sendto(data, (host, port))

    return send, sock.close


def pace(
    timed_lines: Iterable[tuple[float, str]],
    send: Callable[[bytes], None],
    speed: float,
    stop: threading.Event | None = None,
) -> int:
    """Send each (data time, line) when it is due, ``speed`` times faster than the data;
    returns the lines sent."""
    sent = 0
    started_wall = time.monotonic()
    started_data: float | None = None
    for data_time_s, line in timed_lines:
        if started_data is None:
            started_data = data_time_s
        due = started_wall + (data_time_s - started_data) / speed
        while (wait := due - time.monotonic()) > 0:
            if stop is not None and stop.wait(min(wait, 0.5)):
                return sent
            if stop is None:
                time.sleep(min(wait, 0.5))
        send((line + "\r\n").encode("ascii"))
        sent += 1
    return sent

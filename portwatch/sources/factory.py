"""From a source URL to a running source of the right kind."""

from __future__ import annotations

from portwatch.replay_clock import ReplayClock
from portwatch.sources.base import Backoff, StreamSource
from portwatch.sources.history_replay import HistoryReplaySource
from portwatch.sources.queue import LineQueue
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.serial_port import SerialSource
from portwatch.sources.simulated import SimulatedSource
from portwatch.sources.stdin import StdinSource
from portwatch.sources.tcp import TcpClientSource
from portwatch.sources.tcp_listen import TcpListenSource
from portwatch.sources.udp import UdpSource
from portwatch.sources.urls import SourceUrl, SourceUrlError

LIVE_KINDS = {
    "tcp": TcpClientSource,
    "tcp-listen": TcpListenSource,
    "udp": UdpSource,
    "serial": SerialSource,
    "stdin": StdinSource,
    "sim": SimulatedSource,
}


def open_source(
    url: SourceUrl,
    queue: LineQueue,
    backoff: Backoff | None = None,
    replay_clock: ReplayClock | None = None,
) -> StreamSource | FileReplaySource:
    """A source (not yet started) that reads ``url`` into ``queue``.

    A ``file://`` log is replayed as fast as possible: its lines keep their
    recorded times, which is what a consumer of the queue goes by; ``replay_clock``
    plays it at a speed instead (the app's timeline). ``backoff`` overrides the
    default, 1 s doubling to 30 s; how long a receiver may be silent is the
    URL's (``?silent=``).
    """
    if url.kind == "file":
        return FileReplaySource(url, queue, replay_clock or ReplayClock(speed=None))
    if url.kind == "history":
        return HistoryReplaySource(url, queue, replay_clock or ReplayClock(speed=None))
    kind = LIVE_KINDS.get(url.kind)
    if kind is None:
        raise SourceUrlError(f"{url.text!r}: {url.kind} sources are not available")
    return kind(url, queue, backoff)

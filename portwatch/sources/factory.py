"""From a source URL to a running source of the right kind."""

from __future__ import annotations

from portwatch.sources.base import Backoff, StreamSource
from portwatch.sources.queue import LineQueue
from portwatch.sources.serial_port import SerialSource
from portwatch.sources.tcp import TcpClientSource
from portwatch.sources.udp import UdpSource
from portwatch.sources.urls import SourceUrl, SourceUrlError

LIVE_KINDS = {"tcp": TcpClientSource, "udp": UdpSource, "serial": SerialSource}


def open_source(url: SourceUrl, queue: LineQueue, backoff: Backoff | None = None) -> StreamSource:
    """A source (not yet started) that reads ``url`` into ``queue``."""
    kind = LIVE_KINDS.get(url.kind)
    if kind is None:
        raise SourceUrlError(f"{url.text!r}: {url.kind} sources are not available yet")
    return kind(url, queue, backoff)

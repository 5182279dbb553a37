"""Source URLs: the same strings in the CLI, the UI and the settings.

``serial:///dev/ttyUSB0?baud=38400``, ``serial://COM3``, ``tcp://host:port``,
``tcp-listen://127.0.0.1:port``, ``udp://127.0.0.1:port?group=239.1.2.3``,
``file:///path/log.nmea.gz``, ``-`` for standard input,
``history:///path/history.sqlite?from=2024-03-12T08:00Z&to=2024-03-12T12:00Z``
(a replay of the history database over a time range), and
``sim://demo?seed=1&speed=1&scenario=anchor-drag@15`` (or ``sim:///path/port.geojson``)
for the traffic simulator on a port, live. A listener without a
host binds to 127.0.0.1: listening on every interface is the user's explicit
choice (``0.0.0.0``). Every receiver's URL takes ``?silent=SECONDS``: how long
without a line before the source says it is silent (default 60; a feed that is
quiet by nature, such as a receiver in a small port at night, wants more).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from portwatch.decoders.errors import PortwatchError
from portwatch.decoders.jsonl import iso_utc
from portwatch.times import TimeFormatError, parse_time

DEFAULT_BAUD = 38400
DEFAULT_SILENT_AFTER_S = 60.0
"""A receiver without a line for this long is shown as silent (``?silent=`` changes it)."""
MAX_SILENT_AFTER_S = 86400.0
LOOPBACK = "127.0.0.1"
ACCEPTED_FORMS = (
    "serial:///dev/ttyUSB0?baud=38400, serial://COM3?baud=38400, tcp://HOST:PORT, "
    "tcp-listen://127.0.0.1:PORT, udp://127.0.0.1:PORT[?group=239.x.x.x] "
    "(each of these also takes silent=SECONDS), "
    "file:///path/log.nmea[.gz], - (standard input), "
    "history:///path/history.sqlite[?from=TIME&to=TIME] (replay of history), "
    "sim://demo[?seed=N&speed=X&scenario=KIND@MIN] or sim:///path/port.geojson (simulator)"
)
KINDS = ("serial", "tcp", "tcp-listen", "udp", "file", "stdin", "sim", "history")
REPLAY_KINDS = frozenset({"file", "history"})
"""Sources that play recorded data on a replay clock."""
DEMO_PORT_NAME = "demo"
"""``sim://demo``: the simulator on the bundled demo port."""
MAX_SIM_SPEED = 100.0


Number = TypeVar("Number", int, float)


class SourceUrlError(PortwatchError):
    """A source URL that cannot be used; the message names the accepted forms."""


@dataclass(frozen=True, slots=True)
class SourceUrl:
    """A parsed source URL."""

    text: str
    """The URL as given: the source's name in counters, logs and recordings."""
    kind: str
    """One of ``KINDS``."""
    host: str | None = None
    port: int | None = None
    path: str | None = None
    """Device (serial) or file path (file, history)."""
    baud: int | None = None
    group: str | None = None
    """IPv4 multicast group a UDP listener joins."""
    silent_after_s: float = DEFAULT_SILENT_AFTER_S
    """A receiver (serial, TCP, UDP, standard input) without a line for this long
    says ``silent for N s``; a TCP client also connects again."""
    seed: int = 1
    """Simulator: the seed of its traffic."""
    speed: float = 1.0
    """Simulator: how many times faster than real time it runs."""
    scenarios: tuple[str, ...] = ()
    """Simulator: situations to inject (``KIND`` or ``KIND@MINUTES``)."""
    since_s: float | None = None
    """History replay: where it starts (None: the first data in history)."""
    until_s: float | None = None
    """History replay: where it ends (None: the last)."""


def parse_source_url(text: str) -> SourceUrl:
    """Parse ``text``; raises ``SourceUrlError`` saying what is wrong and what is accepted."""
    text = text.strip()
    if text == "-":
        return SourceUrl(text, "stdin")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    query = parse_qs(parts.query)
    if scheme == "serial":
        device = parts.path if parts.path and parts.path != "/" else parts.netloc
        if parts.netloc and parts.path and parts.path != "/":
            device = parts.netloc + parts.path  # serial://dev/ttyUSB0 written without ///
        if not device:
            _fail(text, "no serial device")
        _refuse_unknown(text, query, ("baud", "silent"))
        return SourceUrl(
            text,
            "serial",
            path=device,
            baud=_baud(text, query),
            silent_after_s=_silent_after_s(text, query),
        )
    if scheme in ("tcp", "tcp-listen", "udp"):
        try:
            port = parts.port
        except ValueError:
            _fail(text, "the port must be a number from 1 to 65535")
        if not port:
            _fail(text, "no port")
        host = parts.hostname
        if scheme == "tcp" and not host:
            _fail(text, "no host to connect to")
        _refuse_unknown(text, query, ("group", "silent") if scheme == "udp" else ("silent",))
        group = _group(text, query) if scheme == "udp" else None
        return SourceUrl(
            text,
            scheme,
            host=host or LOOPBACK,
            port=port,
            group=group,
            silent_after_s=_silent_after_s(text, query),
        )
    if scheme == "file":
        path = unquote(parts.netloc + parts.path)
        if not path:
            _fail(text, "no file path")
        return SourceUrl(text, "file", path=path)
    if scheme == "sim":
        path = parts.netloc + parts.path
        if not path:
            _fail(text, "no port: sim://demo or sim:///path/port.geojson")
        unknown = sorted(set(query) - {"seed", "speed", "scenario"})
        if unknown:
            _fail(
                text, f"unknown setting {unknown[0]!r} (the simulator takes seed, speed, scenario)"
            )
        return SourceUrl(
            text,
            "sim",
            path=None if path == DEMO_PORT_NAME else unquote(path),
            seed=_number(text, query, "seed", int, 1, -1, 2**31 - 1),
            speed=_number(text, query, "speed", float, 1.0, 0.0, MAX_SIM_SPEED),
            scenarios=tuple(query.get("scenario", ())),
        )
    if scheme == "history":
        path = unquote(parts.netloc + parts.path)
        if not path:
            _fail(text, "no history database path")
        query = parse_qs(parts.query.replace("+", "%2B"))  # a time zone's '+' stays a '+'
        unknown = sorted(set(query) - {"from", "to"})
        if unknown:
            _fail(text, f"unknown setting {unknown[0]!r} (a history replay takes from, to)")
        since_s, until_s = _time(text, query, "from"), _time(text, query, "to")
        if since_s is not None and until_s is not None and until_s < since_s:
            _fail(text, "'to' is before 'from'")
        return SourceUrl(text, "history", path=path, since_s=since_s, until_s=until_s)
    _fail(text, f"unknown kind of source {scheme or text!r}")
    raise AssertionError("unreachable")


def _baud(text: str, query: dict[str, list[str]]) -> int:
    values = query.get("baud", [str(DEFAULT_BAUD)])
    try:
        baud = int(values[-1])
    except ValueError:
        baud = 0
    if baud <= 0:
        _fail(text, "the baud rate must be a positive whole number")
    return baud


def _refuse_unknown(text: str, query: dict[str, list[str]], known: tuple[str, ...]) -> None:
    """A misspelt setting is refused rather than silently ignored."""
    unknown = sorted(set(query) - set(known))
    if unknown:
        _fail(text, f"unknown setting {unknown[0]!r} (this source takes {', '.join(known)})")


def _silent_after_s(text: str, query: dict[str, list[str]]) -> float:
    return _number(text, query, "silent", float, DEFAULT_SILENT_AFTER_S, 0.0, MAX_SILENT_AFTER_S)


def _number(
    text: str,
    query: dict[str, list[str]],
    name: str,
    kind: Callable[[str], Number],
    default: Number,
    low: float,
    high: float,
) -> Number:
    """The query parameter ``name`` as ``kind``, above ``low`` and at most ``high``."""
    values = query.get(name)
    if not values:
        return default
    try:
        value = kind(values[-1])
    except ValueError:
        value = None
    if value is None or not low < value <= high:  # NaN fails both comparisons
        _fail(text, f"{name} must be a number above {low:g} and at most {high:g}")
    return value


def _time(text: str, query: dict[str, list[str]], key: str) -> float | None:
    values = query.get(key)
    if not values:
        return None
    try:
        return parse_time(values[-1])
    except TimeFormatError as error:
        _fail(text, f"{key}: {error}")
        raise AssertionError("unreachable") from None


def history_url(path: str, since_s: float | None = None, until_s: float | None = None) -> str:
    """The ``history://`` URL replaying the database at ``path`` over a time range."""
    query = "&".join(
        f"{key}={iso_utc(value)}"
        for key, value in (("from", since_s), ("to", until_s))
        if value is not None
    )
    url = f"history://{quote(str(Path(path).resolve()))}"
    return f"{url}?{query}" if query else url


def simulator_url(
    port: str | None = None, seed: int = 1, speed: float = 1.0, scenarios: Sequence[str] = ()
) -> str:
    """The ``sim://`` URL of the simulator on the port file ``port`` (the demo port
    when None)."""
    query = urlencode(
        [("seed", seed), ("speed", f"{speed:g}"), *(("scenario", s) for s in scenarios)]
    )
    where = DEMO_PORT_NAME if port is None else quote(str(Path(port).resolve()))
    return f"sim://{where}?{query}"


def _group(text: str, query: dict[str, list[str]]) -> str | None:
    values = query.get("group")
    if not values:
        return None
    try:
        address = ipaddress.IPv4Address(values[-1])
    except ValueError:
        address = None
    if address is None or not address.is_multicast:
        _fail(text, "group must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255)")
    return str(address)


def _fail(text: str, problem: str) -> None:
    raise SourceUrlError(f"{text!r}: {problem}; accepted forms: {ACCEPTED_FORMS}")

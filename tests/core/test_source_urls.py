"""Source URLs as operators type them, and one-line errors that show what is accepted."""

from __future__ import annotations

import pytest

from portwatch.sources.urls import ACCEPTED_FORMS, SourceUrl, SourceUrlError, parse_source_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "serial:///dev/ttyUSB0?baud=38400",
            SourceUrl(
                "serial:///dev/ttyUSB0?baud=38400", "serial", path="/dev/ttyUSB0", baud=38400
            ),
        ),
        (
            "serial:///dev/ttyS1",
            SourceUrl("serial:///dev/ttyS1", "serial", path="/dev/ttyS1", baud=38400),
        ),
        (
            "serial://COM3?baud=4800",
            SourceUrl("serial://COM3?baud=4800", "serial", path="COM3", baud=4800),
        ),
        (
            "tcp://ais.example.org:10110",
            SourceUrl("tcp://ais.example.org:10110", "tcp", host="ais.example.org", port=10110),
        ),
        (
            "tcp-listen://:10110",
            SourceUrl("tcp-listen://:10110", "tcp-listen", host="127.0.0.1", port=10110),
        ),
        (
            "udp://0.0.0.0:10110",
            SourceUrl("udp://0.0.0.0:10110", "udp", host="0.0.0.0", port=10110),
        ),
        (
            "udp://127.0.0.1:10110?group=239.192.0.1",
            SourceUrl(
                "udp://127.0.0.1:10110?group=239.192.0.1",
                "udp",
                host="127.0.0.1",
                port=10110,
                group="239.192.0.1",
            ),
        ),
        (
            "file:///var/log/ais/today.nmea.gz",
            SourceUrl(
                "file:///var/log/ais/today.nmea.gz", "file", path="/var/log/ais/today.nmea.gz"
            ),
        ),
        ("-", SourceUrl("-", "stdin")),
        (
            "tcp://sat.example.org:10110?silent=600",
            SourceUrl(
                "tcp://sat.example.org:10110?silent=600",
                "tcp",
                host="sat.example.org",
                port=10110,
                silent_after_s=600.0,
            ),
        ),
        (
            "udp://127.0.0.1:10110?group=239.192.0.1&silent=0.5",
            SourceUrl(
                "udp://127.0.0.1:10110?group=239.192.0.1&silent=0.5",
                "udp",
                host="127.0.0.1",
                port=10110,
                group="239.192.0.1",
                silent_after_s=0.5,
            ),
        ),
        (
            "serial://COM3?silent=300",
            SourceUrl(
                "serial://COM3?silent=300", "serial", path="COM3", baud=38400, silent_after_s=300.0
            ),
        ),
    ],
)
def test_accepted_forms(text: str, expected: SourceUrl) -> None:
    assert parse_source_url(text) == expected


def test_a_receiver_is_silent_after_a_minute_unless_the_url_says_otherwise() -> None:
    for text in ("tcp://host:1", "tcp-listen://:1", "udp://:1", "serial://COM3", "-"):
        assert parse_source_url(text).silent_after_s == 60.0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tcp://:10110", "no host"),
        ("tcp://host", "no port"),
        ("tcp://host:99999", "port must be a number"),
        ("udp://127.0.0.1:10110?group=10.0.0.1", "multicast"),
        ("serial://", "no serial device"),
        ("serial:///dev/ttyUSB0?baud=fast", "baud rate"),
        ("tcp://host:10110?silent=0", "silent must be a number above 0"),
        ("tcp-listen://:10110?silent=soon", "silent must be a number above 0"),
        ("udp://127.0.0.1:10110?silence=60", "unknown setting 'silence'"),
        ("serial://COM3?bauds=4800", "unknown setting 'bauds'"),
        ("http://example.org", "unknown kind"),
        ("/dev/ttyUSB0", "unknown kind"),
    ],
)
def test_malformed_urls_say_what_is_wrong_and_what_is_accepted(text: str, problem: str) -> None:
    with pytest.raises(SourceUrlError) as caught:
        parse_source_url(text)
    message = str(caught.value)
    assert problem in message
    assert ACCEPTED_FORMS in message
    assert "\n" not in message

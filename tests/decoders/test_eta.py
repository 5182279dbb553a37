"""The ETA a ship reports has no year: it is resolved against the message time."""

from __future__ import annotations

import calendar

import pytest

from portwatch.decoders.eta import resolve_reported_eta


@pytest.mark.parametrize(
    ("eta", "sent", "expected"),
    [
        ((1, 11, 6, 30), (2016, 1, 10, 23, 31, 2), (2016, 1, 11, 6, 30)),  # tomorrow
        ((1, 2, 8, 0), (2016, 12, 30, 12, 0, 0), (2017, 1, 2, 8, 0)),  # next year
        ((12, 28, 8, 0), (2017, 1, 3, 12, 0, 0), (2016, 12, 28, 8, 0)),  # stale, last year
        ((2, 29, 12, 0), (2016, 2, 1, 0, 0, 0), (2016, 2, 29, 12, 0)),  # leap day
    ],
)
def test_year_is_the_one_nearest_the_message(
    eta: tuple[int, int, int, int], sent: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    assert resolve_reported_eta(*eta, float(calendar.timegm(sent))) == float(
        calendar.timegm((*expected, 0))
    )


@pytest.mark.parametrize(
    "eta",
    [
        (0, 11, 6, 30),  # month not available
        (1, 0, 6, 30),  # day not available
        (1, 11, 24, 30),  # hour not available
        (1, 11, 6, 60),  # minute not available
        (2, 30, 6, 0),  # no such date
        (2, 29, 6, 0),  # no 29 February within half a year of the message
    ],
)
def test_unknown_or_impossible_etas_are_none(eta: tuple[int, int, int, int]) -> None:
    assert resolve_reported_eta(*eta, float(calendar.timegm((2019, 1, 10, 0, 0, 0)))) is None


def test_no_message_time_no_eta() -> None:
    assert resolve_reported_eta(1, 11, 6, 30, None) is None

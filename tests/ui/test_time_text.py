"""Times on the panels, the printout and the map read one way only: the day, the
month by name and the time, UTC; never "12/03", which is the 3rd of December to
half of the pilots who read it."""

from __future__ import annotations

from datetime import UTC, datetime

from portwatch.ui.time_text import day_time, day_time_year, time_of_day


def at(*fields: int) -> float:
    return datetime(*fields, tzinfo=UTC).timestamp()


def test_the_day_and_month_by_name_whatever_the_order_a_reader_expects() -> None:
    assert day_time(at(2024, 3, 12, 1, 15, 42)) == "12 Mar 01:15"
    assert day_time(at(2024, 12, 3, 1, 15, 42)) == "03 Dec 01:15"
    assert day_time(at(2024, 3, 12, 1, 15, 42), seconds=True) == "12 Mar 01:15:42"
    assert day_time(at(2024, 3, 12, 23, 59, 59) + 0.9) == "12 Mar 23:59"  # never rounded up
    assert day_time(None) == ""
    assert day_time_year(at(2024, 3, 12, 1, 15)) == "12 Mar 2024 01:15"


def test_a_map_label_names_the_day_only_when_it_is_not_the_data_clocks() -> None:
    now_s = at(2024, 3, 12, 22, 0)
    assert time_of_day(at(2024, 3, 12, 23, 30), now_s) == "23:30Z"
    assert time_of_day(at(2024, 3, 13, 0, 30), now_s) == "13 Mar 00:30Z"
    assert time_of_day(at(2024, 3, 13, 0, 30), None) == "13 Mar 00:30Z"

"""The status bar's position text: degrees and decimal minutes as on a chart,
rounded without ever showing 60 minutes."""

from __future__ import annotations

import pytest

from portwatch.ui.status_panel import degrees_minutes


@pytest.mark.parametrize(
    ("value", "hemispheres", "text"),
    [
        (33.7123, "NS", "33°42.738'N"),
        (-118.25, "EW", "118°15.000'W"),
        (33.99999999, "NS", "34°00.000'N"),  # rounds up into the next degree
        (-0.0000001, "NS", "0°00.000'S"),
        (0.0, "EW", "0°00.000'E"),
    ],
)
def test_degrees_and_decimal_minutes(value: float, hemispheres: str, text: str) -> None:
    assert degrees_minutes(value, hemispheres[0], hemispheres[1]) == text

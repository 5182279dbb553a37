"""Times as the panels, the printout and the map show them: UTC, the day with the
month's name ("12 Mar 01:15"), which nobody reads as the 3rd of December, as
"12/03" is by half the world's pilots. Files keep ISO 8601 (the core writes them).

Month names are English whatever the desktop's language: a plan handed from one
workstation or ship to another must read the same on both."""

from __future__ import annotations

import time

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_time(time_s: float | None, seconds: bool = False) -> str:
    """``12 Mar 01:15`` (``12 Mar 01:15:07`` with ``seconds``), UTC; "" for no time."""
    if time_s is None:
        return ""
    moment = time.gmtime(int(time_s // 1))
    clock = f"{moment.tm_hour:02d}:{moment.tm_min:02d}"
    if seconds:
        clock += f":{moment.tm_sec:02d}"
    return f"{moment.tm_mday:02d} {MONTHS[moment.tm_mon - 1]} {clock}"


def day_time_year(time_s: float) -> str:
    """``12 Mar 2024 01:15``, UTC: when a plan was made, on its head."""
    moment = time.gmtime(int(time_s // 1))
    return f"{moment.tm_mday:02d} {MONTHS[moment.tm_mon - 1]} {moment.tm_year} " + (
        f"{moment.tm_hour:02d}:{moment.tm_min:02d}"
    )


def time_of_day(time_s: float, now_s: float | None) -> str:
    """``01:15Z`` on the data clock's day, ``13 Mar 01:15Z`` on another: short
    enough for a label on the map, never a time that could be tomorrow's."""
    same_day = (
        now_s is not None and time.gmtime(int(time_s // 1))[:3] == time.gmtime(int(now_s // 1))[:3]
    )
    text = day_time(time_s)
    return (text[7:] if same_day else text) + "Z"

"""Whether a source's lines are AIS at all, as its state says it.

A source only moves lines; a file of GPS sentences, a web page or a receiver set
to another output format still reads as connected at ten lines a second. The
engine, which decodes every line, knows better and says it in the source's state
(``no AIS in N lines``, amber wherever states are shown), until the first AIS
sentence comes.
"""

from __future__ import annotations

from dataclasses import replace

from portwatch.decoders.stats import DecodeStats
from portwatch.sources.base import SourceStatus

NO_AIS_AFTER_LINES = 10
"""Lines read without one AIS sentence before a source is said to carry none (a
receiver may send a few other sentences first); a log that ends sooner is judged
at its end."""
_READING = ("connected", "playing", "paused", "finished")
"""States of a source that reads lines: only these can turn out to carry no AIS."""


def with_content(status: SourceStatus, stats: DecodeStats | None) -> SourceStatus:
    """``status``, or ``no AIS in N lines`` when the source reads lines and none of
    those decoded so far (``stats``, its decoder's) was an AIS sentence."""
    if stats is None or stats.sentences or not stats.lines or status.state not in _READING:
        return status
    if stats.lines < NO_AIS_AFTER_LINES and status.state != "finished":
        return status
    return replace(status, state=f"no AIS in {stats.lines:,} lines")

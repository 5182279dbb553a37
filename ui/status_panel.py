"""The status bar: what an operator checks at a glance all shift long. Data time,
message rate (its tooltip: what was decoded, and every kind of line or message
that could not be used), vessels, each source's state (green connected, amber
connecting, listening, silent or retrying, red failed), the history database,
and the cursor's position in degrees and decimal minutes as charts give it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from portwatch.decoders.jsonl import iso_utc
from portwatch.display_text import plain
from portwatch.snapshot import EngineCounters, EngineSnapshot
from portwatch.ui.tooltips import plain_tooltip

GREEN, AMBER, RED = "#3cb44b", "#e0a000", "#e03c31"


def source_colour(state: str) -> str:
    if state in ("connected", "playing", "finished"):
        return GREEN
    if state.startswith("failed") or state == "stopped":
        return RED
    return AMBER


def degrees_minutes(value: float, positive: str, negative: str) -> str:
    """``33.7123`` → ``33°42.738'N``."""
    hemisphere = positive if value >= 0 else negative
    # Rounded as shown before splitting: 33.99999999 is 34°00.000', never 33°60.000'.
    thousandths = round(abs(value) * 60_000)
    degrees, rest = divmod(thousandths, 60_000)
    return f"{degrees}°{rest / 1000:06.3f}'{hemisphere}"


def counter_lines(counters: EngineCounters) -> list[str]:
    """The rate's tooltip: what came in, and every kind of failure, zeros too, so
    that a receiver sending what PortWatch cannot use is seen at once."""
    lines = [
        f"{counters.lines:,} lines, {counters.messages:,} messages",
        f"decode failures {counters.decode_failures:,}:",
    ]
    for kind, count in counters.decode_failures_by_kind.items():
        mark = " (a defect of PortWatch's: please report it)" if kind == "defects" and count else ""
        lines.append(f"· {kind.replace('_', ' ')} {count:,}{mark}")
    lines += [
        f"receivers' copies: {counters.duplicate_lines:,} lines, "
        f"{counters.duplicate_fixes:,} fixes",
        f"fixes rejected {counters.fixes_rejected:,}, late {counters.late_fixes:,}",
        f"messages without a time {counters.untimed:,}, "
        f"with a far-future time {counters.bad_times:,}",
        f"lines dropped (engine behind) {counters.queue_dropped:,}",
    ]
    return lines


class StatusPanel:
    """The labels of the main window's status bar, refreshed from a snapshot."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.data_time = QLabel("data -")
        self.rate = QLabel("0 msg/s")
        self.vessels = QLabel("vessels 0")
        self.sources = QLabel("no sources")
        self.history = QLabel("")
        self.cursor = QLabel("")
        self.note = QLabel("")
        self._clock_note: str | None = None
        for label in (
            self.data_time,
            self.rate,
            self.vessels,
            self.sources,
            self.history,
            self.cursor,
            self.note,
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.sources.setTextFormat(Qt.TextFormat.RichText)  # our markup, names escaped
        bar.addWidget(self.note, 1)
        for label in (
            self.sources,
            self.data_time,
            self.rate,
            self.vessels,
            self.history,
            self.cursor,
        ):
            bar.addPermanentWidget(label)

    def show(self, snapshot: EngineSnapshot) -> None:
        self.data_time.setText(f"data {iso_utc(snapshot.data_time_s) or '-'}")
        clock_note = snapshot.clock_note
        if clock_note != self._clock_note:
            if clock_note is not None:
                self.note.setText(clock_note)  # said once; the tooltip keeps it
            self.data_time.setToolTip(clock_note or "")
            self._clock_note = clock_note
        self.rate.setText(f"{snapshot.counters.messages_per_s:.0f} msg/s")
        self.rate.setToolTip(plain_tooltip(counter_lines(snapshot.counters)))
        self.vessels.setText(f"vessels {snapshot.active} active, {snapshot.lost} lost")
        if snapshot.sources:
            self.sources.setText(
                " ".join(
                    f"<span style='color:{source_colour(s.state)}'>●</span> "
                    f"{escape(plain(s.name))} {s.lines_per_s:.0f}/s"
                    for s in snapshot.sources
                )
            )
            self.sources.setToolTip(
                plain_tooltip([f"{s.name}: {s.state}" for s in snapshot.sources])
            )
        else:
            self.sources.setText("no sources")
        history = snapshot.history
        self.history.setText("" if history is None else f"history {history.state}")
        if snapshot.error is not None:
            self.note.setText(f"ENGINE STOPPED: {snapshot.error}")

    def show_cursor(self, lon: float, lat: float) -> None:
        self.cursor.setText(f"{degrees_minutes(lat, 'N', 'S')} {degrees_minutes(lon, 'E', 'W')}")

"""The status bar: what an operator checks at a glance all shift long. Data time,
message rate (its tooltip: what was decoded, and every kind of line or message
that could not be used), vessels, each source's state (green connected, amber
connecting, listening, silent or retrying, red failed), the history database,
and the cursor's position in degrees and decimal minutes as charts give it.

However narrow the window, the sources' states and the message rate are shown
whole: the other texts give up their room first, least important first (the
cursor's position, then the history while it is well, the vessels, the note, the
data time), each cut with an ellipsis and whole in its tooltip."""

from __future__ import annotations

from functools import cached_property
from html import escape

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStatusBar

from portwatch.decoders.jsonl import iso_utc
from portwatch.display_text import plain
from portwatch.snapshot import EngineCounters, EngineSnapshot
from portwatch.ui.time_text import day_time
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


SOURCE_NAME_CHARS = 28
"""A source's name in the status bar is cut in the middle beyond this (its tooltip
has it whole): a long URL must not push the rate out of the window."""


class ElidedLabel(QLabel):
    """A plain-text label that, given less room than its text needs, shows it cut
    with an ellipsis rather than clipped; ``text()`` is always the whole text."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            min(hint.width(), self.fontMetrics().horizontalAdvance("…") + 2), hint.height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.text()
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.width())
        if shown == text:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), int(self.alignment()), shown)

    def is_cut(self) -> bool:
        """Whether the text is shown cut (the tests read it)."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.width()


def short_name(name: str) -> str:
    """``tcp://ais.example.org:…/feed`` for a long source name: cut in the middle,
    where a URL's host and path end stay readable."""
    if len(name) <= SOURCE_NAME_CHARS:
        return name
    keep = SOURCE_NAME_CHARS - 1
    return name[: keep - keep // 3] + "…" + name[len(name) - keep // 3 :]


class StatusPanel:
    """The labels of the main window's status bar, refreshed from a snapshot."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.data_time = ElidedLabel("data -")
        self.rate = QLabel("0 msg/s")
        self.vessels = ElidedLabel("vessels 0")
        self.sources = QLabel("no sources")
        self.history = ElidedLabel("")
        self.cursor = ElidedLabel("")
        self.note = ElidedLabel("")
        self._clock_note: str | None = None
        self._data_time_iso = ""
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
        bar.installEventFilter(self._fitter)

    @cached_property
    def _fitter(self) -> QObject:
        """Fits the labels again whenever the bar is resized."""
        panel = self

        class Fitter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Resize:
                    panel.fit()
                return False

        return Fitter(self.bar)

    def fit(self) -> None:
        """Share the bar's width: the sources and the rate whole, then the others,
        most important first, each up to what its text needs; the note takes what is
        left (and at least a sixth of the bar when it has something to say)."""
        layout = self.bar.layout()
        spacing = max(0, layout.spacing() if layout is not None else 6) + 6
        grip = 0 if not self.bar.isSizeGripEnabled() else 16
        left = self.bar.width() - grip - 8
        left -= sum(label.sizeHint().width() + spacing for label in (self.sources, self.rate))
        note_wanted = self.note.sizeHint().width() if self.note.text() else 0
        note_reserved = min(note_wanted, self.bar.width() // 6)
        history_well = self.history.text() in ("", "history ok")
        ranked = [] if history_well else [self.history]
        ranked += [self.data_time, self.vessels]
        ranked += [self.history] if history_well else []
        ranked += [self.cursor]
        left -= note_reserved
        for label in ranked:
            wanted = label.sizeHint().width() if label.text() else 0
            given = max(0, min(wanted, left))
            label.setMaximumWidth(given)
            label.setVisible(given > 0 or not label.text())
            left -= given + spacing if given else 0
        self.note.setMinimumWidth(note_reserved)
        if layout is not None:
            layout.activate()  # now, not when Qt next lays out: a grab shows it so

    def show(self, snapshot: EngineSnapshot) -> None:
        data_time = "-" if snapshot.data_time_s is None else day_time(snapshot.data_time_s, True)
        self.data_time.setText(f"data {data_time}" + ("Z" if snapshot.data_time_s else ""))
        clock_note = snapshot.clock_note
        iso = iso_utc(snapshot.data_time_s) or "-"
        if clock_note != self._clock_note or iso != self._data_time_iso:
            if clock_note != self._clock_note and clock_note is not None:
                self.note.setText(clock_note)  # said once; the tooltip keeps it
            said = [f"data time {iso}", *([clock_note] if clock_note else [])]
            self.data_time.setToolTip(plain_tooltip(said))
            self._clock_note, self._data_time_iso = clock_note, iso
        self.rate.setText(f"{snapshot.counters.messages_per_s:.0f} msg/s")
        self.rate.setToolTip(plain_tooltip(counter_lines(snapshot.counters)))
        self.vessels.setText(f"vessels {snapshot.active}, {snapshot.lost} lost")
        self.vessels.setToolTip(
            f"{self.vessels.text()}: {snapshot.active} active, {snapshot.lost} lost"
        )
        if snapshot.sources:
            self.sources.setText(
                " ".join(
                    f"<span style='color:{source_colour(s.state)}'>●</span> "
                    f"{escape(plain(short_name(s.name)))} {s.lines_per_s:.0f}/s"
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
        self.history.setToolTip(_tooltip(self.history.text()))
        if snapshot.error is not None:
            self.note.setText(f"ENGINE STOPPED: {snapshot.error}")
        self.note.setToolTip(_tooltip(self.note.text()))
        self.fit()

    def show_cursor(self, lon: float, lat: float) -> None:
        self.cursor.setText(f"{degrees_minutes(lat, 'N', 'S')} {degrees_minutes(lon, 'E', 'W')}")
        self.cursor.setToolTip(self.cursor.text())
        self.fit()


def _tooltip(text: str) -> str:
    """A cut label's tooltip: its whole text, as plain text (it may name a file)."""
    return plain_tooltip([text]) if text else ""

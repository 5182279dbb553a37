"""A source whose lines are not AIS says so: ``no AIS in N lines`` in its state
(amber wherever states are shown), from the engine, which decodes every line; the
first AIS sentence ends it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from portwatch.decoders.stats import DecodeStats
from portwatch.engine import Engine
from portwatch.replay_clock import ReplayClock
from portwatch.sources.base import SourceStatus
from portwatch.sources.content import NO_AIS_AFTER_LINES, with_content
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, nmea, vdm

GPS = nmea("GPRMC,184353.07,A,1929.045,S,02410.506,E,0.0,0.0,100125,,")


def replay_says(path: Path, expected: str) -> str:
    """Replay ``path`` as fast as it goes; the state the engine gives the source
    once the engine has decoded it all (``expected``, or the last one seen)."""
    engine = Engine()
    engine.add_source(f"file://{path}", replay_clock=ReplayClock(speed=None))
    engine.start()
    try:
        wait_until(lambda: engine.snapshot().sources[0].state == expected, 10)
        return engine.snapshot().sources[0].state
    finally:
        engine.close()


def test_a_json_export_is_not_ais(shared_data: Path) -> None:
    """gpsd's decoding of its sample sentences as JSON (gpsdecode's output): 97 lines
    about AIS messages, none of them AIS, as a file opened by mistake would be."""
    decoded = shared_data / "gpsd" / "sample.aivdm.js.chk"
    assert replay_says(decoded, "no AIS in 97 lines") == "no AIS in 97 lines"


def test_gps_sentences_are_not_ais_and_one_ais_sentence_ends_it(tmp_path: Path) -> None:
    gps_only = tmp_path / "gps.nmea"
    gps_only.write_text(f"{GPS}\n" * 30)
    assert replay_says(gps_only, "no AIS in 30 lines") == "no AIS in 30 lines"
    mixed = tmp_path / "mixed.nmea"
    mixed.write_text(f"{GPS}\n" * 30 + f"{vdm(EXAMPLE_POSITION)[0]}\n")
    assert replay_says(mixed, "finished") == "finished"


def test_a_few_other_lines_first_are_not_yet_a_verdict() -> None:
    """A receiver may send a few other sentences before its first AIS: a live
    source is judged after ``NO_AIS_AFTER_LINES``; a log that ended, at its end."""
    status = SourceStatus(
        name="tcp://10.0.0.5:10110",
        state="connected",
        lines=3,
        bytes=200,
        malformed=0,
        partial_discarded=0,
        reconnects=0,
        last_line_at_s=None,
        lines_per_s=1.0,
    )
    few = DecodeStats(lines=3, non_ais=3)
    assert with_content(status, few).state == "connected"
    many = DecodeStats(lines=NO_AIS_AFTER_LINES, non_ais=NO_AIS_AFTER_LINES)
    assert with_content(status, many).state == f"no AIS in {NO_AIS_AFTER_LINES} lines"
    assert with_content(replace(status, state="finished"), few).state == "no AIS in 3 lines"
    retrying = replace(status, state="retrying in 2 s (refused)")
    assert with_content(retrying, many).state == "retrying in 2 s (refused)"
    assert with_content(status, None).state == "connected"

"""The port-call list from a real history: a ship waits at anchor, picks up its
pilot, berths, lies alongside and leaves; ``portwatch port-calls`` prints that call
with its steps and durations, as a table, CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
import json

import pytest

from portwatch.engine import Engine
from portwatch.history.port_call_list import CSV_COLUMNS, read_port_calls
from portwatch.history.writer import HistoryWriter
from tests.core.test_simulated_source import portwatch
from tests.core.watch_scenario import START_S, Traffic, write_port

T0 = START_S
CALLER, PASSER = 311_700_001, 311_700_002


def one_call() -> Traffic:
    """CALLER: at anchor an hour, then to the pilot boarding place (0, -5000), up the
    fairway into the berth, two hours alongside, and out again."""
    t = Traffic()
    t.ship(CALLER, "CALLER")
    t.path(CALLER, [(T0, -2000, -2000), (T0 + 3600, -2000, -2000)], 60.0, status=1)
    t.path(
        CALLER,
        [(T0 + 3600, -2000, -2000), (T0 + 4500, 0, -5000), (T0 + 6000, 0, 3100)],
        10.0,
    )
    t.path(CALLER, [(T0 + 6000, 0, 3100), (T0 + 13200, 0, 3100)], 30.0, status=5)
    t.path(CALLER, [(T0 + 13200, 0, 3100), (T0 + 14000, 0, 0)], 10.0)
    t.ship(PASSER, "PASSER")  # sails by, never calls
    t.path(PASSER, [(T0, 6000, -30000), (T0 + 5000, 6000, -10000)], 10.0)
    return t


@pytest.fixture
def history(tmp_path):
    port = write_port(tmp_path)
    db = tmp_path / "calls.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port)
    engine.feed(one_call().sorted_lines(), source="s")
    engine.close()
    return db


def test_a_call_has_its_anchor_wait_pilot_berth_and_departure(history):
    (call,) = read_port_calls(str(history))
    assert call.mmsi == CALLER
    assert call.name == "CALLER"
    assert call.anchorage == "Anchorage West"
    assert call.at_anchor_s == pytest.approx(3600, abs=400)
    assert call.station is not None
    assert call.station_s == pytest.approx(T0 + 4500, abs=300)
    assert call.berth is not None
    assert call.berthed_s == pytest.approx(T0 + 6000, abs=300)
    assert call.departed_s == pytest.approx(T0 + 13200, abs=300)
    assert call.alongside_s == pytest.approx(7200, abs=600)
    assert call.started_s <= call.anchored_s <= call.station_s <= call.berthed_s


def test_since_keeps_calls_going_on_then(history):
    assert read_port_calls(str(history), since_s=T0 + 10_000)
    assert read_port_calls(str(history), since_s=T0 + 20_000) == []


def test_the_command_prints_the_list_in_each_format(history):
    table = portwatch("port-calls", "--db", str(history))
    assert table.returncode == 0, table.stderr
    assert "CALLER" in table.stdout
    assert "PASSER" not in table.stdout
    assert "1 port calls" in table.stderr
    as_csv = portwatch("port-calls", "--db", str(history), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["name"] == "CALLER"
    assert float(rows[0]["alongside_h"]) == pytest.approx(2.0, abs=0.2)
    as_json = portwatch("port-calls", "--db", str(history), "--format", "json", "--since",
                        "2000-01-01")  # fmt: skip
    (record,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert record["mmsi"] == CALLER
    assert record["anchorage"] == "Anchorage West"


def test_a_missing_database_is_one_line(tmp_path):
    missing = portwatch("port-calls", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2
    assert "none.sqlite" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_berth_shows_who_lies_alongside_and_its_occupancy(tmp_path):
    port = write_port(tmp_path)
    traffic = one_call()
    engine = Engine(port=port)
    engine.feed(traffic.between(-1e18, T0 + 9600), source="s")
    (berth,) = engine.snapshot().watch.berths
    ((mmsi, since_s),) = berth.alongside
    assert mmsi == CALLER
    assert since_s == pytest.approx(T0 + 6000, abs=300)
    # alongside about an hour of the 2.7 hours watched
    assert berth.occupied_share_7d == pytest.approx(3600 / 9600, abs=0.06)
    engine.feed(traffic.between(T0 + 9600, T0 + 14_000), source="s")
    (berth,) = engine.snapshot().watch.berths
    assert berth.alongside == ()
    assert berth.daily_share[-1] == pytest.approx(7200 / 86_400, abs=0.01)

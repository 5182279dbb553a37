"""The watch's commands on real generated logs: ``analyze`` writes the event stream
that ``run`` and ``import`` give the same log, the reports read back what history
kept, and ``pilot-board --at`` is the board the live engine showed at that moment.

The logs come from the product's simulator on the demo port (scenarios injected:
congestion, an anchor drag, close quarters, speeding) and from hand-built traffic
on a small test harbour whose arrivals and stays are known."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from portwatch.analytics.pilot_board import CSV_COLUMNS, board_json
from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.cli import main
from portwatch.engine import Engine
from portwatch.history.store import HistoryStore
from portwatch.port.port_file import load_port
from portwatch.watch_reports import ANCHORAGE_COLUMNS, DAY_COLUMNS, SCORE_COLUMNS
from tests.core.simulated import port as demo_port
from tests.core.simulated import simulated
from tests.core.test_arrivals import batch
from tests.core.watch_scenario import SOUTH_ROUTE, START_S, Traffic, write_port

DEMO = str(bundled_file(DEMO_PORT))
SIM_START_S = 1_710_201_600.0
"""2024-03-12T00:00:00Z: where the simulator's output starts."""
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
KEYS = {
    "zone_enter": {"zone", "zone_kind"},
    "zone_exit": {"zone", "zone_kind"},
    "anchored": {"zone"},
    "anchor_up": {"zone", "wait_s"},
    "anchor_drag": {"zone", "drift_m"},
    "congestion": {"zone", "level", "occupied", "capacity"},
    "cpa": {"other_mmsi", "cpa_m", "tcpa_s"},
    "speeding": {"zone", "sog_kn", "limit_kn"},
    "eta": {"target", "eta", "reported_eta", "distance_m"},
    "arrival": {"target"},
    "lost": {"silent_s"},
    "found": {"silent_s"},
    "alert_clear": {"alert", "by", "snooze_s"},
}
"""DESIGN.md's event stream: each kind's further keys."""


def scenario_run():
    """Two hours of the demo port with every scenario injected (shared with
    test_scenarios: made once per session)."""
    return simulated(seed=8, hours=2.0, scenarios=("all",))


@pytest.fixture(scope="module")
def scenario_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "bay.nmea"
    path.write_text("\n".join(scenario_run().lines) + "\n", encoding="ascii")
    return path


@pytest.fixture(scope="module")
def analysed(scenario_log: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``analyze`` of the scenario log with ``--db``: (events file, database)."""
    folder = tmp_path_factory.mktemp("analysed")
    events, db = folder / "events.jsonl", folder / "history.sqlite"
    status = main(
        ["analyze", str(scenario_log), "--port", DEMO, "--events", str(events), "--db", str(db)]
    )
    assert status == 0
    return events, db


def read_events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_analyze_writes_the_event_stream_of_the_scenarios(analysed: tuple[Path, Path]) -> None:
    events = read_events(analysed[0])
    kinds = {event["kind"] for event in events}
    assert {
        "zone_enter",
        "anchored",
        "anchor_drag",
        "congestion",
        "cpa",
        "speeding",
        "eta",
        "arrival",
    } <= kinds
    for event in events:
        assert ISO.match(event["time"]), event
        assert {"time", "kind", "mmsi", "name", "lat", "lon"} <= set(event)
        assert KEYS.get(event["kind"], set()) <= set(event), event
    injected = {i.kind: i for i in scenario_run().simulator.injected}
    drags = [e for e in events if e["kind"] == "anchor_drag"]
    assert {e["mmsi"] for e in drags} <= set(injected["anchor-drag"].mmsis)
    speeding = [e for e in events if e["kind"] == "speeding"]
    assert set(injected["speeding"].mmsis) & {e["mmsi"] for e in speeding}


def canonical(events: list[dict]) -> list[str]:
    return sorted(json.dumps(event, sort_keys=True) for event in events)


def test_analyze_gives_the_events_of_run_and_import(
    analysed: tuple[Path, Path], scenario_log: Path, tmp_path: Path
) -> None:
    analysed_events = read_events(analysed[0])
    run_events = tmp_path / "run.jsonl"
    status = main(
        [
            "run",
            f"file://{scenario_log}",
            "--db",
            str(tmp_path / "run.sqlite"),
            "--port",
            DEMO,
            "--events",
            str(run_events),
        ]
    )
    assert status == 0
    assert read_events(run_events) == analysed_events  # the same events, in the same order
    imported_db = tmp_path / "import.sqlite"
    assert main(["import", str(scenario_log), "--db", str(imported_db), "--port", DEMO]) == 0
    for db in (imported_db, analysed[1]):
        with HistoryStore.open(db, create=False, readonly=True) as store:
            stored = [event.to_json() for event in store.events()]
        assert canonical(stored) == canonical(analysed_events)


def test_anchorages_as_a_table_csv_and_json(
    analysed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(analysed[1])
    names = sorted(f.name for f in demo_port().of_kind("anchorage"))
    assert main(["anchorages", "--db", db]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == list(ANCHORAGE_COLUMNS)
    assert len(table) == 1 + len(names)

    assert main(["anchorages", "--db", db, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == ANCHORAGE_COLUMNS
    assert sorted(row["anchorage"] for row in rows) == names
    latest = rows[0]["time"]
    # the congestion scenario fills an anchorage: some level above normal at the end
    assert {row["level"] for row in rows} & {"busy", "congested"}
    for row in rows:
        assert int(row["occupied"]) >= 0
        assert int(row["capacity"]) > 0

    earlier = SIM_START_S + 1800  # as it stood after the first half hour
    assert main(["anchorages", "--db", db, "--at", str(earlier), "--format", "json"]) == 0
    states = json.loads(capsys.readouterr().out)
    assert set(states[0]) == set(ANCHORAGE_COLUMNS)
    assert sorted(state["anchorage"] for state in states) == names
    assert all(
        "2024-03-12T00:25:00Z" <= state["time"] <= "2024-03-12T00:30:00Z" for state in states
    )
    assert latest > "2024-03-12T01:30:00Z"


def harbour_log(folder: Path) -> tuple[Path, Path, Traffic]:
    """The test harbour: two batches of arrivals up the south route (arrival times
    known), and a ship that waits two hours at anchor, then weighs."""
    write_port(folder)
    traffic = Traffic()
    batch(traffic, 311_600_000, 12, START_S, seed=3)
    traffic.ship(311_600_099, "PATIENT")
    traffic.path(
        311_600_099,
        [(START_S, -2000, -2000), (START_S + 7200, -2000, -2000)],
        180.0,
        status=1,
    )
    traffic.straight(311_600_099, START_S + 7200, START_S + 7800, -2000, -2000, 90.0, 8.0)
    log = folder / "harbour.nmea"
    log.write_text("\n".join(traffic.sorted_lines()) + "\n", encoding="ascii")
    return log, folder / "test-harbour.geojson", traffic


def test_eta_report_reads_back_the_scores_and_the_waits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, port_file, traffic = harbour_log(tmp_path)
    db = tmp_path / "history.sqlite"
    events = tmp_path / "events.jsonl"
    args = ["analyze", str(log), "--port", str(port_file), "--events", str(events)]
    assert main([*args, "--db", str(db)]) == 0
    capsys.readouterr()

    assert main(["eta-report", "--db", str(db), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    live = Engine(port=load_port(port_file))
    live.feed(traffic.sorted_lines(), source="s")
    live.finish_input("s")
    expected = {(r.horizon_min, r.estimator): r for r in live.snapshot().watch.eta_scores}
    assert len(report["scores"]) == len(expected)
    for row in report["scores"]:
        assert set(row) == set(SCORE_COLUMNS)
        mine = expected[(row["horizon_min"], row["estimator"])]
        assert row["arrivals"] == mine.count
        if mine.count:
            assert row["mae_min"] == pytest.approx(mine.mae_s / 60, abs=0.05)
    assert next(r for r in report["scores"] if r["horizon_min"] == 60)["arrivals"] >= 10
    (day,) = report["daily"]
    assert set(day) == set(DAY_COLUMNS)
    assert day["stays"] == 1
    assert day["waiting_h"] == pytest.approx(2.0, abs=0.1)
    assert day["fuel_waiting_t"] > 0

    assert main(["eta-report", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == SCORE_COLUMNS
    assert main(["eta-report", "--db", str(db), "--format", "csv", "--daily"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == DAY_COLUMNS
    assert main(["eta-report", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "portwatch" in table
    assert "naive" in table
    assert "reported" in table
    # nothing since after the last arrival and stay: said, exit status 1
    assert main(["eta-report", "--db", str(db), "--since", str(START_S + 86_400)]) == 1


def lines_until(lines: list[str], until_s: float) -> list[str]:
    """What a replay paused at ``until_s`` had played: the lines before the first
    one stamped later (a fragment without a time of its own goes with the one before)."""
    taken = []
    for line in lines:
        stamp = re.search(r"c:(\d+)", line.split("!", 1)[0])
        if stamp and int(stamp.group(1)) > until_s:
            break
        taken.append(line)
    return taken


def live_board_json(port_path: Path | str, lines: list[str], at_s: float) -> str:
    engine = Engine(port=load_port(port_path))
    engine.feed(lines_until(lines, at_s), source="live")
    return board_json(engine.snapshot().watch.pilot_board)


def pilot_board(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["pilot-board", *args]) == 0
    return capsys.readouterr().out


def test_pilot_board_at_a_time_is_the_live_board_then(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    traffic = Traffic()
    ships = {311_700_001: (START_S, 12.0), 311_700_002: (START_S + 300, 16.0)}
    ships[311_700_003] = (START_S + 900, 13.0)
    for mmsi, (begin, cruise) in ships.items():
        traffic.ship(mmsi, f"INBOUND {mmsi % 10}")
        traffic.approach(mmsi, SOUTH_ROUTE, begin, cruise_kn=cruise)
    traffic.ship(311_700_009, "PATIENT")
    traffic.path(311_700_009, [(START_S, -2000, -2000), (START_S + 7200, -2000, -2000)], 180.0, 1)
    write_port(tmp_path)
    port_file = tmp_path / "test-harbour.geojson"
    lines = traffic.sorted_lines()
    log = tmp_path / "harbour.nmea"
    log.write_text("\n".join(lines) + "\n", encoding="ascii")

    at_s = START_S + 1800 + 5  # between two passes
    shown = pilot_board(
        capsys, str(log), "--port", str(port_file), "--at", str(at_s), "--format", "json"
    )
    assert shown.rstrip("\n") == live_board_json(port_file, lines, at_s)
    board = json.loads(shown)
    inbound = [row for row in board["inbound"] if row["station"] == "Pilot"]
    assert [row["eta"] for row in inbound] == sorted(row["eta"] for row in inbound)
    assert {row["mmsi"] for row in inbound} == {*ships, 311_700_009}
    assert next(r for r in inbound if r["mmsi"] == 311_700_009)["at_anchor"] == "Anchorage West"

    csv_text = pilot_board(
        capsys, str(log), "--port", str(port_file), "--at", str(at_s), "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [int(row["mmsi"]) for row in rows] == [row["mmsi"] for row in board["inbound"]]
    table = pilot_board(capsys, str(log), "--port", str(port_file), "--at", str(at_s))
    assert table.splitlines()[0] == f"Pilot board at {board['time']}"
    assert "INBOUND 2" in table
    assert "waits in Anchorage West" in table

    # the same board from the history the log was analysed into: same ships, same order,
    # the wait at anchor counted from when it began, not from the start of the replay
    db = tmp_path / "history.sqlite"
    events = tmp_path / "events.jsonl"
    assert (
        main(
            [
                "analyze",
                str(log),
                "--port",
                str(port_file),
                "--events",
                str(events),
                "--db",
                str(db),
            ]
        )
        == 0
    )
    capsys.readouterr()
    from_history = json.loads(
        pilot_board(
            capsys, str(db), "--port", str(port_file), "--at", str(at_s), "--format", "json"
        )
    )
    assert [r["mmsi"] for r in from_history["inbound"]] == [r["mmsi"] for r in board["inbound"]]
    waited = {r["mmsi"]: r["waited_h"] for r in from_history["inbound"] if r["at_anchor"]}
    assert waited[311_700_009] == pytest.approx(0.5, abs=0.06)


def test_pilot_board_of_the_simulated_bay_at_a_time(
    scenario_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at_s = SIM_START_S + 5400 + 3
    shown = pilot_board(
        capsys, str(scenario_log), "--port", DEMO, "--at", str(at_s), "--format", "json"
    )
    assert shown.rstrip("\n") == live_board_json(DEMO, list(scenario_run().lines), at_s)
    board = json.loads(shown)
    assert board["inbound"]
    for station in {row["station"] for row in board["inbound"]}:
        etas = [row["eta"] for row in board["inbound"] if row["station"] == station]
        assert etas == sorted(etas)


@pytest.mark.parametrize(
    "args",
    [
        [
            "analyze",
            "{missing}",
            "--port",
            DEMO,
            "--events",
            "{out}/events.jsonl",
            "--db",
            "{out}/h.sqlite",
        ],
        [
            "analyze",
            "{log}",
            "--port",
            "{missing}",
            "--events",
            "{out}/events.jsonl",
            "--db",
            "{out}/h.sqlite",
        ],
        ["analyze", "{log}", "--port", DEMO, "--events", "{log}", "--db", "{out}/h.sqlite"],
        ["analyze", "{log}", "--port", DEMO, "--events", "{out}/none/events.jsonl"],
        ["analyze", "{log}", "--port", "{log}", "--events", "{out}/events.jsonl"],
        ["import", "{log}", "--port", "{missing}", "--db", "{out}/h.sqlite"],
        ["pilot-board", "{missing}", "--port", DEMO],
        ["pilot-board", "{log}", "--port", "{missing}"],
        ["pilot-board", "{log}", "--port", DEMO, "--at", "2001-01-01T00:00:00Z"],
        ["anchorages", "--db", "{missing}"],
        ["anchorages", "--db", "{log}"],
        ["eta-report", "--db", "{missing}"],
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_made(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "in" / "harbour.nmea"
    log.parent.mkdir()
    log.write_text("\n".join(scenario_run().lines[:2000]) + "\n", encoding="ascii")
    before = log.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    filled = [a.format(missing=tmp_path / "no-such-file", out=out, log=log) for a in args]
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"portwatch {args[0]}: ")
    assert list(out.iterdir()) == []
    assert log.read_bytes() == before
    assert sorted(p.name for p in log.parent.iterdir()) == ["harbour.nmea"]

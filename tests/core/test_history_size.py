"""How much room the history takes: an import that makes (or at least doubles) a
SQLite database leaves it packed, and one that adds a little to a big database
leaves the rest of the file as it was."""

from __future__ import annotations

import sqlite3
from itertools import islice
from pathlib import Path

from portwatch.engine import Engine
from portwatch.history.writer import HistoryWriter
from portwatch.importing import import_logs
from portwatch.simulator.traffic import TrafficSimulator
from tests.core.simulated import port


def port_log(path: Path, seed: int, lines: int) -> Path:
    simulator = TrafficSimulator(port(), seed=seed)
    path.write_text("\n".join(islice(simulator.lines(3600.0 * 24), lines)) + "\n")
    return path


def unused_share(db: Path) -> float:
    """The share of the positions table's pages that holds no row."""
    with sqlite3.connect(db) as connection:
        unused, size = connection.execute(
            "SELECT sum(unused), sum(pgsize) FROM dbstat WHERE name = 'positions'"
        ).fetchone()
    return unused / size


def test_a_first_import_leaves_the_positions_packed(tmp_path: Path) -> None:
    log = port_log(tmp_path / "port.nmea", seed=2, lines=40_000)
    imported = tmp_path / "imported.sqlite"
    import_logs([str(log)], str(imported))
    live = tmp_path / "live.sqlite"  # the same rows, written as live writes them
    engine = Engine(history=HistoryWriter(live))
    engine.feed(log.read_bytes().splitlines(), source=log.name)
    engine.close()
    with sqlite3.connect(imported) as a, sqlite3.connect(live) as b:
        query = "SELECT * FROM positions ORDER BY mmsi, time_s"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert unused_share(imported) < 0.02
    assert unused_share(live) > 0.05


def test_a_small_import_into_a_big_database_does_not_rewrite_it(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    import_logs([str(port_log(tmp_path / "big.nmea", seed=3, lines=40_000))], str(db))
    packed = unused_share(db)
    import_logs([str(port_log(tmp_path / "small.nmea", seed=4, lines=2_000))], str(db))
    assert unused_share(db) > packed + 0.01  # the small one's rows split packed pages

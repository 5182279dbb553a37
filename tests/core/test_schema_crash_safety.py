"""A process killed (SIGKILL) while it creates the history schema leaves a file
that the next open takes and completes, never one refused for ever as "not a
PortWatch history database".

A child process opens a new database with a trace hook on its SQLite connection
that stops before the N-th statement and says so; the test then kills it there,
at each statement that changes the file, and opens the database again.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from portwatch.history.schema import migrations
from portwatch.history.store import HistoryStore, known_migrations

KILL_POINTS = 12
"""Statements to be killed before, spread over all that change the file."""
_CHILD = r"""
import json, sqlite3, sys, threading

stop_before = int(sys.argv[2])
statements = []
real_connect = sqlite3.connect

def traced(statement):
    statements.append(statement.strip())
    if len(statements) == stop_before:
        print("stopped before " + statement.strip().splitlines()[0], flush=True)
        threading.Event().wait()  # until killed

def connect(*args, **kwargs):
    connection = real_connect(*args, **kwargs)
    connection.set_trace_callback(traced)
    return connection

sqlite3.connect = connect
from portwatch.history.store import HistoryStore

HistoryStore.open(sys.argv[1]).close()
print(json.dumps(statements), flush=True)
"""
_WRITES = ("CREATE", "INSERT", "DROP", "ALTER", "UPDATE", "DELETE", "COMMIT", "PRAGMA JOURNAL")


def _child(db: Path, stop_before: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db), str(stop_before)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _schema(db: Path) -> tuple[list[tuple], list[str]]:
    with sqlite3.connect(db) as connection:
        objects = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()
        applied = [
            row[0]
            for row in connection.execute(
                f"SELECT name FROM {migrations.migrations_table} ORDER BY name"
            )
        ]
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return objects, applied


def _kill_points(statements: list[str]) -> list[int]:
    """1-based positions of the statements that change the file, at most
    ``KILL_POINTS`` of them, first and last always among them."""
    writes = [n for n, sql in enumerate(statements, 1) if sql.upper().startswith(_WRITES)]
    if len(writes) <= KILL_POINTS:
        return writes
    step = (len(writes) - 1) / (KILL_POINTS - 1)
    return sorted({writes[round(k * step)] for k in range(KILL_POINTS)})


def test_a_kill_while_the_schema_is_created_leaves_a_file_that_opens(tmp_path: Path) -> None:
    clean = tmp_path / "clean.sqlite"
    dry_run = _child(clean, stop_before=0)
    out, err = dry_run.communicate(timeout=60)
    assert dry_run.returncode == 0, err
    statements = json.loads(out)
    expected = _schema(clean)
    assert expected[1] == sorted(known_migrations())

    points = _kill_points(statements)
    assert len(points) >= 8, statements
    for point in points:
        db = tmp_path / f"killed-before-{point}.sqlite"
        child = _child(db, point)
        try:
            said = child.stdout.readline() if child.stdout else ""
            assert said.startswith("stopped before"), (said, child.stderr and child.stderr.read())
            os.kill(child.pid, signal.SIGKILL)
            child.wait(30)
        finally:
            if child.poll() is None:
                child.kill()
        assert child.returncode == -signal.SIGKILL
        where = f"killed before statement {point}: {statements[point - 1][:60]!r}"
        try:
            HistoryStore.open(db).close()
        except Exception as error:  # the defect: the file is refused
            pytest.fail(f"{where}: reopening failed: {error}")
        assert _schema(db) == expected, where


def test_a_file_left_half_made_by_an_earlier_version_is_completed(tmp_path: Path) -> None:
    """What a kill left before the schema was made in one transaction: the
    migrations table alone, empty. Nothing in it is anyone's data."""
    clean = tmp_path / "clean.sqlite"
    HistoryStore.open(clean).close()
    db = tmp_path / "half.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute(
            f"CREATE TABLE {migrations.migrations_table} "
            "(id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)"
        )
    HistoryStore.open(db).close()
    assert _schema(db) == _schema(clean)

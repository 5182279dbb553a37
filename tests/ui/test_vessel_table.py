"""The vessel list's model follows the snapshots without disturbing the operator:
only the rows of vessels that changed are signalled (so the view repaints just
those), departed vessels' rows go without a reset (persistent indexes, and so
the selection, stay on their vessel), and ages are signalled once a second."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import load_port
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.ui.vessel_table import AGE_BLOCK, COLUMNS, MMSI_ROLE, VesselTableModel


def _snapshots():
    """Snapshots of the simulated port after 25 minutes, 5 s later, and at 30."""
    port = load_port(bundled_file(DEMO_PORT))
    timed = list(TrafficSimulator(port, seed=4).timed_lines(1800))
    start_s = timed[0][0]
    engine = Engine()
    shots = []
    done = 0
    for until_s in (1500, 1505, 1800):
        chunk = [line for time_s, line in timed[done:] if time_s < start_s + until_s]
        done += len(chunk)
        engine.feed(chunk, source="sim")
        shots.append(engine.snapshot())
    return port, shots


def _record(model: VesselTableModel) -> list[tuple[int, int, int, int]]:
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, *_: changes.append(
            (top.row(), bottom.row(), top.column(), bottom.column())
        )
    )
    return changes


def test_only_changed_rows_are_signalled_and_ages_once_a_second(qtmodeltester) -> None:
    port, (first, second, _) = _snapshots()
    model = VesselTableModel(port)
    qtmodeltester.check(model)
    model.update(first.vessels, 1000.0)
    changes = _record(model)
    model.update(second.vessels, 1000.5)  # same second: no age change
    changed_rows = {
        row
        for row in range(len(first.vessels))
        if second.vessels[model.vessel(row).mmsi] is not first.vessels[model.vessel(row).mmsi]
    }
    assert 0 < len(changed_rows) < len(first.vessels)
    signalled = {row for top, bottom, *_ in changes for row in range(top, bottom + 1)}
    assert signalled == changed_rows
    assert all((left, right) == (0, len(COLUMNS) - 1) for *_, left, right in changes)
    for row in range(model.rowCount()):  # every row shows the newest view
        assert model.vessel(row) is second.vessels[model.index(row, 0).data(MMSI_ROLE)]
    changes.clear()
    model.update(second.vessels, 1001.0)  # nothing new, but a second passed
    age = COLUMNS.index("Last report")
    assert {(left, right) for *_, left, right in changes} == {(age, age)}
    assert max(bottom - top + 1 for top, bottom, *_ in changes) <= AGE_BLOCK
    covered = {row for top, bottom, *_ in changes for row in range(top, bottom + 1)}
    assert covered == set(range(model.rowCount()))


def test_departed_vessels_leave_without_resetting_the_list(qtmodeltester) -> None:
    port, (_, second, third) = _snapshots()
    model = VesselTableModel(port)
    qtmodeltester.check(model)
    model.update(second.vessels, 1000.0)
    mmsis = [model.index(row, 0).data(MMSI_ROLE) for row in range(model.rowCount())]
    kept_mmsi = mmsis[-2]
    kept = QPersistentModelIndex(model.index(len(mmsis) - 2, 0))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    gone = set(mmsis[1:6:2])
    model.update({m: v for m, v in third.vessels.items() if m not in gone}, 1001.0)
    assert not resets
    assert kept.isValid()
    assert kept.data(MMSI_ROLE) == kept_mmsi
    shown = [model.index(row, 0).data(MMSI_ROLE) for row in range(model.rowCount())]
    assert not gone & set(shown)
    assert sorted(shown) == sorted(m for m in third.vessels if m not in gone)
    assert model.row_of(kept_mmsi) == kept.row()

"""Two workstations' engines on one PostgreSQL history: an alert acknowledged on
one shows as acknowledged, by whom and when, on the other, through LISTEN/NOTIFY
on a real PostgreSQL server, and is not sent back."""

from __future__ import annotations

import math

import pytest

from portwatch.centre.acknowledgements import SharedAcknowledgements
from portwatch.engine import Engine
from portwatch.history.store import HistoryStore
from portwatch.history.watch_history import WatchHistory
from portwatch.history.writer import HistoryWriter
from tests.core.test_tcp_source import wait_until
from tests.core.watch_scenario import START_S, Traffic, write_port

ROGUE = 311_700_001


@pytest.fixture
def port(tmp_path):
    return write_port(tmp_path)


def rogue_alert(engine: Engine):
    return next(a for a in engine.snapshot().watch.alerts if a.mmsi == ROGUE)


def test_an_acknowledgement_on_one_workstation_shows_on_the_other(postgresql_server, port):
    url = postgresql_server.new_database()
    traffic = Traffic()
    traffic.ship(ROGUE, "ROGUE")  # at anchor outside every anchorage: an alert
    traffic.path(
        ROGUE, [(START_S, 4000.0, -6000.0), (START_S + 1800, 4000.0, -6000.0)], 60.0, status=1
    )
    lines = traffic.between(-math.inf, math.inf)
    duty, pilot = (Engine(history=HistoryWriter(url), port=port) for _ in range(2))
    shared = [SharedAcknowledgements(url, engine) for engine in (duty, pilot)]
    try:
        assert all(share.wait_listening(10) for share in shared)
        for engine in (duty, pilot):
            engine.feed(lines, source="relay")
            engine.flush()
        alert = rogue_alert(duty)
        assert rogue_alert(pilot).id == alert.id, "the same situation, the same id"
        assert not rogue_alert(pilot).acknowledged

        assert duty.acknowledge(alert.id, by="duty operator", snooze_s=600)
        assert wait_until(lambda: rogue_alert(pilot).acknowledged, timeout_s=5)
        there = rogue_alert(pilot)
        here = rogue_alert(duty)
        assert there.acknowledged_by == "duty operator"
        assert there.acknowledged_s == here.acknowledged_s
        assert there.snoozed_until_s == here.snoozed_until_s == here.acknowledged_s + 600
        assert shared[1].received == 1
        assert shared[0].received == 0, "its own notice is not taken again"
        pilot.flush()
        with HistoryStore.open(url) as store:
            (kept,) = [a for a in WatchHistory(store).alerts() if a.id == alert.id]
        assert kept.acknowledged_by == "duty operator"
    finally:
        for share in shared:
            share.close()
        for engine in (duty, pilot):
            engine.close()


def test_a_snooze_taken_over_from_another_workstation_wakes_here_too() -> None:
    """``AlertBook.apply``: the acknowledgement as it was made, no event of its own,
    and a snooze that ends here when it ends there."""
    from portwatch.analytics.alerts import AlertBook
    from portwatch.events import Event

    book = AlertBook()
    key = ("restricted_entry", ROGUE, "Restricted")

    def raising(alert_id: int) -> Event:
        return Event(START_S, "restricted_entry", ROGUE, "ROGUE", 42.3, -70.9, {})

    book.observe(key, START_S, None, raising)
    (alert,) = book.open.values()
    book.take_changed()
    taken = book.apply(alert.id, START_S + 5, "pilot dispatcher", START_S + 605)
    assert taken is alert
    assert (alert.acknowledged_by, alert.acknowledged_s) == ("pilot dispatcher", START_S + 5)
    assert book.take_changed() == [alert], "written to history like any change"
    book.tick(START_S + 600)
    assert alert.acknowledged
    book.tick(START_S + 605)
    assert not alert.acknowledged, "the snooze is over here as well"
    assert book.apply(12345, START_S, "x", None) is None, "no open alert with that id"

"""Acknowledgements shared by every engine on one PostgreSQL history: an alert
acknowledged (or snoozed) on one workstation shows as acknowledged, by whom and
when, on every other within a second.

Every engine of a centre computes the same alerts with the same ids (an alert's
id is its situation and the data time it was raised at, and every engine sees
the same lines through the relay). So an acknowledgement only has to say which
alert, who, when and until when: it is written to the ``alerts`` row and sent
with ``NOTIFY``; every other engine ``LISTEN``s and takes it over as it was made
(``Engine.apply_acknowledgement``), without passing it on again. Sending is done
by a thread of its own, so the operator's click never waits on the network.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import queue
import threading
import uuid
from typing import TYPE_CHECKING, Any

from portwatch.history.backend import connect_postgresql, shown_target

if TYPE_CHECKING:
    from portwatch.analytics.alerts import Alert
    from portwatch.engine import Engine

log = logging.getLogger(__name__)

CHANNEL = "portwatch_alerts"
RECONNECT_S = 5.0
"""After a lost connection, the listener tries again this often."""
_ACKNOWLEDGE = """
    UPDATE alerts SET acknowledged_s = ?, acknowledged_by = ?, snoozed_until_s = ?
    WHERE id = ?
"""
_STOP = object()


def workstation_user() -> str:
    """Who acknowledges on this workstation, as the others are shown it: the login
    name (``by`` of ``Engine.acknowledge``)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return f"uid {os.getuid()}"


class SharedAcknowledgements:
    """Connects ``engine``'s acknowledgements to every other engine on the database
    ``url`` (see the module). ``received`` counts acknowledgements taken over from
    elsewhere, ``sent`` those sent."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.origin = uuid.uuid4().hex
        """This engine's mark on what it sends: its own notifications come back to it."""
        self.sent = 0
        self.received = 0
        self.error: str | None = None
        """The last connection failure, or None while all is well."""
        self._outbox: queue.Queue[Any] = queue.Queue()
        self._closing = threading.Event()
        self._listening = threading.Event()
        self._sender = threading.Thread(target=self._send_all, name="acks out", daemon=True)
        self._listener = threading.Thread(target=self._listen, name="acks in", daemon=True)
        engine.on_acknowledge = self.share
        self._sender.start()
        self._listener.start()

    def wait_listening(self, timeout_s: float) -> bool:
        """True once the listener is connected and listening."""
        return self._listening.wait(timeout_s)

    def share(self, alert: Alert) -> None:
        """Send ``alert``'s acknowledgement to the others (the engine calls this)."""
        if alert.acknowledged_s is None or alert.acknowledged_by is None:
            return
        self._outbox.put(
            {
                "origin": self.origin,
                "id": alert.id,
                "by": alert.acknowledged_by,
                "acknowledged_s": alert.acknowledged_s,
                "snoozed_until_s": alert.snoozed_until_s,
            }
        )

    def close(self) -> None:
        self._closing.set()
        self._outbox.put(_STOP)
        self._sender.join(5)
        self._listener.join(5)
        self.engine.on_acknowledge = None

    def _send_all(self) -> None:
        connection = None
        while True:
            message = self._outbox.get()
            if message is _STOP:
                break
            try:
                if connection is None:
                    connection = connect_postgresql(self.url)
                with connection.transaction():
                    connection.execute(
                        _ACKNOWLEDGE,
                        (
                            message["acknowledged_s"],
                            message["by"],
                            message["snoozed_until_s"],
                            message["id"],
                        ),
                    )
                    # The row may not be written yet (its batch is a second away): the
                    # engine's own history writer writes it acknowledged then.
                    connection.execute("SELECT pg_notify(?, ?)", (CHANNEL, json.dumps(message)))
                self.sent += 1
                self.error = None
            except Exception as error:  # the database away: the acknowledgement stays local
                self.error = f"{shown_target(self.url)}: {error}"
                log.warning("acknowledgement not shared: %s", self.error)
                if connection is not None:
                    with contextlib.suppress(Exception):
                        connection.close()
                connection = None
        if connection is not None:
            connection.close()

    def _listen(self) -> None:
        import psycopg

        while not self._closing.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    self.error = None
                    while not self._closing.is_set():
                        for notice in connection.notifies(timeout=0.5):
                            self._take(notice.payload)
            except psycopg.Error as error:
                self._listening.clear()
                self.error = f"{shown_target(self.url)}: {error}"
                log.warning("acknowledgements from other workstations paused: %s", self.error)
                self._closing.wait(RECONNECT_S)

    def _take(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            if message["origin"] == self.origin:
                return
            applied = self.engine.apply_acknowledgement(
                int(message["id"]),
                str(message["by"]),
                float(message["acknowledged_s"]),
                None if message["snoozed_until_s"] is None else float(message["snoozed_until_s"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            log.warning("an acknowledgement notice could not be read (%s): %r", error, payload)
            return
        if applied:
            self.received += 1

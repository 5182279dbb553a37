"""``portwatch`` with a window: the app takes the command's place, so a SIGTERM sent
to ``portwatch`` (a service manager, a logout, ``kill``) closes the window cleanly
instead of leaving it running after the command is gone."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from portwatch.history.store import HistoryStore
from tests.core.test_tcp_source import wait_until

WAIT_S = 60.0


def group_alive(process: subprocess.Popen[bytes]) -> bool:
    """Whether any process of ``process``'s group (the launcher and whatever it
    started) is still running; the launcher itself is reaped first."""
    process.poll()
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_sigterm_to_portwatch_closes_the_window(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a receiver that is not there: the app keeps retrying
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = tmp_path / "history.sqlite"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch", "--source", f"tcp://127.0.0.1:{port}", "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        # The database is made after the app has taken the stop signals in hand.
        assert wait_until(lambda: db.exists() or process.poll() is not None, WAIT_S)
        assert process.poll() is None, process.communicate(timeout=WAIT_S)[1]
        process.send_signal(signal.SIGTERM)  # to the pid the user started, nothing else
        assert wait_until(lambda: not group_alive(process), WAIT_S), "the window is still running"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT_S)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 0, stderr  # closed as by its close button, not killed
    assert "Traceback" not in stderr
    with HistoryStore.open(db, create=False, readonly=True) as store:
        assert store.position_count() == 0  # a clean history, closed and readable
    saved = (tmp_path / "config" / "PortWatch" / "PortWatch.conf").read_text()
    assert f"tcp://127.0.0.1:{port}" in saved  # the session was saved on the way out

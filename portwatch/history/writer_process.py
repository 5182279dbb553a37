"""The history writer in a child process, for bulk import.

Writing is half of an import's work (binding rows, SQLite's B-tree, the WAL),
and in one process it cannot overlap with decoding and tracking: ``sqlite3``
hands the GIL back and forth for every row. A child process writes batches
while the engine goes on with the next, so an import uses both cores. Batches
go over a pipe as plain tuples (pickling a named tuple costs six times more,
an object ten times);
at most ``max_in_flight`` wait, so memory stays bounded. On Linux the child
dies with its parent, so a killed import is killed whole: what was committed
stays, as with the in-process writer.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

from portwatch.history.backend import is_postgresql, shown_target
from portwatch.history.sink import HistoryBatch, HistoryStatus
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.settings import RetentionSettings

_CLOSE = b""
_PR_SET_PDEATHSIG = 1


class HistoryWriterProcess:
    """A ``HistorySink`` like ``HistoryWriter``, fail-fast, with the writing done in a child.

    ``submit`` returns as soon as the batch is on its way (waiting only while
    ``max_in_flight`` batches are unwritten) and raises ``HistoryError`` once
    the child has reported a failure; ``flush`` waits for everything.
    """

    fail_fast = True

    def __init__(
        self,
        path: str | Path,
        retention: RetentionSettings | None = None,
        max_in_flight: int = 2,
    ) -> None:
        self.path: Path | str = path if is_postgresql(path) else Path(path)
        self.shown = shown_target(self.path)
        self.max_in_flight = max_in_flight
        HistoryStore.open(self.path).close()  # refuse a bad path here, in one line
        # fork is quick and safe while this process has a single thread; else spawn.
        method = "fork" if threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child_end, str(self.path), retention),
            name="portwatch history writer",
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._error: str | None = None
        self._closed = False
        self._status = HistoryStatus(
            path=self.shown,
            state="ok",
            positions_written=0,
            rows_written=0,
            batches_written=0,
            pending_rows=0,
            rows_dropped=0,
            last_commit_s=None,
        )
        self._in_flight = 1  # the child says it is ready (or why not) before any batch
        try:
            self._receive()
        except HistoryError:
            self._process.join(5)
            raise

    def submit(self, batch: HistoryBatch) -> None:
        self._raise_if_failed()
        plain = replace(
            batch, fixes=list(map(tuple, batch.fixes)), events=list(map(tuple, batch.events))
        )
        try:
            self._pipe.send_bytes(pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as error:
            self._fail(f"the history writer process stopped ({error.strerror or error})")
        self._in_flight += 1
        while self._in_flight > self.max_in_flight:
            self._receive()

    def flush(self) -> bool:
        while self._in_flight:
            self._receive()
        return True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
            with contextlib.suppress(OSError):
                self._pipe.send_bytes(_CLOSE)
                self._in_flight += 1
            with contextlib.suppress(HistoryError):
                self._receive()
        finally:
            self._pipe.close()
            self._process.join(30)
            if self._process.is_alive():
                self._process.kill()

    def status(self) -> HistoryStatus:
        if self._error is not None:
            return replace(self._status, state=f"error: {self._error}")
        return self._status

    def _receive(self) -> None:
        try:
            outcome, detail = self._pipe.recv()
        except (EOFError, OSError):
            self._in_flight = 0
            code = self._process.exitcode
            self._fail(
                "the history writer process ended unexpectedly"
                + (f" (exit status {code})" if code is not None else "")
            )
        self._in_flight -= 1
        if outcome == "error":
            self._in_flight = 0
            self._fail(detail)
        self._status = detail

    def _fail(self, reason: str) -> None:
        self._error = reason
        raise HistoryError(f"{self.shown}: {reason}" if self.shown not in reason else reason)

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise HistoryError(f"{self.shown}: {self._error}")


def _serve(pipe: Connection, path: str, retention: RetentionSettings | None) -> None:
    """The child: write each batch that arrives, answer with the status or the error."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if os.getppid() == 1:
        return  # the parent died before this child could ask to die with it
    try:
        writer = HistoryWriter(path, retention=retention, fail_fast=True)
    except HistoryError as error:
        _answer(pipe, ("error", str(error)))
        return
    _answer(pipe, ("ok", writer.status()))  # ready
    try:
        while True:
            try:
                data = pipe.recv_bytes()
            except (EOFError, OSError):
                return  # the parent is gone: what was committed stays
            if data == _CLOSE:
                writer.close()
                _answer(pipe, ("ok", writer.status()))
                return
            try:
                writer.submit(pickle.loads(data))
            except HistoryError as error:
                _answer(pipe, ("error", str(error)))
                return
            _answer(pipe, ("ok", writer.status()))
    finally:
        with contextlib.suppress(HistoryError):
            writer.close()


def _answer(pipe: Connection, message: tuple) -> None:
    with contextlib.suppress(OSError):
        pipe.send(message)


def _die_with_parent() -> None:
    """Linux: have the kernel kill this child when its parent dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

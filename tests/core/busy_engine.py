"""Holding an engine busy from another thread, for as long as a test wants: what an
analytics pass over a dense crowd does for a second or more."""

from __future__ import annotations

import threading
from types import TracebackType

from portwatch.engine import Engine

LONGEST_HOLD_S = 20.0
"""A test that waits for the engine while it is held would wait forever: the hold
ends by itself after this long, and says so (``outlasted``)."""


class BusyEngine:
    """``with BusyEngine(engine):`` the engine's lock is held by another thread (as
    by its worker in a long pass) until the block ends."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.outlasted = False
        """The hold ended by itself: something in the block waited for the engine."""
        self._held = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._hold, name="busy engine", daemon=True)

    def _hold(self) -> None:
        with self.engine._lock:
            self._held.set()
            self.outlasted = not self._done.wait(LONGEST_HOLD_S)

    @property
    def holding(self) -> bool:
        """Still held: nothing so far has had to wait for the engine."""
        return self._held.is_set() and not self.outlasted

    def __enter__(self) -> BusyEngine:
        self._thread.start()
        self._held.wait()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._done.set()
        self._thread.join()

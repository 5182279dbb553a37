"""Reading a history database's tables directly, on either back end, for tests
that check what was stored beyond what ``HistoryStore`` answers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from portwatch.history.store import HistoryStore


def table_counts(db: Path | str, tables: Iterable[str]) -> dict[str, int]:
    """Rows in each of ``tables``."""
    with HistoryStore.open(db, create=False) as store:
        return {
            table: store.sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in tables
        }


def table_rows(db: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows ``sql`` selects (written in the SQL both back ends take)."""
    with HistoryStore.open(db, create=False) as store:
        return [tuple(row) for row in store.sql.execute(sql, params)]

"""The two history back ends behind one connection: SQLite (a file, the embedded
default) and PostgreSQL (``postgresql://…``, a control centre's shared history).

Every query is written once, in the SQL both engines understand (``?`` and
``:name`` placeholders, ``ON CONFLICT`` upserts, ``coalesce``); the few
pieces that differ are the dialect's (the smaller or larger of two values, a
time cut to whole seconds). Only what must differ is written per back end:
bulk staging (``COPY`` on PostgreSQL), the schema steps, partitions.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql(target: object) -> bool:
    """True when ``target`` (a ``--db`` value) names a PostgreSQL database."""
    return isinstance(target, str) and target.startswith(POSTGRESQL_SCHEMES)


def shown_target(target: object) -> str:
    """``target`` as it may be printed: a PostgreSQL URL without its password."""
    if not is_postgresql(target):
        return str(target)
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(str(target))
    except Exception:  # an unparseable URL: show its scheme only, never its text
        return "postgresql://…"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or "")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


@dataclass(frozen=True, slots=True)
class Dialect:
    """The pieces of SQL that differ between the back ends."""

    name: str
    least: str
    """The smaller of two values (SQLite's two-argument ``min``)."""
    greatest: str
    whole_seconds: str
    """A non-negative time cut to whole seconds, as an integer: ``{}`` is the time."""

    @property
    def postgresql(self) -> bool:
        return self.name == "postgresql"


SQLITE = Dialect("sqlite", "min", "max", "CAST({} AS INTEGER)")
POSTGRESQL = Dialect("postgresql", "least", "greatest", "CAST(trunc({}) AS BIGINT)")


_QUOTED = re.compile(r"('(?:[^']|'')*')")


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """``?`` and ``:name`` placeholders as psycopg's ``%s`` and ``%(name)s`` (``::``
    casts and quoted text kept as they are, a literal ``%`` doubled)."""
    parts = _QUOTED.split(sql)
    for index in range(0, len(parts), 2):  # the even parts are outside quotes
        text = parts[index].replace("%", "%%").replace("?", "%s")
        parts[index] = re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", text)
    for index in range(1, len(parts), 2):
        parts[index] = parts[index].replace("%", "%%")
    return "".join(parts)


class HistoryConnection:
    """One connection to a history database, SQLite or PostgreSQL, with one way to
    run a query, a batch of rows and a transaction on either."""

    dialect: Dialect
    errors: tuple[type[BaseException], ...]
    """What a failed statement raises on this back end."""

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def transaction(self) -> Any:
        """A context: everything inside commits together, or not at all."""
        raise NotImplementedError

    def table_names(self) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SqliteConnection(HistoryConnection):
    dialect = SQLITE
    errors = (sqlite3.Error,)

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.raw = connection

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.raw.executemany(sql, rows)

    def transaction(self) -> sqlite3.Connection:
        return self.raw  # ``with connection:`` commits or rolls back

    def table_names(self) -> set[str]:
        rows = self.raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}

    def close(self) -> None:
        self.raw.close()


class PostgresConnection(HistoryConnection):
    """psycopg 3 in autocommit mode: a read is its own snapshot, and a write
    says where its transaction starts and ends (``transaction``)."""

    dialect = POSTGRESQL

    def __init__(self, connection: Any) -> None:
        import psycopg

        self.raw = connection
        self.errors = (psycopg.Error,)

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        if not params:  # sent as written: psycopg reads placeholders only with parameters
            return self.raw.execute(sql)
        return self.raw.execute(_pyformat(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(_pyformat(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.raw.transaction():
            yield

    def table_names(self) -> set[str]:
        # Not those of extensions (PostGIS's spatial_ref_sys): they are not the data's.
        rows = self.raw.execute(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
              AND NOT c.relispartition
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype = 'e')
            """
        )
        return {name for (name,) in rows}

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows into ``table`` by ``COPY``: the bulk path, many times faster than
        INSERTs (one statement, no per-row round trip or plan)."""
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def close(self) -> None:
        self.raw.close()


def upsert(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """An INSERT of ``columns`` that replaces the row with the same ``key`` (SQLite's
    ``INSERT OR REPLACE``, written the way both back ends take it)."""
    updates = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in key)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    )


def connect_postgresql(url: str) -> PostgresConnection:
    """A connection to the database ``url`` names. Credentials come the usual libpq
    ways (the URL, a service file, ``~/.pgpass``, ``PGPASSWORD``…)."""
    import psycopg

    return PostgresConnection(psycopg.connect(url, autocommit=True, application_name="portwatch"))

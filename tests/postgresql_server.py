"""A throwaway PostgreSQL server for the tests: a new cluster in a temporary
folder (``initdb``), started on a free loopback port (``pg_ctl``), removed at
the end. Debian's ``postgresql`` package provides the programs; PostgreSQL
refuses to run as root, so as root the cluster is run by the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

_counter = itertools.count(1)


def find_bin_dir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, or Debian's versioned folder."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(versions[0]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One running cluster; ``new_database()`` gives the URL of a fresh database."""

    def __init__(self, bin_dir: Path, durable: bool = False) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="portwatch-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200"
        )
        if not durable:  # tests: a server that never outlives them need not reach the disk
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.postgis = self._has_postgis()

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self._as_user, str(self.bin_dir / program), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def _has_postgis(self) -> bool:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
            ).fetchone()
        return row is not None

    def new_database(self, postgis: bool = False) -> str:
        """A fresh empty database's URL (with the PostGIS extension when asked)."""
        name = f"history_{os.getpid()}_{next(_counter)}"
        self._admin(f"CREATE DATABASE {name}")
        url = f"{self.url}/{name}"
        if postgis:
            import psycopg

            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("CREATE EXTENSION postgis")
        return url

    def drop_database(self, url: str) -> None:
        self._admin(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def version(self) -> str:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def running_server(durable: bool = False) -> Iterator[PostgresServer | None]:
    """A running server, or None when PostgreSQL is not installed here. ``durable``:
    PostgreSQL's own defaults (fsync), as a real centre runs it (benchmarks)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        yield None
        return
    server = PostgresServer(bin_dir, durable)
    try:
        yield server
    finally:
        server.stop()

"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
_USER_FOLDERS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@pytest.fixture(scope="session", autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings and data (QSettings, the demo's history) go to folders of this test
    session, for every test and every ``portwatch`` it starts: what another run or
    another PortWatch left in the user's folders must not decide a test, and the
    tests must not change the user's session."""
    home = tmp_path_factory.mktemp("user")
    saved = {name: os.environ.get(name) for name in _USER_FOLDERS}
    for name in _USER_FOLDERS:
        os.environ[name] = str(home / name.removeprefix("XDG_").removesuffix("_HOME").lower())
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real recordings the tests share, in ``tests/data`` (its README.md says
    where each came from and under which licence).

    They are part of the repository, so a fresh clone runs every real-data test:
    a missing folder is a broken checkout and fails, it does not skip.
    """
    if not TEST_DATA.is_dir():
        pytest.fail(f"{TEST_DATA} is missing: the checkout is incomplete")
    return TEST_DATA


@pytest.fixture(scope="session")
def postgresql_server():
    """A throwaway PostgreSQL server for the session (see tests/postgresql_server.py).

    Skipped when PostgreSQL is not installed, unless ``CI`` is set: there ``.ci/run``
    installs it, and a missing server must fail rather than skip half the history tests.
    """
    from tests.postgresql_server import running_server

    with running_server() as server:
        if server is None:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL (initdb, pg_ctl) is not installed; .ci/run installs it")
            pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def new_history_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Path | str]:
    """Makes new history databases, all on one back end (the test runs on each): a
    SQLite file's path, or the URL of a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        names = itertools.count(1)
        return lambda: tmp_path / f"h{next(names)}.sqlite"
    server = request.getfixturevalue("postgresql_server")
    return server.new_database


@pytest.fixture
def history_db(new_history_db: Callable[[], Path | str]) -> Path | str:
    """A new history database on each back end (see ``new_history_db``)."""
    return new_history_db()

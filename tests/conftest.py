"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
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

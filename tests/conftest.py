"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


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

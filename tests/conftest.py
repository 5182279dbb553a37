"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

_SHARED_DATA_MISSING = (
    "shared AIS recordings not found: set PORTWATCH_SHARED_DATA or place ../shared beside the "
    "checkout"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared AIS recordings (see ../shared/data/SOURCES.md).

    ``PORTWATCH_SHARED_DATA`` when set, else ``../shared/data`` next to the
    repository. They are not part of the repository, so tests that need them
    skip when they are absent, unless the variable names them explicitly.
    """
    configured = os.environ.get("PORTWATCH_SHARED_DATA")
    if configured:
        # Set on purpose (CI sets it): a wrong path must fail, not skip quietly.
        path = Path(configured).expanduser()
        if not path.is_dir():
            pytest.fail(f"PORTWATCH_SHARED_DATA={configured} is not a directory")
        return path
    path = REPO_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(_SHARED_DATA_MISSING)
    return path

"""The README documents every command, and its quick start is what CI runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from portwatch.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_every_command_is_documented_with_an_example() -> None:
    assert subcommands(), "no subcommands found"
    for command in subcommands():
        assert f"### `portwatch {command}`" in README or f"/ `portwatch {command}`" in README, (
            f"README has no section for portwatch {command}"
        )
        assert f"\nportwatch {command} " in README, f"README has no example of {command}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for step in ("bash packaging/bootstrap.sh --test", ".venv/bin/python -m pytest"):
        assert step in README
        assert step in ci

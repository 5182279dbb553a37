"""The README documents every command, and its quick start is what CI runs."""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import pytest

from portwatch.cli import build_parser
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, tag_block, vdm

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


def test_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's Python example, run as written on a log of its file name."""

    lines = [tag_block("c:1452468552") + vdm(EXAMPLE_POSITION)[0], *vdm(EXAMPLE_STATIC, seq_id=1)]
    (tmp_path / "harbour.nmea.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    example = README.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == ["366999001 1452468552.0", "366999001 None"]
    assert printed[2].startswith("3 lines, 3 AIS sentences, 2 messages")

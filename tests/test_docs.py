"""The docs document every command, their Python examples run, the README's quick
start is what CI runs, and the README's "Where things are" is the tree."""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
from pathlib import Path

import pytest

from portwatch.cli import build_parser
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, tag_block, vdm

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = sorted((ROOT / "docs").glob("*.md"))
DOCS = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
LIBRARY = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_every_command_is_documented_with_an_example() -> None:
    assert subcommands(), "no subcommands found"
    for command in subcommands():
        assert f"## `portwatch {command}`" in DOCS or f"/ `portwatch {command}`" in DOCS, (
            f"docs/ has no section for portwatch {command}"
        )
        assert f"\nportwatch {command} " in DOCS, f"docs/ has no example of {command}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for step in ("bash packaging/bootstrap.sh --test", ".venv/bin/python -m pytest"):
        assert step in README
        assert step in ci


def test_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Python examples of docs/library.md, run as written, in order, on a log of
    their file name."""

    lines = [tag_block("c:1452468552") + vdm(EXAMPLE_POSITION)[0], *vdm(EXAMPLE_STATIC, seq_id=1)]
    (tmp_path / "harbour.nmea.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    examples = [block.split("```", 1)[0] for block in LIBRARY.split("```python\n")[1:]]
    assert len(examples) == 2
    monkeypatch.chdir(tmp_path)
    for example in examples:
        exec(compile(example, "docs/library.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == ["366999001 1452468552.0", "366999001 None"]
    assert printed[2].startswith("3 lines, 3 AIS sentences, 2 messages")
    assert printed[3] == "2 messages from 1 log(s)"
    assert printed[4] == "1 position(s) of 366999001, the last at 33.71, -118.18"


def where_things_are() -> set[str]:
    """The paths the README's "Where things are" table names."""
    section = README.split("\n## Where things are\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))


def test_where_things_are_matches_the_tree() -> None:
    """Every top-level folder and every package of the core is named, and nothing
    that is not there."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    folders = {path.split("/")[0] + "/" for path in tracked if "/" in path}
    core = {
        f"portwatch/{path.split('/')[1]}/"
        for path in tracked
        if path.startswith("portwatch/") and path.count("/") >= 2 and path.endswith("__init__.py")
    }
    expected = {folder for folder in folders if not folder.startswith(".")} | core
    assert "portwatch/cli/" in expected  # the walk found the core's packages
    assert where_things_are() == expected


def test_every_docs_page_is_linked_from_the_readme_and_every_link_resolves() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)", README))
    assert linked == {f"docs/{page.name}" for page in PAGES}
    for page, text in [(ROOT / "README.md", README)] + [(p, p.read_text()) for p in PAGES]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), f"{page.name}: no {target}"

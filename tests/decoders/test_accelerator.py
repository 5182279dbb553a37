"""The compiled decoders (mypyc, ``decoders/_compiled``) against the pure-Python
ones they are built from: the pure modules are the reference, so every real
recording decodes to the same records and counters on both; and the choice
between them falls back to the pure modules whenever the build cannot be trusted.

The pure side runs in a child Python with ``PORTWATCH_PURE=1`` (the package picks
its modules once, at import). Where the compiled decoders are not built here, the
comparison skips, saying so; bootstrap.sh builds them, so CI runs it.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from portwatch.bundled import SAMPLE_LOG, bundled_file
from portwatch.decoders import DECODERS, StreamDecoder, accelerator, open_log
from portwatch.decoders.records import Record
from portwatch.decoders.stats import DecodeStats
from tests.decoders.test_shared_files import PINNED

COMPILED = "compiled (mypyc)"
DEMO_LOG = bundled_file(SAMPLE_LOG)
"""Simulated, with the tag blocks of a port's own receivers: the hot lines."""

Decoded = tuple[list[Record], DecodeStats, list[Record], DecodeStats]


def decode_both_ways(path: Path) -> Decoded:
    """``iter_messages`` (every fast path) and ``decode_line`` (the general path)."""
    with open_log(path) as log:
        lines = list(log)
    batch = StreamDecoder(source=path.name)
    batched = [record for message in batch.iter_messages(lines) for record in message]
    batch.finish()
    general = StreamDecoder(source=path.name)
    one_by_one = [record for line in lines for record in general.decode_line(line)]
    general.finish()
    return batched, batch.stats, one_by_one, general.stats


def decode_all(paths: list[Path]) -> dict[str, Decoded]:
    return {str(path): decode_both_ways(path) for path in paths}


_CHILD = """
import pickle, sys
from pathlib import Path
import portwatch.decoders
from tests.decoders.test_accelerator import decode_all
paths = [Path(p) for p in sys.argv[1:]]
sys.stdout.buffer.write(pickle.dumps((portwatch.decoders.DECODERS, decode_all(paths))))
"""


def run_python(code: str, *args: str, **environment: str) -> subprocess.CompletedProcess[bytes]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        cwd=root,
        env={**os.environ, **environment},
        timeout=240,
        check=False,
    )


def test_compiled_decoders_give_the_pure_decoders_records_on_every_recording(
    shared_data: Path,
) -> None:
    if DECODERS != COMPILED:
        pytest.skip(f"the compiled decoders are not in use here: {DECODERS}")
    paths = [shared_data / name for name in sorted(PINNED)] + [DEMO_LOG]
    child = run_python(_CHILD, *map(str, paths), PORTWATCH_PURE="1")
    assert child.returncode == 0, child.stderr.decode()
    pure_decoders, pure = pickle.loads(child.stdout)
    assert pure_decoders == f"pure Python ({accelerator.PURE_VARIABLE} is set)"
    compiled = decode_all(paths)
    for path in paths:
        mine, reference = compiled[str(path)], pure[str(path)]
        assert mine[0], f"{path}: nothing decoded"
        for got, expected in zip(mine[0::2], reference[0::2], strict=True):  # records
            assert len(got) == len(expected), path
            for index, (one, other) in enumerate(zip(got, expected, strict=True)):
                assert one == other, f"{path}: record {index}"
        assert mine[1::2] == reference[1::2], path  # counters


def test_the_compiled_modules_are_the_ones_in_use() -> None:
    if DECODERS != COMPILED:
        pytest.skip(f"the compiled decoders are not in use here: {DECODERS}")
    for name in accelerator.COMPILED_MODULES:
        module = sys.modules[f"portwatch.decoders.{name}"]
        assert Path(module.__file__).is_relative_to(accelerator.compiled_directory()), name


def test_pure_variable_keeps_the_pure_modules() -> None:
    child = run_python(
        "import portwatch.decoders.stream as s, portwatch.decoders as d; print(d.DECODERS);"
        "print(s.__file__)",
        PORTWATCH_PURE="1",
    )
    decoders, stream_file = child.stdout.decode().splitlines()
    assert decoders == "pure Python (PORTWATCH_PURE is set)"
    assert Path(stream_file) == accelerator.SOURCES / "stream.py"


def test_a_build_older_than_the_sources_is_not_used(tmp_path: Path) -> None:
    """A compiled module must never shadow an edited ``.py``: the manifest's digest
    of the sources decides, and any edit changes it."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in accelerator.COMPILED_MODULES:
        (sources / f"{name}.py").write_bytes((accelerator.SOURCES / f"{name}.py").read_bytes())
    built = tmp_path / "built"
    built.mkdir()
    assert "not built" in str(accelerator.usable(built, sources))
    (built / accelerator.MANIFEST).write_text(f"{accelerator.source_digest(sources)}\n")
    assert accelerator.usable(built, sources) is None
    with (sources / "framing.py").open("a") as edited:
        edited.write("\n# an edit after the build\n")
    assert "older than the sources" in str(accelerator.usable(built, sources))
    (sources / "framing.py").unlink()  # a frozen app: no sources to compare, the build stands
    assert accelerator.usable(built, sources) is None


def test_a_build_that_fails_to_import_falls_back_to_pure_python(tmp_path: Path) -> None:
    """A current manifest over modules that do not load (another machine's build,
    a truncated file): the pure modules run, they decode, and ``--version`` says why."""
    from importlib.machinery import EXTENSION_SUFFIXES

    (tmp_path / accelerator.MANIFEST).write_text(f"{accelerator.source_digest()}\n")
    (tmp_path / f"stream{EXTENSION_SUFFIXES[0]}").write_bytes(b"not a shared library")
    child = run_python(
        "import portwatch.decoders as d, portwatch.decoders.stream as s;"
        "from portwatch.decoders import decode_sentences;"
        "print(d.DECODERS); print(s.__file__);"
        "print(decode_sentences('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23')[0].mmsi)",
        PORTWATCH_COMPILED_DIR=str(tmp_path),
        PORTWATCH_PURE="",  # when the tests themselves run the pure modules
    )
    assert child.returncode == 0, child.stderr.decode()
    decoders, stream_file, mmsi = child.stdout.decode().splitlines()
    assert decoders.startswith("pure Python (the compiled modules failed to import:"), decoders
    assert Path(stream_file) == accelerator.SOURCES / "stream.py"
    assert mmsi == "227006760"

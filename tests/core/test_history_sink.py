"""Both history writers are ``HistorySink``s: the engine can be given either, and a
new back end knows what to implement."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from portwatch.history.sink import HistorySink
from portwatch.history.writer import HistoryWriter
from portwatch.history.writer_process import HistoryWriterProcess

PROTOCOL_MEMBERS = sorted(name for name in vars(HistorySink) if not name.startswith("_"))


def parameters(function: object) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name != "self"]  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", [HistoryWriter, HistoryWriterProcess])
def test_each_writer_implements_the_whole_protocol(tmp_path: Path, kind: type) -> None:
    assert PROTOCOL_MEMBERS == [
        "close",
        "fail_fast",
        "flush",
        "path",
        "shown",
        "status",
        "submit",
    ]
    sink = kind(tmp_path / "history.sqlite")
    try:
        assert isinstance(sink, HistorySink)
        for name in PROTOCOL_MEMBERS:
            declared = vars(HistorySink)[name]
            if inspect.isfunction(declared):
                assert parameters(getattr(sink, name)) == parameters(declared), name
        assert Path(sink.path) == tmp_path / "history.sqlite"
        assert sink.flush() is True
        assert sink.status().state == "ok"
    finally:
        sink.close()
